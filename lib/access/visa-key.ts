// Server side and the CLI (`trialledger visa keygen`): node:crypto, never bundled for a browser.
// Not marked "server-only" because the CLI, which runs without the react-server condition, makes keys.
import { createECDH, createPrivateKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import path from "node:path";
import { calculateJwkThumbprint } from "jose";
import { env } from "@/lib/env";
import { readOrCreateOnce } from "@/lib/write-once";

/**
 * The key that signs GA4GH Passport visas (docs/visas.md): ES256, so a P-256 key — one of the two
 * algorithms a Passport clearinghouse must accept (AAI v1.2: ES256 or RS256), and a 64-byte
 * signature against RSA's 256. Kept apart from the transparency log's Ed25519 key: a visa key may
 * be rotated (visas live at most a grant's 12 months) without touching the log's identity, and a
 * leaked one cannot sign checkpoints.
 *
 * Its text form (VISA_SIGNING_KEY) is a private JWK as JSON, `{"kty":"EC","crv":"P-256","x","y","d"}`
 * (RFC 7517/7518): the form JOSE tooling reads and writes, on one line, unlike PEM's.
 */

export class VisaKeyError extends Error {
  override name = "VisaKeyError";
}

/** The public half as published in the JWKS: what a clearinghouse needs to check a visa. */
export type PublicVisaJwk = { kty: "EC"; crv: "P-256"; x: string; y: string; kid: string; alg: "ES256"; use: "sig" };

export type VisaKey = {
  /** Signs; never leaves the process. */
  privateKey: KeyObject;
  /** RFC 7638 thumbprint of the public key (SHA-256, base64url): the header's `kid`. */
  kid: string;
  publicJwk: PublicVisaJwk;
};

/** A base64url P-256 coordinate or scalar: 32 bytes, 43 characters unpadded. */
const COORDINATE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Reads VISA_SIGNING_KEY's form: a private P-256 JWK as JSON.
 * @throws VisaKeyError when it is not JSON, not a private P-256 key, or its public half is not its own
 */
export async function parseVisaKey(text: string): Promise<VisaKey> {
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    throw new VisaKeyError("a visa signing key is a private JWK as JSON");
  }
  const fields = (jwk ?? {}) as Record<string, unknown>;
  const { kty, crv, x, y, d } = fields;
  if (kty !== "EC" || crv !== "P-256") throw new VisaKeyError('a visa signing key is a P-256 key: "kty":"EC", "crv":"P-256"');
  if (typeof x !== "string" || typeof y !== "string" || typeof d !== "string" || ![x, y, d].every((v) => COORDINATE.test(v))) {
    throw new VisaKeyError("a visa signing key holds x, y and d (the private scalar), each 32 bytes in base64url");
  }
  let privateKey: KeyObject;
  let point: Buffer;
  try {
    privateKey = createPrivateKey({ key: { kty, crv, x, y, d }, format: "jwk" });
    // The public point d·G, uncompressed (0x04 ‖ x ‖ y): node takes a JWK's x and y on its word,
    // and a key whose x, y were edited would publish one key and sign with another.
    const ecdh = createECDH("prime256v1");
    ecdh.setPrivateKey(Buffer.from(d, "base64url"));
    point = ecdh.getPublicKey();
  } catch {
    throw new VisaKeyError("the visa signing key is not a valid P-256 private key");
  }
  if (point.subarray(1, 33).toString("base64url") !== x || point.subarray(33).toString("base64url") !== y) {
    throw new VisaKeyError("the visa signing key's x and y are not the public key of its d");
  }
  const kid = await calculateJwkThumbprint({ kty, crv, x, y }, "sha256");
  return { privateKey, kid, publicJwk: { kty, crv, x, y, kid, alg: "ES256", use: "sig" } };
}

/** The VISA_SIGNING_KEY text of a new random P-256 key. */
function newVisaKeyText(): string {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const { kty, crv, x, y, d } = privateKey.export({ format: "jwk" });
  return JSON.stringify({ kty, crv, x, y, d });
}

/** A new random P-256 key: the text for VISA_SIGNING_KEY (secret) and its `kid`. */
export async function generateVisaKey(): Promise<{ signingKey: string; kid: string }> {
  const signingKey = newVisaKeyText();
  return { signingKey, kid: (await parseVisaKey(signingKey)).kid };
}

/**
 * The development key kept in `<dataDir>/visa-signing-key`, made on first use as the log's key is
 * (lib/write-once.ts: processes starting together all end up with the one key), owner-readable only.
 * @throws VisaKeyError when the file holds something else (delete it to make a new key)
 */
export async function developmentVisaKey(dataDir: string): Promise<VisaKey> {
  const file = path.join(dataDir, "visa-signing-key");
  const stored = readOrCreateOnce(file, newVisaKeyText);
  try {
    return await parseVisaKey(stored);
  } catch (error) {
    if (error instanceof VisaKeyError) throw new VisaKeyError(`${file} is not a visa signing key (${error.message}; delete it to make a new one)`);
    throw error;
  }
}

let cached: Promise<VisaKey> | undefined;

/**
 * The portal's visa signing key: VISA_SIGNING_KEY in production (lib/env.ts refuses to start
 * without it); elsewhere, without it, a key generated once into the data directory.
 * @throws VisaKeyError when VISA_SIGNING_KEY is not a private P-256 JWK
 */
export function visaSigningKey(): Promise<VisaKey> {
  cached ??= Promise.resolve().then(() => {
    const config = env();
    return config.VISA_SIGNING_KEY ? parseVisaKey(config.VISA_SIGNING_KEY) : developmentVisaKey(config.dataDir);
  });
  return cached;
}

/** The JWKS the portal serves at /.well-known/jwks.json: the one visa key's public half. */
export async function publicJwks(): Promise<{ keys: PublicVisaJwk[] }> {
  return { keys: [(await visaSigningKey()).publicJwk] };
}
