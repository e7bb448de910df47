import { describe, expect, it } from "vitest";
import {
  EMPTY_ROOT,
  consistencyProof,
  fromHex,
  inclusionProof,
  leafHash,
  nodeHash,
  rootOf,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from "@/lib/merkle";

/*
 * The RFC 6962 reference vectors of the Certificate Transparency projects: eight leaves, the roots
 * of their first 1..8, and inclusion and consistency proofs. Source: transparency-dev/merkle,
 * proof/verify_test.go (`leaves`, `roots`, `inclusionProofs`, `consistencyProofs`), the same data
 * as google/certificate-transparency's merkle_tree_test and Trillian's merkle/log_verifier_test.go.
 * Those sources number leaves from 1; the indexes below are zero-based.
 */
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
const EMPTY_TREE = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const CT_INCLUSION = [
  {
    index: 0,
    size: 8,
    proof: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  { index: 2, size: 3, proof: ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
  {
    index: 1,
    size: 5,
    proof: [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
];
const CT_CONSISTENCY = [
  { m: 1, n: 1, proof: [] },
  {
    m: 1,
    n: 8,
    proof: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    m: 6,
    n: 8,
    proof: [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  {
    m: 2,
    n: 5,
    proof: [
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
  {
    m: 6,
    n: 7,
    proof: [
      "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
];

const h = (hex: string) => fromHex(`0x${hex}`);
const leafHashes = CT_LEAVES.map((hex) => leafHash(h(hex)));
const root = (size: number) => h(CT_ROOTS[size - 1] ?? "");

describe("RFC 6962 reference vectors (Certificate Transparency)", () => {
  it("the empty tree's root is SHA-256 of nothing", () => {
    expect(toHex(EMPTY_ROOT)).toBe(`0x${EMPTY_TREE}`);
    expect(toHex(rootOf([]))).toBe(`0x${EMPTY_TREE}`);
  });

  it("gives the published roots for the first 1..8 leaves", () => {
    for (let n = 1; n <= 8; n++) expect(toHex(rootOf(leafHashes.slice(0, n))), `size ${n}`).toBe(`0x${CT_ROOTS[n - 1]}`);
  });

  it("hashes leaves with 0x00 and nodes with 0x01", () => {
    expect(toHex(leafHash(new Uint8Array()))).toBe(`0x${CT_ROOTS[0]}`);
    const [a, b] = leafHashes;
    expect(a && b && toHex(nodeHash(a, b))).toBe(`0x${CT_ROOTS[1]}`);
  });

  it("gives the published inclusion proofs, which verify", () => {
    for (const { index, size, proof } of CT_INCLUSION) {
      const tree = leafHashes.slice(0, size);
      expect(inclusionProof(tree, index).map(toHex), `leaf ${index} of ${size}`).toEqual(proof.map((x) => `0x${x}`));
      const leaf = leafHashes[index] ?? new Uint8Array();
      expect(verifyInclusion(leaf, index, size, proof.map(h), root(size))).toBe(true);
    }
  });

  it("gives the published consistency proofs, which verify", () => {
    for (const { m, n, proof } of CT_CONSISTENCY) {
      expect(consistencyProof(leafHashes.slice(0, n), m).map(toHex), `${m} → ${n}`).toEqual(proof.map((x) => `0x${x}`));
      expect(verifyConsistency(m, n, root(m), root(n), proof.map(h)), `${m} → ${n}`).toBe(true);
    }
  });

  // The edge cases of transparency-dev/merkle's TestVerifyConsistency, with our one stricter
  // rule: from size 0 the old root must be the empty tree's.
  it("decides the trivial sizes as the reference verifier does", () => {
    const empty = h(EMPTY_TREE);
    const [r1, r2] = [root(1), root(2)];
    expect(verifyConsistency(0, 0, empty, empty, [])).toBe(true);
    expect(verifyConsistency(0, 1, empty, r1, [])).toBe(true);
    expect(verifyConsistency(1, 1, r2, r2, [])).toBe(true);
    expect(verifyConsistency(1, 1, r1, r2, [])).toBe(false); // equal sizes, different roots
    expect(verifyConsistency(0, 1, r1, r1, [])).toBe(false); // size 0 with a root that is not empty
    expect(verifyConsistency(1, 0, r1, empty, [])).toBe(false); // shrinking
    expect(verifyConsistency(2, 1, r2, r1, [])).toBe(false);
    expect(verifyConsistency(1, 2, r1, r2, [])).toBe(false); // empty proof
    expect(verifyConsistency(0, 0, empty, empty, [empty])).toBe(false); // a proof where none is due
    expect(verifyConsistency(0, 1, empty, r1, [empty])).toBe(false);
    expect(verifyConsistency(1, 1, r1, r1, [empty])).toBe(false);
  });

  it("refuses an inclusion proof for an index outside the tree or an empty tree", () => {
    const some = h("abacaba000000000000000000000000000000000000000000060061e00123456");
    for (const [index, size] of [[0, 0], [1, 0], [2, 1], [-1, 1]] as const) {
      expect(verifyInclusion(some, index, size, [], some)).toBe(false);
    }
    const only = leafHash(new TextEncoder().encode("data"));
    expect(verifyInclusion(only, 0, 1, [], only)).toBe(true);
    expect(verifyInclusion(only, 0, 1, [], new Uint8Array())).toBe(false);
    expect(verifyInclusion(new Uint8Array(), 0, 1, [], only)).toBe(false);
  });
});
