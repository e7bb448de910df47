import { sha256 as nobleSha256 } from "@noble/hashes/sha256";

/**
 * SHA-256 of `bytes`, synchronously, in the server and in the browser alike: the verifier page
 * checks Merkle paths on the visitor's device with the same code the worker builds them with.
 * @noble/hashes is pure JS (audited, no dependencies); WebCrypto's digest is async, and the Merkle
 * code would otherwise have to await every one of its 2n hashes. Node's native hash is about 3×
 * faster, which matters for files (lib/storage and the CLI use node:crypto for those), not for
 * the 33- and 65-byte inputs of a tree.
 */
export function sha256(bytes: Uint8Array): Uint8Array {
  return nobleSha256(bytes);
}
