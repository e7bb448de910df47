import { sha256 } from "@noble/hashes/sha256";

/**
 * RFC 6962 / RFC 9162 §2.1.1 hashing over SHA-256. Isomorphic: @noble/hashes (pure JS, audited, no
 * dependencies) is synchronous, so the browser verifier and the server's sequencer hash with the
 * same code. WebCrypto's digest is async, and a tree would await every one of its 2n hashes. Node's
 * native hash is about 3× faster, which matters for files (lib/storage and the CLI use node:crypto
 * for those), not for the 33- and 65-byte inputs of a tree.
 */

/** Length in bytes of every node hash and of every root. */
export const HASH_BYTES = 32;

/** The root of the empty tree, SHA-256 of no bytes (RFC 9162 §2.1.1: MTH({}) = HASH()). */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array());

// Distinct prefixes keep a leaf from being passed off as an interior node (second-preimage attack).
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** SHA-256(0x00 ‖ entry): the leaf hash of one log entry or one anchored digest. */
export function leafHash(entry: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + entry.length);
  input[0] = LEAF_PREFIX;
  input.set(entry, 1);
  return sha256(input);
}

/** SHA-256(0x01 ‖ left ‖ right): an interior node. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256(input);
}

/** Byte equality; proofs are public, so a constant-time compare would buy nothing. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Element `i` of a list whose length the caller has just checked; a miss is a bug here, not bad input. */
export function nth<T>(list: readonly T[], i: number): T {
  const item = list[i];
  if (item === undefined) throw new Error(`Merkle: internal index ${i} out of range ${list.length}.`);
  return item;
}
