import { hash } from "node:crypto";

/**
 * SHA-256 of `bytes`, synchronously. This file is the anchoring code's only Node-specific import:
 * a browser build swaps it for a pure-JS SHA-256 with the same signature (WebCrypto's digest is
 * async, and the Merkle code would otherwise have to await every one of its 2n hashes).
 */
export function sha256(bytes: Uint8Array): Uint8Array {
  // One-shot crypto.hash (Node ≥ 20.12): about 1.5× faster than createHash for 33- and 65-byte inputs.
  const digest = hash("sha256", bytes, "buffer");
  // A plain Uint8Array, not a Buffer, so that callers and deep-equality checks see one type.
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}
