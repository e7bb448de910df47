import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  auditPath,
  auditPaths,
  fromHex,
  inclusionPathLength,
  leafHash,
  merkleRoot,
  nodeHash,
  toHex,
  verifyInclusion,
} from "@/lib/anchoring/merkle";

// The Certificate Transparency reference vectors (RFC 6962 test data, as used by the CT C++, Go
// and Trillian test suites): leaves, roots for the first 1..8 leaves, and inclusion proofs.
const CT_LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];
const CT_ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
// Zero-based leaf indices (the CT sources number leaves from 1).
const CT_PATHS = [
  {
    index: 0,
    size: 8,
    path: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    index: 5,
    size: 8,
    path: [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  { index: 2, size: 3, path: ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
  {
    index: 1,
    size: 5,
    path: [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
];

const ctLeaves = CT_LEAVES.map((hex) => fromHex(`0x${hex}`));
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

describe("RFC 6962 reference vectors", () => {
  it("gives the published roots for the first 1..8 leaves", () => {
    for (let n = 1; n <= 8; n++) expect(toHex(merkleRoot(ctLeaves.slice(0, n))), `size ${n}`).toBe(`0x${CT_ROOTS[n - 1]}`);
  });

  it("hashes leaves with 0x00 and nodes with 0x01", () => {
    expect(toHex(leafHash(new Uint8Array()))).toBe(`0x${CT_ROOTS[0]}`);
    const [a, b] = ctLeaves;
    expect(a && b && toHex(nodeHash(leafHash(a), leafHash(b)))).toBe(`0x${CT_ROOTS[1]}`);
  });

  it("gives the published inclusion proofs, which verify", () => {
    for (const { index, size, path } of CT_PATHS) {
      const leaves = ctLeaves.slice(0, size);
      expect(hexOf(auditPath(leaves, index)), `leaf ${index} of ${size}`).toEqual(path.map((h) => `0x${h}`));
      const leaf = leaves[index] ?? new Uint8Array();
      const root = fromHex(`0x${CT_ROOTS[size - 1]}`);
      expect(verifyInclusion({ leaf, index, treeSize: size, path: path.map((h) => fromHex(`0x${h}`)), root })).toBe(true);
    }
  });
});

describe("merkleRoot", () => {
  it("equals the RFC's recursive definition for 1..70 leaves", () => {
    for (const n of SIZES) {
      const leaves = digests(n);
      expect(toHex(merkleRoot(leaves)), `size ${n}`).toBe(toHex(referenceRoot(leaves)));
    }
  });

  it("refuses an empty batch", () => {
    expect(() => merkleRoot([])).toThrow(/at least one leaf/);
  });

  it("is not the duplicate-last-node tree: 3 leaves differ from [a, b, c, c]", () => {
    const [a, b, c] = digests(3);
    expect(a && b && c && toHex(merkleRoot([a, b, c]))).not.toBe(a && b && c && toHex(merkleRoot([a, b, c, c])));
  });
});

type Proof = Parameters<typeof verifyInclusion>[0];

/** Every valid proof of every tree of 1..70 digests; built once, the tamper tests reuse them. */
const proofs: Proof[] = SIZES.flatMap((n) => {
  const leaves = digests(n);
  const root = merkleRoot(leaves);
  return auditPaths(leaves).map((path, index) => ({ leaf: leaves[index] ?? new Uint8Array(), index, treeSize: n, path, root }));
});

const describeProof = ({ index, treeSize }: Proof) => `leaf ${index} of ${treeSize}`;

/** The variants of proofs that verifyInclusion accepted; collected so a failure lists them all. */
function accepted(variants: (proof: Proof) => Proof[]): string[] {
  return proofs.flatMap((proof) =>
    variants(proof)
      .filter((variant) => verifyInclusion(variant))
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

describe("auditPath and auditPaths", () => {
  it("equal the RFC's recursive definition, and every path verifies, for 1..70 leaves", () => {
    const wrong: string[] = [];
    for (const n of SIZES) {
      const leaves = digests(n);
      const all = auditPaths(leaves);
      expect(all).toHaveLength(n);
      leaves.forEach((_, index) => {
        const expected = hexOf(referencePath(index, leaves)).join();
        if (hexOf(auditPath(leaves, index)).join() !== expected) wrong.push(`auditPath ${index} of ${n}`);
        if (hexOf(all[index] ?? []).join() !== expected) wrong.push(`auditPaths ${index} of ${n}`);
        if (all[index]?.length !== inclusionPathLength(index, n)) wrong.push(`inclusionPathLength ${index} of ${n}`);
      });
    }
    expect(wrong).toEqual([]);
    expect(proofs.filter((proof) => !verifyInclusion(proof)).map(describeProof)).toEqual([]);
  });

  it("refuses an index outside the tree", () => {
    const leaves = digests(3);
    for (const index of [-1, 3, 1.5, Number.NaN]) expect(() => auditPath(leaves, index)).toThrow(RangeError);
    expect(() => auditPaths([])).toThrow(/at least one leaf/);
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
    const proof = { leaf: leaves[0] ?? new Uint8Array(), index: 0, treeSize: 3, path: auditPath(leaves, 0), root: merkleRoot(leaves) };
    expect(verifyInclusion({ ...proof, treeSize: 4 })).toBe(true);
  });

  it("hashes that are not 32 bytes", () => {
    const leaves = digests(5);
    const root = merkleRoot(leaves);
    const path = auditPath(leaves, 2);
    const proof = { leaf: leaves[2] ?? new Uint8Array(), index: 2, treeSize: 5, path, root };
    expect(verifyInclusion(proof)).toBe(true);
    expect(verifyInclusion({ ...proof, root: root.slice(0, 31) })).toBe(false);
    expect(verifyInclusion({ ...proof, path: path.map((h, i) => (i === 0 ? Uint8Array.of(...h, 0) : h)) })).toBe(false);
  });
});

describe("large batches", () => {
  it("proves every leaf of 10,000", () => {
    const leaves = digests(10_000, "big");
    const root = merkleRoot(leaves);
    const paths = auditPaths(leaves);
    for (const index of [0, 1, 4095, 8191, 8192, 9998, 9999]) {
      expect(hexOf(paths[index] ?? [])).toEqual(hexOf(auditPath(leaves, index)));
    }
    const failed = paths.filter(
      (path, index) => path.length > 14 || !verifyInclusion({ leaf: leaves[index] ?? new Uint8Array(), index, treeSize: 10_000, path, root }),
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
