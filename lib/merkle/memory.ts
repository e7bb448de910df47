import { EMPTY_ROOT, nodeHash, nth } from "@/lib/merkle/hash";
import { consistencyRanges, inclusionRanges, isCount, splitPoint } from "@/lib/merkle/ranges";

/**
 * Merkle trees held in memory (RFC 9162 §2.1), over leaf hashes: anchoring batches, the contract
 * tests, and reference values for the stored-hash code. The tree for n leaves splits at the
 * largest power of two below n; nodes are never duplicated or padded, so a root commits to the
 * exact number of leaves and any RFC 6962 library (Certificate Transparency, Trillian, Sigstore,
 * golang sumdb) checks our proofs.
 */

/**
 * The level above `level`: pairs are hashed and an unpaired last node is carried up unchanged.
 * Built bottom-up this way, the tree is exactly RFC 9162's top-down split at the largest power of
 * two below n: every left part is a perfect subtree, and only the ragged right edge is ever carried.
 */
function parentLevel(level: readonly Uint8Array[]): Uint8Array[] {
  const parents: Uint8Array[] = [];
  for (let i = 0; i + 1 < level.length; i += 2) parents.push(nodeHash(nth(level, i), nth(level, i + 1)));
  if (level.length % 2 === 1) parents.push(nth(level, level.length - 1));
  return parents;
}

/** Every level, leaf hashes first and the root's level (one node) last: n − 1 hashes computed. */
function allLevels(leafHashes: readonly Uint8Array[]): Uint8Array[][] {
  let level = [...leafHashes];
  const levels = [level];
  while (level.length > 1) {
    level = parentLevel(level);
    levels.push(level);
  }
  return levels;
}

/** MTH(D[lo:hi]) over leaf hashes, hi > lo: hi − lo − 1 hashes. */
function rangeRoot(leafHashes: readonly Uint8Array[], lo: number, hi: number): Uint8Array {
  if (hi - lo === 1) return nth(leafHashes, lo);
  const k = splitPoint(hi - lo);
  return nodeHash(rangeRoot(leafHashes, lo, lo + k), rangeRoot(leafHashes, lo + k, hi));
}

/** The RFC 9162 Merkle Tree Hash of the tree with these leaf hashes; EMPTY_ROOT for none. */
export function rootOf(leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return EMPTY_ROOT;
  let level: readonly Uint8Array[] = leafHashes;
  while (level.length > 1) level = parentLevel(level);
  return nth(level, 0);
}

/**
 * The RFC 9162 §2.1.3.1 inclusion proof of leaf `index`: sibling hashes from the leaf's level up
 * to the root's child, in the order `verifyInclusion` consumes them. O(n) hashes.
 *
 * @throws RangeError unless `index` is an integer in [0, leafHashes.length).
 */
export function inclusionProof(leafHashes: readonly Uint8Array[], index: number): Uint8Array[] {
  if (!isCount(index) || index >= leafHashes.length) {
    throw new RangeError(`Leaf index ${index} is outside a tree of ${leafHashes.length} leaves.`);
  }
  return inclusionRanges(index, 0, leafHashes.length).map(([lo, hi]) => rangeRoot(leafHashes, lo, hi));
}

/**
 * The inclusion proof of every leaf, `auditPaths(h)[i]` equal to `inclusionProof(h, i)`: the tree
 * is hashed once (n − 1 hashes) and each path read from it in O(log n), for O(n log n) in all —
 * what an anchoring batch of 10,000 receipts needs. Paths share their hash arrays: read-only.
 */
export function auditPaths(leafHashes: readonly Uint8Array[]): Uint8Array[][] {
  if (leafHashes.length === 0) return [];
  const levels = allLevels(leafHashes);
  return leafHashes.map((_, index) => {
    const path: Uint8Array[] = [];
    let i = index;
    for (const level of levels) {
      const sibling = i % 2 === 1 ? i - 1 : i + 1;
      // No sibling means this node is carried up unchanged, and contributes nothing to the path.
      if (sibling < level.length) path.push(nth(level, sibling));
      i = Math.floor(i / 2);
    }
    return path;
  });
}

/**
 * The RFC 9162 §2.1.4.1 consistency proof from the tree of the first `m` leaves to the tree of
 * all of them. Empty for m = 0 and for m = n (nothing to prove). O(n) hashes.
 *
 * @throws RangeError unless 0 ≤ m ≤ leafHashes.length.
 */
export function consistencyProof(leafHashes: readonly Uint8Array[], m: number): Uint8Array[] {
  const n = leafHashes.length;
  if (!isCount(m) || m > n) throw new RangeError(`Old size ${m} is outside 0..${n}.`);
  if (m === 0 || m === n) return [];
  return consistencyRanges(m, 0, n).map(([lo, hi]) => rangeRoot(leafHashes, lo, hi));
}

/**
 * How many hashes the inclusion proof of leaf `index` in a tree of `size` leaves has: one per
 * level at which the leaf's ancestor has a sibling. At most ⌈log2(size)⌉.
 *
 * @throws RangeError unless 0 ≤ index < size, both safe integers.
 */
export function inclusionPathLength(index: number, size: number): number {
  if (!isCount(index) || !isCount(size) || index >= size) {
    throw new RangeError(`Leaf index ${index} is outside a tree of ${size} leaves.`);
  }
  return inclusionRanges(index, 0, size).length;
}
