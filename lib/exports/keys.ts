// Server side and the CLI: node:crypto, never bundled for a browser (the inclusion tag has its own
// isomorphic twin on the participant's device, lib/exports/inclusion.ts).
import { createHmac, hkdfSync, randomBytes } from "node:crypto";
import path from "node:path";
import { env } from "@/lib/env";
import { readOrCreateOnce } from "@/lib/write-once";

/**
 * Per-grant pseudonyms (issue 12, point 2; STANDARDS.md §5, ENISA's "hashing with key").
 *
 * A dataset's pseudonym column holds the participants' trial pseudonyms — Semaphore nullifiers,
 * which are public on chain beside every consent decision. An export never carries them: each value
 * becomes `HMAC-SHA256(K_g, nullifier as 32 bytes big-endian)` with
 * `K_g = HKDF-SHA256(EXPORT_SECRET, salt = grant id, info = "trialledger/pseudonym/v1")`, so
 *
 * - two grants' exports cannot be joined (different keys), while one grant's exports of several
 *   releases can (same key: a study follows its participants across releases);
 * - a leaked file is traced by recomputing each grant's values and intersecting;
 * - no exported value appears on chain, and without the secret none can be linked back.
 *
 * "Grant" here is the approved access request (DAR-…): one committee decision for one team. Its
 * members share the data they analyse together, so they share one key; AccessGrant rows (one per
 * member and release) are the entitlements that key's exports are checked against.
 */

export const EXPORT_SECRET_BYTES = 32;
const PSEUDONYM_INFO = "trialledger/pseudonym/v1";

export class ExportSecretError extends Error {
  override name = "ExportSecretError";
}

/**
 * EXPORT_SECRET's form: at least 32 random bytes in base64 (or base64url), as
 * `openssl rand -base64 32` prints them.
 * @throws ExportSecretError when it is shorter or not base64
 */
export function parseExportSecret(text: string): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) throw new ExportSecretError("the export secret is base64 of at least 32 random bytes (openssl rand -base64 32)");
  const bytes = Buffer.from(trimmed.replaceAll("-", "+").replaceAll("_", "/"), "base64");
  if (bytes.length < EXPORT_SECRET_BYTES) throw new ExportSecretError(`the export secret holds ${bytes.length} bytes; it needs at least ${EXPORT_SECRET_BYTES} (openssl rand -base64 32)`);
  return bytes;
}

/** The development secret kept in `<dataDir>/export-secret`, made on first use (lib/write-once.ts). */
export function developmentExportSecret(dataDir: string): Buffer {
  const file = path.join(dataDir, "export-secret");
  const text = readOrCreateOnce(file, () => randomBytes(EXPORT_SECRET_BYTES).toString("base64"));
  try {
    return parseExportSecret(text);
  } catch (error) {
    if (error instanceof ExportSecretError) throw new ExportSecretError(`${file} is not an export secret (${error.message}; delete it to make a new one)`);
    throw error;
  }
}

/** K_g: the grant's 32-byte pseudonym key. */
export function grantPseudonymKey(secret: Uint8Array, grantId: string): Buffer {
  if (!grantId) throw new RangeError("a grant id is needed to derive its key");
  return Buffer.from(hkdfSync("sha256", secret, Buffer.from(grantId, "utf8"), PSEUDONYM_INFO, 32));
}

const DECIMAL = /^(0|[1-9]\d{0,77})$/;
const UINT256 = 1n << 256n;

/**
 * A trial pseudonym (a nullifier, canonical decimal) as the 32 bytes big-endian that get keyed.
 * @throws RangeError for anything else: a dataset's pseudonyms are proven nullifiers (lib/datasets/validate.ts)
 */
export function pseudonymBytes(pseudonym: string): Buffer {
  if (!DECIMAL.test(pseudonym)) throw new RangeError("a trial pseudonym is a decimal integer without leading zeros");
  const value = BigInt(pseudonym);
  if (value >= UINT256) throw new RangeError("a trial pseudonym fits 256 bits");
  return Buffer.from(value.toString(16).padStart(64, "0"), "hex");
}

/** pid_g: the per-grant pseudonym, 64 lowercase hex digits. */
export function grantPseudonym(key: Uint8Array, pseudonym: string): string {
  return createHmac("sha256", key).update(pseudonymBytes(pseudonym)).digest("hex");
}

/**
 * `grantPseudonym` for one grant with a cache: a release holds many rows per participant, and the
 * export asks for each row's value. The cache holds one entry per distinct pseudonym (≈ 150 bytes;
 * a trial's participants, not the file's rows).
 */
export function grantPseudonymizer(secret: Uint8Array, grantId: string): (pseudonym: string) => string {
  const key = grantPseudonymKey(secret, grantId);
  const cache = new Map<string, string>();
  return (pseudonym) => {
    let value = cache.get(pseudonym);
    if (value === undefined) {
      value = grantPseudonym(key, pseudonym);
      cache.set(pseudonym, value);
    }
    return value;
  };
}

let cachedSecret: Buffer | undefined;

/**
 * The portal's export secret: EXPORT_SECRET in production (lib/env.ts refuses to start without it);
 * elsewhere, without it, a secret generated once into the data directory.
 */
export function exportSecret(): Buffer {
  if (!cachedSecret) {
    const config = env();
    cachedSecret = config.EXPORT_SECRET ? parseExportSecret(config.EXPORT_SECRET) : developmentExportSecret(config.dataDir);
  }
  return cachedSecret;
}
