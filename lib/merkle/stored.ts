import { EMPTY_ROOT, HASH_BYTES, nodeHash, nth } from "@/lib/merkle/hash";
import { consistencyRanges, inclusionRanges, isCount, type Range } from "@/lib/merkle/ranges";

/**
 * The stored-hash layout of golang.org/x/mod/sumdb/tlog (Crosby & Wallach 2009 §3.3), which
 * STANDARDS §2.8 adopts for the log's hash table: every complete subtree's hash is stored once, at
 * an index that only depends on its (level, n) — so an append writes 1 + trailingZeros(n + 1)
 * hashes (fewer than 2 on average) and never rewrites one, and any root or proof reads O(log n)
 * of them by primary key. Node (level, n) is the root of leaves n·2^level … (n + 1)·2^level − 1.
 *
 * Indexes are JavaScript numbers: up to 2^53 − 1 stored hashes, so logs of 2^52 entries.
 */

/**
 * Reads stored hashes by index, answering in the order asked. The caller (a database query, a
 * tile fetcher) may answer in any way, but must answer every index or throw.
 */
export type HashReader = (indexes: number[]) => Promise<Uint8Array[]>;

/** The stored index of node (level, n): hashes are stored in the order appends complete them. */
export function storedHashIndex(level: number, n: number): number {
  if (!Number.isInteger(level) || level < 0 || level > 52 || !isCount(n)) {
    throw new RangeError(`No stored hash for node (${level}, ${n}).`);
  }
  // The node completes with leaf (n + 1)·2^level − 1; before that leaf come the hashes of the
  // (n + 1)·2^level − 1 earlier leaves, Σ_k ⌊m / 2^k⌋ of them, then the leaf and `level` parents.
  let m = n * 2 ** level + (2 ** level - 1);
  let index = 0;
  while (m > 0) {
    index += m;
    m = Math.floor(m / 2);
  }
  return index + level;
}

/** How many hashes are stored for a tree of `n` leaves: 2n − popcount(n). */
export function storedHashCount(n: number): number {
  if (!isCount(n)) throw new RangeError(`Tree size ${n} is not a count.`);
  // Σ_k ⌊n / 2^k⌋ complete nodes, which is also where the hashes of leaf n would start.
  let count = 0;
  for (let m = n; m > 0; m = Math.floor(m / 2)) count += m;
  return count;
}

/**
 * The (level, n) of the node stored at `index`: the inverse of storedHashIndex.
 * @throws RangeError for an index that is not a count.
 */
export function splitStoredHashIndex(index: number): { level: number; n: number } {
  if (!isCount(index)) throw new RangeError(`Stored hash index ${index} is not a count.`);
  // The leaf whose append wrote this hash is the last leaf r with storedHashCount(r) ≤ index;
  // storedHashCount(r) lies in [r, 2r], so r lies in [⌊index / 2⌋, index].
  let lo = Math.floor(index / 2);
  let hi = index;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (storedHashCount(mid) <= index) lo = mid;
    else hi = mid - 1;
  }
  const level = index - storedHashCount(lo);
  return { level, n: Math.floor(lo / 2 ** level) };
}

/**
 * The hashes to store when `leafHashes` are appended to a tree of `n` leaves, for the indexes
 * storedHashCount(n) … storedHashCount(n + leafHashes.length) − 1 in that order. Reads, in one
 * call, only the left siblings the new nodes need from the old tree (at most log2 n of them).
 */
export async function storedHashesForBatch(n: number, leafHashes: readonly Uint8Array[], read: HashReader): Promise<Uint8Array[]> {
  if (!isCount(n)) throw new RangeError(`Tree size ${n} is not a count.`);
  if (leafHashes.some((hash) => hash.length !== HASH_BYTES)) throw new RangeError("A leaf hash is not 32 bytes.");
  const end = n + leafHashes.length;
  // The old tree's complete subtrees are its nodes (l, ⌊n / 2^l⌋ − 1) for every bit l set in n;
  // one becomes a left sibling exactly when the batch completes its right neighbour.
  const known = new Map<string, Uint8Array>();
  const needed: [level: number, index: number][] = [];
  for (let l = 0; 2 ** l <= n; l++) {
    const k = Math.floor(n / 2 ** l);
    if (k % 2 === 1 && end >= (k + 1) * 2 ** l) needed.push([l, k - 1]);
  }
  const old = await readExactly(read, needed.map(([l, k]) => storedHashIndex(l, k)));
  needed.forEach(([l, k], i) => known.set(`${l}:${k}`, nth(old, i)));

  const out: Uint8Array[] = [];
  leafHashes.forEach((hash, i) => {
    let level = 0;
    let k = n + i;
    let node = hash;
    out.push(node);
    known.set(`0:${k}`, node);
    // Leaf k completes one parent per trailing one bit of k.
    while (k % 2 === 1) {
      const left = known.get(`${level}:${k - 1}`);
      if (left === undefined) throw new Error(`Merkle: left sibling (${level}, ${k - 1}) was not read.`);
      node = nodeHash(left, node);
      level += 1;
      k = Math.floor(k / 2);
      out.push(node);
      known.set(`${level}:${k}`, node);
    }
  });
  return out;
}

/** The root of the tree of the first `size` leaves, from popcount(size) stored hashes. */
export async function treeHash(size: number, read: HashReader): Promise<Uint8Array> {
  if (!isCount(size)) throw new RangeError(`Tree size ${size} is not a count.`);
  if (size === 0) return EMPTY_ROOT;
  const [hash] = await rangeHashes([[0, size]], read);
  return hash ?? EMPTY_ROOT;
}

/**
 * The inclusion proof of leaf `index` in the tree of `size` leaves (RFC 9162 §2.1.3.1), from at
 * most 2·log2(size) stored hashes read in one call.
 * @throws RangeError unless 0 ≤ index < size.
 */
export async function proveRecord(size: number, index: number, read: HashReader): Promise<Uint8Array[]> {
  if (!isCount(size) || !isCount(index) || index >= size) {
    throw new RangeError(`Leaf index ${index} is outside a tree of ${size} leaves.`);
  }
  return rangeHashes(inclusionRanges(index, 0, size), read);
}

/**
 * The consistency proof from the tree of `oldSize` leaves to the tree of `size` (RFC 9162
 * §2.1.4.1), from O(log size) stored hashes read in one call. Empty when oldSize is 0 or size.
 * @throws RangeError unless 0 ≤ oldSize ≤ size.
 */
export async function proveTree(size: number, oldSize: number, read: HashReader): Promise<Uint8Array[]> {
  if (!isCount(size) || !isCount(oldSize) || oldSize > size) {
    throw new RangeError(`Old size ${oldSize} is outside 0..${size}.`);
  }
  if (oldSize === 0 || oldSize === size) return [];
  return rangeHashes(consistencyRanges(oldSize, 0, size), read);
}

/**
 * The complete subtrees (level, n) that make up D[lo:hi], left to right. For the ranges of the
 * RFC's recursion (lo a multiple of a power of two ≥ hi − lo) they shrink left to right, so
 * MTH(D[lo:hi]) is their hashes folded from the right.
 */
export function rangeNodes(lo: number, hi: number): [level: number, n: number][] {
  const nodes: [number, number][] = [];
  while (lo < hi) {
    let level = 0;
    while (lo % 2 ** (level + 1) === 0 && lo + 2 ** (level + 1) <= hi) level += 1;
    nodes.push([level, lo / 2 ** level]);
    lo += 2 ** level;
  }
  return nodes;
}

async function rangeHashes(ranges: readonly Range[], read: HashReader): Promise<Uint8Array[]> {
  const perRange = ranges.map(([lo, hi]) => rangeNodes(lo, hi).map(([l, n]) => storedHashIndex(l, n)));
  const unique = [...new Set(perRange.flat())];
  const hashes = await readExactly(read, unique);
  const position = new Map(unique.map((index, i) => [index, i]));
  return perRange.map((indexes) => {
    const nodes = indexes.map((index) => nth(hashes, position.get(index) ?? -1));
    let acc = nth(nodes, nodes.length - 1);
    for (let i = nodes.length - 2; i >= 0; i--) acc = nodeHash(nth(nodes, i), acc);
    return acc;
  });
}

async function readExactly(read: HashReader, indexes: number[]): Promise<Uint8Array[]> {
  if (indexes.length === 0) return [];
  const hashes = await read(indexes);
  if (hashes.length !== indexes.length || hashes.some((hash) => hash.length !== HASH_BYTES)) {
    throw new Error(`Merkle: the hash reader answered ${hashes.length} hashes for ${indexes.length} indexes, or one not of 32 bytes.`);
  }
  return hashes;
}
