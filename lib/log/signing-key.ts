// Server side and the CLI (`trialledger log keygen`): node:crypto, never bundled for a browser.
// Not marked "server-only" because the CLI, which runs without the react-server condition, makes keys.
import { createPrivateKey, createPublicKey, randomBytes, sign, type KeyObject } from "node:crypto";
import path from "node:path";
import { env } from "@/lib/env";
import { readOrCreateOnce } from "@/lib/write-once";
import { ED25519_TYPE, NoteError, decodeBase64, encodeBase64, isKeyName, keyIdOf, splitKey, verifierKeyOf, type NoteSigner } from "@/lib/log/note";

/**
 * The transparency log's Ed25519 key. Its text form is golang.org/x/mod/sumdb/note's signer key,
 * `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 ‖ 32-byte seed)>`, so the same key works with Go's
 * note tooling and a C2SP witness.
 */

/** PKCS #8 DER of an Ed25519 private key is this 16-byte prefix and the 32-byte seed (RFC 8410). */
const PKCS8_ED25519_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);

export type LogKey = { signer: NoteSigner; verifierKey: string; publicKey: Uint8Array };

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

function keyFromSeed(name: string, seed: Uint8Array): LogKey {
  if (!isKeyName(name)) throw new NoteError(`not a key name: ${JSON.stringify(name)}`);
  if (seed.length !== 32) throw new NoteError("an Ed25519 seed is 32 bytes");
  const privateKey: KeyObject = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: "der", type: "pkcs8" });
  // SPKI DER of an Ed25519 key ends with the 32-byte public key (RFC 8410 §4).
  const publicKey = new Uint8Array(createPublicKey(privateKey).export({ format: "der", type: "spki" }).subarray(-32));
  return {
    signer: { name, keyId: keyIdOf(name, ED25519_TYPE, publicKey), sign: (msg) => new Uint8Array(sign(null, msg, privateKey)) },
    verifierKey: verifierKeyOf(name, publicKey),
    publicKey,
  };
}

/**
 * Parses a signer key `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 ‖ seed)>`.
 * @throws NoteError when it is malformed or its key ID is not the one its name and key give
 */
export function parseSignerKey(skey: string): LogKey {
  const [p, k, name, idHex, seedB64] = splitKey(skey, 5) ?? [];
  if (p !== "PRIVATE" || k !== "KEY" || name === undefined || idHex === undefined || seedB64 === undefined) {
    throw new NoteError("a signer key is PRIVATE+KEY+<name>+<hex key ID>+<base64 seed>");
  }
  const typed = decodeBase64(seedB64);
  if (!typed || typed[0] !== ED25519_TYPE || typed.length !== 33) throw new NoteError("a signer key holds 0x01 and a 32-byte Ed25519 seed");
  const key = keyFromSeed(name, typed.slice(1));
  if (toHex(key.signer.keyId) !== idHex) throw new NoteError("the signer key's ID does not match its name and key");
  return key;
}

/** The signer key text of `seed` under `name`. */
export function formatSignerKey(name: string, seed: Uint8Array): string {
  const key = keyFromSeed(name, seed);
  return `PRIVATE+KEY+${name}+${toHex(key.signer.keyId)}+${encodeBase64(Uint8Array.of(ED25519_TYPE, ...seed))}`;
}

/** A new random key named `name`: the signer key (secret) and its verifier key (to publish). */
export function generateSignerKey(name: string): { signerKey: string; verifierKey: string } {
  const seed = new Uint8Array(randomBytes(32));
  return { signerKey: formatSignerKey(name, seed), verifierKey: keyFromSeed(name, seed).verifierKey };
}

/**
 * The development key kept in `<dataDir>/log-signing-key`, made on first use (lib/write-once.ts:
 * processes starting together all end up with the one key).
 */
export function developmentKey(dataDir: string, origin: string): LogKey {
  const file = path.join(dataDir, "log-signing-key");
  const stored = readOrCreateOnce(file, () => generateSignerKey(origin).signerKey);
  const seed = decodeBase64(splitKey(stored, 5)?.[4] ?? "");
  if (!seed || seed.length !== 33) throw new NoteError(`${file} is not a signer key (delete it to make a new one)`);
  return keyFromSeed(origin, seed.slice(1));
}

let cached: Promise<{ signer: NoteSigner; verifierKey: string; origin: string }> | undefined;

/**
 * The log's signer, its published verifier key and the checkpoint origin. The key is named after
 * the origin (tlog-checkpoint: the key name SHOULD match the origin line). LOG_SIGNING_KEY in
 * production (lib/env.ts refuses to start without it); elsewhere, without it, a key generated once
 * into the data directory — re-named if LOG_ORIGIN or the port changed, so its key ID follows.
 * @throws NoteError when LOG_SIGNING_KEY's key ID does not match its name and key
 */
export function logSigner(): Promise<{ signer: NoteSigner; verifierKey: string; origin: string }> {
  cached ??= Promise.resolve().then(() => {
    const config = env();
    const origin = config.logOrigin;
    const key = config.LOG_SIGNING_KEY ? parseSignerKey(config.LOG_SIGNING_KEY) : developmentKey(config.dataDir, origin);
    return { signer: key.signer, verifierKey: key.verifierKey, origin };
  });
  return cached;
}
