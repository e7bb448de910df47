import { sha256 } from "@/lib/anchoring/sha256";

/**
 * Merkle trees as defined by RFC 9162 §2.1 (unchanged from RFC 6962), over SHA-256. TrialLedger's
 * leaves are 32-byte SHA-256 digests of files and canonical JSON records; any byte string works.
 *
 * The tree for n leaves splits at the largest power of two below n; nodes are never duplicated or
 * padded. So a root commits to the exact number of leaves, and an independent verifier can use any
 * RFC 6962 library (Certificate Transparency, Trillian, Sigstore) to check our proofs.
 */

/** Length in bytes of every node hash and of the root. */
export const HASH_BYTES = 32;

// Distinct prefixes keep a leaf from being passed off as an interior node (second-preimage attack).
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** SHA-256(0x00 || leaf). */
export function leafHash(leaf: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + leaf.length);
  input[0] = LEAF_PREFIX;
  input.set(leaf, 1);
  return sha256(input);
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256(input);
}

/** Element `i` of a list whose length the caller has just checked; a miss is a bug here, not bad input. */
function nth<T>(list: readonly T[], i: number): T {
  const item = list[i];
  if (item === undefined) throw new Error(`Merkle: internal index ${i} out of range ${list.length}.`);
  return item;
}

function leafLevel(leaves: readonly Uint8Array[]): Uint8Array[] {
  if (leaves.length === 0) {
    throw new RangeError("A Merkle tree needs at least one leaf: an empty batch is never anchored.");
  }
  return leaves.map(leafHash);
}

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

/** Every level, leaf hashes first and the root's level (one node) last: n + (n − 1) hashes. */
function allLevels(leaves: readonly Uint8Array[]): Uint8Array[][] {
  let level = leafLevel(leaves);
  const levels = [level];
  while (level.length > 1) {
    level = parentLevel(level);
    levels.push(level);
  }
  return levels;
}

/**
 * The RFC 9162 Merkle Tree Hash of `leaves` (each leaf is hashed with the 0x00 prefix here).
 * Computes 2n − 1 hashes and keeps one level at a time.
 *
 * @throws RangeError when `leaves` is empty: an empty batch is never anchored, and the RFC's empty
 *   root (SHA-256 of nothing) would prove nothing.
 */
export function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
  let level = leafLevel(leaves);
  while (level.length > 1) level = parentLevel(level);
  return nth(level, 0);
}

function pathFrom(levels: readonly Uint8Array[][], index: number): Uint8Array[] {
  const path: Uint8Array[] = [];
  let i = index;
  for (const level of levels) {
    const sibling = i % 2 === 1 ? i - 1 : i + 1;
    // No sibling means this node is carried up unchanged, and contributes nothing to the path.
    if (sibling < level.length) path.push(nth(level, sibling));
    i = Math.floor(i / 2);
  }
  return path;
}

function checkIndex(leaves: readonly Uint8Array[], index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
    throw new RangeError(`Leaf index ${index} is outside a tree of ${leaves.length} leaves.`);
  }
}

/**
 * The RFC 9162 §2.1.3.1 inclusion proof (audit path) for leaf `index`: the sibling hashes from
 * the leaf's level up to the root, in the order `verifyInclusion` consumes them.
 *
 * @throws RangeError when `leaves` is empty or `index` is not an integer in [0, leaves.length).
 */
export function auditPath(leaves: readonly Uint8Array[], index: number): Uint8Array[] {
  checkIndex(leaves, index);
  return pathFrom(allLevels(leaves), index);
}

/**
 * The audit path of every leaf, `auditPaths(leaves)[i]` equal to `auditPath(leaves, i)`: the tree
 * is hashed once (2n − 1 hashes) and each path read from it in O(log n), for O(n log n) in all.
 * Paths share their hash arrays (copying them would double the time for 10,000 leaves): treat
 * them as read-only.
 *
 * @throws RangeError when `leaves` is empty.
 */
export function auditPaths(leaves: readonly Uint8Array[]): Uint8Array[][] {
  const levels = allLevels(leaves);
  return leaves.map((_, index) => pathFrom(levels, index));
}

/**
 * How many hashes the audit path of leaf `index` in a tree of `treeSize` leaves has: one per
 * level at which the leaf's ancestor has a sibling. At most ⌈log2(treeSize)⌉.
 *
 * @throws RangeError unless 0 ≤ index < treeSize, both safe integers.
 */
export function inclusionPathLength(index: number, treeSize: number): number {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize) {
    throw new RangeError(`Leaf index ${index} is outside a tree of ${treeSize} leaves.`);
  }
  let length = 0;
  // fn, sn as in RFC 9162 §2.1.3.2: the node's index and the last index on the current level.
  for (let fn = index, sn = treeSize - 1; sn > 0; fn = Math.floor(fn / 2), sn = Math.floor(sn / 2)) {
    if (fn % 2 === 1 || fn < sn) length += 1;
  }
  return length;
}

/** What `verifyInclusion` checks: that `leaf` is leaf number `index` of the tree with `root`. */
export type InclusionProof = {
  /** The leaf itself (for TrialLedger, the item's 32-byte digest), not its leaf hash. */
  leaf: Uint8Array;
  index: number;
  treeSize: number;
  path: readonly Uint8Array[];
  root: Uint8Array;
};

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The RFC 9162 §2.1.3.2 verification algorithm. Strict: false (never a throw) for an index outside
 * the tree, a path one hash too long or too short, any hash not 32 bytes, or a root that differs.
 * Indices are JavaScript numbers, so trees are limited to 2^53 − 1 leaves.
 */
export function verifyInclusion({ leaf, index, treeSize, path, root }: InclusionProof): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize)) return false;
  if (index < 0 || index >= treeSize) return false;
  if (root.length !== HASH_BYTES || path.some((hash) => hash.length !== HASH_BYTES)) return false;

  // Arithmetic, not bit shifts: `>>` truncates to 32 bits and sizes may exceed 2^32.
  const half = (n: number) => Math.floor(n / 2);
  let fn = index;
  let sn = treeSize - 1;
  let r = leafHash(leaf);
  for (const p of path) {
    if (sn === 0) return false; // more hashes than levels
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      // Skip the levels where this node had no sibling and was carried up unchanged.
      while (fn % 2 === 0 && fn !== 0) {
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

const HEX = /^0x(?:[0-9a-f]{2})*$/;

/** `bytes` as "0x" followed by two lowercase hex digits per byte ("0x" for no bytes). */
export function toHex(bytes: Uint8Array): string {
  let hex = "0x";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/**
 * The bytes of a "0x"-prefixed, lowercase, even-length hex string — the only spelling TrialLedger
 * writes, so that every value has exactly one text form and string comparison is byte comparison.
 *
 * @param byteLength when given, the number of bytes required (32 for a SHA-256 digest).
 * @throws TypeError for any other spelling; RangeError for the wrong length.
 */
export function fromHex(hex: string, byteLength?: number): Uint8Array {
  if (!HEX.test(hex)) {
    const shown = hex.length > 20 ? `${hex.slice(0, 20)}…` : hex;
    throw new TypeError(`Expected "0x" and lowercase hex digits in pairs, got "${shown}".`);
  }
  const bytes = new Uint8Array((hex.length - 2) / 2);
  if (byteLength !== undefined && bytes.length !== byteLength) {
    throw new RangeError(`Expected ${byteLength} bytes of hex, got ${bytes.length}.`);
  }
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16);
  return bytes;
}
