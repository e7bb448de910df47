import { EMPTY_ROOT, HASH_BYTES, bytesEqual, nodeHash } from "@/lib/merkle/hash";
import { isCount } from "@/lib/merkle/ranges";

/**
 * The RFC 9162 §2.1.3.2 and §2.1.4.2 verification algorithms. Strict: false, never a throw, for a
 * size or index that is not a safe integer, a proof one hash too long or too short, any hash that
 * is not 32 bytes, or a root that differs. Sizes are JavaScript numbers (trees up to 2^53 − 1).
 * Arithmetic, not bit shifts: `>>` truncates to 32 bits and sizes may exceed 2^32.
 */

const half = (n: number) => Math.floor(n / 2);
const odd = (n: number) => n % 2 === 1;
const wellFormed = (hashes: readonly Uint8Array[]) => hashes.every((hash) => hash.length === HASH_BYTES);

/**
 * Whether `leaf` — a leaf hash, `leafHash(entry)`, not the entry — is leaf number `index` of the
 * tree of `size` leaves whose root is `root`, by the inclusion proof `proof`.
 */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isCount(index) || !isCount(size) || index >= size) return false;
  if (!wellFormed([leaf, root, ...proof])) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false; // more hashes than levels
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      // Skip the levels where this node had no sibling and was carried up unchanged.
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(r, root);
}

/**
 * Whether the tree of `n` leaves with root `newRoot` extends the tree of its first `m` leaves with
 * root `oldRoot`, by the consistency proof `proof`. Equal sizes need equal roots and an empty
 * proof; m = 0 needs an empty proof and the empty tree's root as `oldRoot` (what a C2SP witness
 * checks too: tlog-witness answers 422 to a size-0 root other than SHA-256("")).
 */
export function verifyConsistency(
  m: number,
  n: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isCount(m) || !isCount(n) || m > n) return false;
  if (!wellFormed([oldRoot, newRoot, ...proof])) return false;
  if (m === n) return proof.length === 0 && bytesEqual(oldRoot, newRoot);
  if (m === 0) return proof.length === 0 && bytesEqual(oldRoot, EMPTY_ROOT);
  if (proof.length === 0) return false;

  // When m is a power of two the old root is itself a node of the new tree, and the proof omits it.
  const path = isPowerOfTwo(m) ? [oldRoot, ...proof] : proof;
  let fn = m - 1;
  let sn = n - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  const [first, ...rest] = path;
  if (first === undefined) return false;
  let fr = first;
  let sr = first;
  for (const c of rest) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(fr, oldRoot) && bytesEqual(sr, newRoot);
}

function isPowerOfTwo(n: number): boolean {
  let k = n;
  while (k > 1 && k % 2 === 0) k /= 2;
  return k === 1;
}
