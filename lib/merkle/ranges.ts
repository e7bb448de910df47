/**
 * RFC 9162 §2.1.3.1 PATH and §2.1.4.1 SUBPROOF, as lists of leaf ranges: each proof hash is
 * MTH(D[lo:hi]) of one range. The in-memory proofs (memory.ts) and the stored-hash proofs
 * (stored.ts) share this one recursion, so they cannot disagree on a proof's shape.
 *
 * Sizes are JavaScript numbers: arithmetic, never bit shifts (`>>` truncates to 32 bits).
 */

/** [lo, hi): leaves lo … hi − 1. */
export type Range = readonly [lo: number, hi: number];

/** The largest power of two strictly below n (n ≥ 2): RFC 9162's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The ranges of the inclusion proof of leaf `index` in D[lo:hi], leaf's sibling first. */
export function inclusionRanges(index: number, lo: number, hi: number): Range[] {
  const ranges: Range[] = [];
  // Iterative descent: collect top-down, then reverse, since the proof lists the leaf's level first.
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      ranges.push([lo + k, hi]);
      hi = lo + k;
    } else {
      ranges.push([lo, lo + k]);
      lo += k;
    }
  }
  return ranges.reverse();
}

/**
 * The ranges of the consistency proof from the first m leaves to all n = hi − lo (0 < m ≤ n),
 * RFC 9162 §2.1.4.1 SUBPROOF(m, D[lo:hi], b): `b` says whether D[lo:lo+m] is the old tree
 * itself (whose root the verifier already has) or a subtree of it that must be in the proof.
 */
export function consistencyRanges(m: number, lo: number, hi: number, b = true): Range[] {
  const ranges: Range[] = [];
  for (;;) {
    const n = hi - lo;
    if (m === n) {
      if (!b) ranges.push([lo, hi]);
      return ranges.reverse();
    }
    const k = splitPoint(n);
    if (m <= k) {
      ranges.push([lo + k, hi]);
      hi = lo + k;
    } else {
      ranges.push([lo, lo + k]);
      lo += k;
      m -= k;
      b = false;
    }
  }
}

/** Whether `n` is a safe integer ≥ 0. */
export function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}
