import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { auditPaths, consistencyProof, leafHash, rootOf, toHex, verifyConsistency, verifyInclusion } from "@/lib/merkle";

/*
 * Random trees of every size up to 300 (issue 9's acceptance): every inclusion proof (index, size)
 * and every consistency proof (m, n) verifies, and one flipped bit anywhere makes it fail. The
 * trees are prefixes of one list of 300 random entries, so the reference below (RFC 9162 §2.1's
 * recursive definitions, hashing through node:crypto, memoised per leaf range) stays cheap.
 */
const MAX = 300;

// xorshift32 with a fixed seed: random-looking entries (0..64 bytes), the same on every run.
function entries(count: number, seed: number): Uint8Array[] {
  let x = seed;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  return Array.from({ length: count }, () => Uint8Array.from({ length: next() % 65 }, () => next() & 0xff));
}

const ENTRIES = entries(MAX, 0x9e3779b9);
const LEAF_HASHES = ENTRIES.map(leafHash);

const sha = (...parts: Uint8Array[]) => new Uint8Array(createHash("sha256").update(Buffer.concat(parts)).digest());
const split = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
const memo = new Map<string, Uint8Array>();
/** MTH(D[lo:hi]) by the RFC's recursion, from the entries themselves. */
function mth(lo: number, hi: number): Uint8Array {
  const key = `${lo}:${hi}`;
  const known = memo.get(key);
  if (known) return known;
  const entry = ENTRIES[lo];
  const value =
    hi - lo === 1 && entry
      ? sha(Uint8Array.of(0), entry)
      : sha(Uint8Array.of(1), mth(lo, lo + split(hi - lo)), mth(lo + split(hi - lo), hi));
  memo.set(key, value);
  return value;
}
/** RFC 9162 §2.1.3.1 PATH(m, D[lo:hi]). */
function path(m: number, lo: number, hi: number): Uint8Array[] {
  if (hi - lo === 1) return [];
  const k = split(hi - lo);
  return m < lo + k ? [...path(m, lo, lo + k), mth(lo + k, hi)] : [...path(m, lo + k, hi), mth(lo, lo + k)];
}
/** RFC 9162 §2.1.4.1 SUBPROOF(m, D[lo:hi], b). */
function subproof(m: number, lo: number, hi: number, b: boolean): Uint8Array[] {
  const n = hi - lo;
  if (m === n) return b ? [] : [mth(lo, hi)];
  const k = split(n);
  return m <= k ? [...subproof(m, lo, lo + k, b), mth(lo + k, hi)] : [...subproof(m - k, lo + k, hi, false), mth(lo, lo + k)];
}
const referenceConsistency = (m: number, n: number) => (m === 0 || m === n ? [] : subproof(m, 0, n, true));
const root = (n: number) => (n === 0 ? sha() : mth(0, n));

/** `hash` with bit `bit` (0..255) flipped. */
const flip = (hash: Uint8Array, bit: number) => {
  const copy = hash.slice();
  copy[(bit >> 3) % copy.length] = (copy[(bit >> 3) % copy.length] ?? 0) ^ (1 << (bit & 7));
  return copy;
};
const withFlipped = (proof: readonly Uint8Array[], at: number, bit: number) => proof.map((h, i) => (i === at ? flip(h, bit) : h));
const SIZES = Array.from({ length: MAX }, (_, i) => i + 1);

/** Trees up to this size get a flipped bit in every place of every proof. */
const FULL = 64;
/** The (place, bit) pairs to tamper with among `count` places of the proof for (a, n). */
function places(count: number, a: number, n: number): [place: number, bit: number][] {
  const bit = (a * 31 + n * 7) % 256;
  if (n <= FULL) return Array.from({ length: count }, (_, i) => [i, (bit + 11 * i) % 256]);
  return [[(a + n) % count, bit]];
}

describe(`random trees of 1..${MAX} entries`, () => {
  it("have the RFC's root", () => {
    const wrong = [0, ...SIZES].filter((n) => toHex(rootOf(LEAF_HASHES.slice(0, n))) !== toHex(root(n)));
    expect(wrong).toEqual([]);
  });

  it("every inclusion proof (index, size) is the RFC's, verifies, and fails with any one bit flipped", () => {
    const wrong: string[] = [];
    for (const n of SIZES) {
      const proofs = auditPaths(LEAF_HASHES.slice(0, n));
      const r = root(n);
      proofs.forEach((proof, index) => {
        const leaf = LEAF_HASHES[index] ?? new Uint8Array();
        const at = `leaf ${index} of ${n}`;
        if (proof.map(toHex).join() !== path(index, 0, n).map(toHex).join()) wrong.push(`${at}: not the RFC's proof`);
        if (!verifyInclusion(leaf, index, n, proof, r)) wrong.push(`${at}: refused`);
        // Every place gets a flipped bit up to FULL leaves; beyond, one place per proof, turning
        // with index and size (a different bit each time), keeps the suite to seconds.
        for (const [i, bit] of places(proof.length + 2, index, n)) {
          const variant =
            i === 0
              ? verifyInclusion(flip(leaf, bit), index, n, proof, r)
              : i === 1
                ? verifyInclusion(leaf, index, n, proof, flip(r, bit))
                : verifyInclusion(leaf, index, n, withFlipped(proof, i - 2, bit), r);
          if (variant) wrong.push(`${at}: accepted with ${i < 2 ? ["the leaf", "the root"][i] : `proof[${i - 2}]`} flipped`);
        }
        // One bit of the index is a one-bit change too.
        const other = index ^ (1 << (n % 3));
        if (other < n && verifyInclusion(leaf, other, n, proof, r)) wrong.push(`${at}: accepted as index ${other}`);
      });
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it("every consistency proof (m, n) is the RFC's, verifies, and fails with any one bit flipped", () => {
    const wrong: string[] = [];
    for (const n of SIZES) {
      for (let m = 0; m <= n; m++) {
        const at = `${m} → ${n}`;
        const proof = referenceConsistency(m, n);
        // The library's in-memory proof costs O(n) hashes (it holds no tree), so it is compared
        // on every pair up to 64; stored.test.ts compares its stored-hash proofs on all of them.
        if (n <= 64 && consistencyProof(LEAF_HASHES.slice(0, n), m).map(toHex).join() !== proof.map(toHex).join()) {
          wrong.push(`${at}: not the RFC's proof`);
        }
        const [r1, r2] = [root(m), root(n)];
        if (!verifyConsistency(m, n, r1, r2, proof)) wrong.push(`${at}: refused`);
        // m = 0 proves nothing about the new root (every tree extends the empty one): only the old.
        for (const [i, bit] of places(proof.length + 2, m, n)) {
          const accepted =
            i === 0
              ? verifyConsistency(m, n, flip(r1, bit), r2, proof)
              : i === 1
                ? m > 0 && verifyConsistency(m, n, r1, flip(r2, bit), proof)
                : verifyConsistency(m, n, r1, r2, withFlipped(proof, i - 2, bit));
          if (accepted) wrong.push(`${at}: accepted with ${i < 2 ? ["the old root", "the new root"][i] : `proof[${i - 2}]`} flipped`);
        }
        if (proof.length > 0 && verifyConsistency(m, n, r1, r2, proof.slice(0, -1))) wrong.push(`${at}: accepted a truncated proof`);
        if (m < n && verifyConsistency(m, n, r1, r2, [...proof, r2])) wrong.push(`${at}: accepted an extended proof`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);
});
