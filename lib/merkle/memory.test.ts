import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { auditPaths, fromHex, inclusionPathLength, inclusionProof, leafHash, rootOf, toHex, verifyInclusion } from "@/lib/merkle";

// The RFC 6962 reference vectors are in vectors.test.ts; random trees up to 300 in random.test.ts.
// Here: the in-memory tree against an independent recursive implementation, and tampering.
const hexOf = (hashes: Uint8Array[]) => hashes.map(toHex);

// An independent implementation, written straight from RFC 9162 §2.1.1 and §2.1.3.1 (recursive,
// with slicing, hashing through node:crypto directly), to check the optimised one against.
const sha = (...parts: Uint8Array[]) => new Uint8Array(createHash("sha256").update(Buffer.concat(parts)).digest());
const largestPowerOfTwoBelow = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
function referenceRoot(d: Uint8Array[]): Uint8Array {
  const [only] = d;
  if (d.length === 1 && only) return sha(Uint8Array.of(0), only);
  const k = largestPowerOfTwoBelow(d.length);
  return sha(Uint8Array.of(1), referenceRoot(d.slice(0, k)), referenceRoot(d.slice(k)));
}
function referencePath(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length === 1) return [];
  const k = largestPowerOfTwoBelow(d.length);
  return m < k
    ? [...referencePath(m, d.slice(0, k)), referenceRoot(d.slice(k))]
    : [...referencePath(m - k, d.slice(k)), referenceRoot(d.slice(0, k))];
}

/** `n` distinct 32-byte leaves, like the digests TrialLedger anchors. */
const digests = (n: number, seed = "leaf") =>
  Array.from({ length: n }, (_, i) => sha(new TextEncoder().encode(`${seed}-${i}`)));

const flipBit = (bytes: Uint8Array, at = 0) => {
  const copy = bytes.slice();
  copy[at % copy.length] = (copy[at % copy.length] ?? 0) ^ 0x01;
  return copy;
};

const SIZES = Array.from({ length: 70 }, (_, i) => i + 1);

// Anchoring's view: leaves are digests, hashed with the 0x00 prefix into the tree.
const rootOfLeaves = (leaves: Uint8Array[]) => rootOf(leaves.map(leafHash));
const auditPath = (leaves: Uint8Array[], index: number) => inclusionProof(leaves.map(leafHash), index);
const pathsOf = (leaves: Uint8Array[]) => auditPaths(leaves.map(leafHash));

/** An inclusion claim about a leaf itself (not its leaf hash), as a receipt states it. */
type Proof = { leaf: Uint8Array; index: number; treeSize: number; path: readonly Uint8Array[]; root: Uint8Array };
const check = ({ leaf, index, treeSize, path, root }: Proof) => verifyInclusion(leafHash(leaf), index, treeSize, path, root);

describe("rootOf", () => {
  it("equals the RFC's recursive definition for 1..70 leaves", () => {
    for (const n of SIZES) {
      const leaves = digests(n);
      expect(toHex(rootOfLeaves(leaves)), `size ${n}`).toBe(toHex(referenceRoot(leaves)));
    }
  });

  it("has no proofs for the empty tree", () => {
    expect(auditPaths([])).toEqual([]);
    expect(() => inclusionProof([], 0)).toThrow(RangeError);
  });

  it("is not the duplicate-last-node tree: 3 leaves differ from [a, b, c, c]", () => {
    const [a, b, c] = digests(3);
    expect(a && b && c && toHex(rootOfLeaves([a, b, c]))).not.toBe(a && b && c && toHex(rootOfLeaves([a, b, c, c])));
  });
});

/** Every valid proof of every tree of 1..70 digests; built once, the tamper tests reuse them. */
const proofs: Proof[] = SIZES.flatMap((n) => {
  const leaves = digests(n);
  const root = rootOfLeaves(leaves);
  return pathsOf(leaves).map((path, index) => ({ leaf: leaves[index] ?? new Uint8Array(), index, treeSize: n, path, root }));
});

const describeProof = ({ index, treeSize }: Proof) => `leaf ${index} of ${treeSize}`;

/** The variants of proofs that verifyInclusion accepted; collected so a failure lists them all. */
function accepted(variants: (proof: Proof) => Proof[]): string[] {
  return proofs.flatMap((proof) =>
    variants(proof)
      .filter((variant) => check(variant))
      .map((variant) => `${describeProof(proof)}: accepted index ${variant.index}, size ${variant.treeSize}, ${variant.path.length} hashes`),
  );
}

// Every other index up to 32 leaves; beyond, the likely mistakes (neighbours, the sibling, the
// ends) keep the suite quick: checking every index of every size costs seconds.
const otherIndices = ({ index, treeSize }: Proof) =>
  (treeSize <= 32 ? Array.from({ length: treeSize }, (_, i) => i) : [index - 1, index + 1, index ^ 1, 0, treeSize - 1]).filter(
    (i) => i !== index && i >= 0 && i < treeSize,
  );
// Sizes within 8 of the real one, and the powers of two a wrong size is often rounded to.
const nearbySizes = ({ treeSize }: Proof) =>
  [...Array.from({ length: 17 }, (_, i) => treeSize - 8 + i), 1, 2, 4, 8, 16, 32, 64, 128].filter(
    (size) => size >= 1 && size !== treeSize,
  );

describe("inclusionProof and auditPaths", () => {
  it("equal the RFC's recursive definition, and every path verifies, for 1..70 leaves", () => {
    const wrong: string[] = [];
    for (const n of SIZES) {
      const leaves = digests(n);
      const all = pathsOf(leaves);
      expect(all).toHaveLength(n);
      leaves.forEach((_, index) => {
        const expected = hexOf(referencePath(index, leaves)).join();
        if (hexOf(auditPath(leaves, index)).join() !== expected) wrong.push(`auditPath ${index} of ${n}`);
        if (hexOf(all[index] ?? []).join() !== expected) wrong.push(`auditPaths ${index} of ${n}`);
        if (all[index]?.length !== inclusionPathLength(index, n)) wrong.push(`inclusionPathLength ${index} of ${n}`);
      });
    }
    expect(wrong).toEqual([]);
    expect(proofs.filter((proof) => !check(proof)).map(describeProof)).toEqual([]);
  });

  it("refuses an index outside the tree", () => {
    const leaves = digests(3);
    for (const index of [-1, 3, 1.5, Number.NaN]) expect(() => auditPath(leaves, index)).toThrow(RangeError);
  });
});

describe("verifyInclusion refuses anything altered", () => {
  it("a flipped bit in the leaf, in any path hash or in the root", () => {
    expect(
      accepted((proof) => [
        { ...proof, leaf: flipBit(proof.leaf, proof.index) },
        { ...proof, root: flipBit(proof.root, proof.index) },
        ...proof.path.map((_, at) => ({ ...proof, path: proof.path.map((h, i) => (i === at ? flipBit(h, proof.index) : h)) })),
      ]),
    ).toEqual([]);
  });

  it("any other index, and indices that are not indices", () => {
    expect(
      accepted((proof) => [
        ...otherIndices(proof).map((index) => ({ ...proof, index })),
        ...[-1, proof.treeSize, proof.treeSize + 1, proof.index + 0.5, Number.NaN, Number.POSITIVE_INFINITY].map((index) => ({ ...proof, index })),
      ]),
    ).toEqual([]);
  });

  it("a truncated or extended path", () => {
    expect(
      accepted(({ path, root, ...rest }) => [
        ...(path.length > 0 ? [{ ...rest, root, path: path.slice(1) }, { ...rest, root, path: path.slice(0, -1) }] : []),
        { ...rest, root, path: [...path, root] },
        { ...rest, root, path: [root, ...path] },
      ]),
    ).toEqual([]);
  });

  it("a tree size the path does not fit, and sizes that are not sizes", () => {
    expect(
      accepted((proof) => [
        ...nearbySizes(proof).map((treeSize) => ({ ...proof, treeSize })).filter(
          ({ treeSize }) =>
            treeSize !== proof.treeSize &&
            (proof.index >= treeSize || inclusionPathLength(proof.index, treeSize) !== proof.path.length),
        ),
        ...[0, -1, 1.5, 2 ** 53].map((treeSize) => ({ ...proof, treeSize })),
      ]),
    ).toEqual([]);
  });

  // The proof alone does not pin the size when a smaller tree's shape is a prefix of a larger
  // one's: this is why the chain check compares treeSize with the leaf count anchored on chain.
  it("cannot tell sizes apart when the hashing is the same (leaf 0 of 3 vs of 4)", () => {
    const leaves = digests(3);
    const proof = { leaf: leaves[0] ?? new Uint8Array(), index: 0, treeSize: 3, path: auditPath(leaves, 0), root: rootOfLeaves(leaves) };
    expect(check({ ...proof, treeSize: 4 })).toBe(true);
  });

  it("hashes that are not 32 bytes", () => {
    const leaves = digests(5);
    const root = rootOfLeaves(leaves);
    const path = auditPath(leaves, 2);
    const proof = { leaf: leaves[2] ?? new Uint8Array(), index: 2, treeSize: 5, path, root };
    expect(check(proof)).toBe(true);
    expect(check({ ...proof, root: root.slice(0, 31) })).toBe(false);
    expect(check({ ...proof, path: path.map((h, i) => (i === 0 ? Uint8Array.of(...h, 0) : h)) })).toBe(false);
  });
});

describe("large batches", () => {
  it("proves every leaf of 10,000", () => {
    const leaves = digests(10_000, "big");
    const root = rootOfLeaves(leaves);
    const paths = pathsOf(leaves);
    for (const index of [0, 1, 4095, 8191, 8192, 9998, 9999]) {
      expect(hexOf(paths[index] ?? [])).toEqual(hexOf(auditPath(leaves, index)));
    }
    const failed = paths.filter(
      (path, index) => path.length > 14 || !check({ leaf: leaves[index] ?? new Uint8Array(), index, treeSize: 10_000, path, root }),
    );
    expect(failed).toHaveLength(0);
  });
});

describe("hex", () => {
  it("round-trips lowercase 0x hex", () => {
    const bytes = Uint8Array.of(0, 1, 0xab, 0xff);
    expect(toHex(bytes)).toBe("0x0001abff");
    expect(fromHex("0x0001abff")).toEqual(bytes);
    expect(fromHex("0x")).toEqual(new Uint8Array());
    expect(fromHex(`0x${"00".repeat(32)}`, 32)).toHaveLength(32);
  });

  it("refuses every other spelling and the wrong length", () => {
    for (const bad of ["", "0001", "0X00", "0xAB", "0xabc", "0xzz", " 0x00", "0x00 "]) {
      expect(() => fromHex(bad), bad).toThrow(TypeError);
    }
    expect(() => fromHex("0x0011", 32)).toThrow(/32 bytes/);
  });
});
