import { describe, expect, it } from "vitest";
import {
  type HashReader,
  auditPaths,
  consistencyProof,
  leafHash,
  nodeHash,
  proveRecord,
  proveTree,
  rootOf,
  splitStoredHashIndex,
  storedHashCount,
  storedHashIndex,
  storedHashesForBatch,
  toHex,
  treeHash,
  verifyConsistency,
} from "@/lib/merkle";

const enc = new TextEncoder();
const leafHashesOf = (count: number, seed = "entry") => Array.from({ length: count }, (_, i) => leafHash(enc.encode(`${seed}-${i}`)));
const trailingZeros = (n: number) => {
  let z = 0;
  for (let m = n; m % 2 === 0 && m > 0; m /= 2) z++;
  return z;
};
const popcount = (n: number) => {
  let c = 0;
  for (let m = n; m > 0; m = Math.floor(m / 2)) c += m % 2;
  return c;
};

/** An append-only table of stored hashes, as the log's LogHash table is, counting what is read. */
function memoryStore() {
  const hashes: Uint8Array[] = [];
  const reads: number[][] = [];
  const read: HashReader = async (indexes) => {
    reads.push(indexes);
    return indexes.map((i) => {
      const hash = hashes[i];
      if (!hash) throw new Error(`no stored hash ${i}`);
      return hash;
    });
  };
  /** Appends leaf hashes to a tree of `size` = the leaves appended so far; returns the hashes written. */
  const append = async (size: number, leaves: Uint8Array[]) => {
    const written = await storedHashesForBatch(size, leaves, read);
    expect(hashes.length).toBe(storedHashCount(size)); // never rewrites, never skips
    hashes.push(...written);
    expect(hashes.length).toBe(storedHashCount(size + leaves.length));
    return written;
  };
  return { hashes, reads, read, append };
}

const MAX = 300;
const LEAVES = leafHashesOf(MAX);

/** The store for all MAX leaves, appended in batches of 1, 2, 3 … (the sequencer's batches vary). */
async function filledStore() {
  const store = memoryStore();
  for (let size = 0, batch = 1; size < MAX; size += batch, batch++) {
    await store.append(size, LEAVES.slice(size, Math.min(MAX, size + batch)));
  }
  return store;
}

describe("storedHashIndex", () => {
  it("numbers the nodes in the order appends complete them", () => {
    // Append leaf by leaf: leaf k is stored, then one parent per trailing one bit of k.
    const order: string[] = [];
    for (let k = 0; k < 1024; k++) {
      order.push(`0:${k}`);
      for (let level = 1, m = k; m % 2 === 1; level++, m = Math.floor(m / 2)) order.push(`${level}:${Math.floor(m / 2)}`);
    }
    const wrong = order.filter((node, index) => {
      const [level = 0, n = 0] = node.split(":").map(Number);
      return storedHashIndex(level, n) !== index;
    });
    expect(wrong).toEqual([]);
    expect(order.slice(0, 7)).toEqual(["0:0", "0:1", "1:0", "0:2", "0:3", "1:1", "2:0"]);
  });

  it("is undone by splitStoredHashIndex, also past 2^32", () => {
    for (let index = 0; index < 5000; index++) {
      const { level, n } = splitStoredHashIndex(index);
      expect(storedHashIndex(level, n), `index ${index}`).toBe(index);
    }
    for (const [level, n] of [[0, 2 ** 40 + 12_345], [17, 2 ** 30 + 1], [40, 3], [0, 2 ** 51]] as const) {
      expect(splitStoredHashIndex(storedHashIndex(level, n))).toEqual({ level, n });
    }
  });

  it("counts 2n − popcount(n) hashes for n leaves", () => {
    for (let n = 0; n <= 2000; n++) expect(storedHashCount(n), `size ${n}`).toBe(2 * n - popcount(n));
    expect(storedHashCount(2 ** 40)).toBe(2 ** 41 - 1);
  });

  it("refuses what is not a node", () => {
    for (const [level, n] of [[-1, 0], [0, -1], [0, 0.5], [53, 0], [0, Number.NaN]] as const) {
      expect(() => storedHashIndex(level, n)).toThrow(RangeError);
    }
    expect(() => splitStoredHashIndex(-1)).toThrow(RangeError);
  });
});

describe("storedHashesForBatch", () => {
  it("writes 1 + trailingZeros(n + 1) hashes per append, under 2 on average, reading only left siblings", async () => {
    const store = memoryStore();
    const leaves = leafHashesOf(4096, "one-by-one");
    let written = 0;
    for (let n = 0; n < leaves.length; n++) {
      const before = store.reads.length;
      const out = await store.append(n, leaves.slice(n, n + 1));
      expect(out.length, `append at ${n}`).toBe(1 + trailingZeros(n + 1));
      written += out.length;
      // The siblings read are the nodes the new parents need: one per parent written.
      const siblings = store.reads.slice(before).reduce((sum, r) => sum + r.length, 0);
      expect(siblings, `reads at ${n}`).toBe(out.length - 1);
    }
    expect(written / leaves.length).toBeLessThan(2);
    expect(written).toBe(storedHashCount(leaves.length));
  });

  it("stores every complete subtree's root, whatever the batch sizes", async () => {
    const store = await filledStore();
    expect(store.hashes.length).toBe(storedHashCount(MAX));
    const wrong: string[] = [];
    for (let level = 0; 2 ** level <= MAX; level++) {
      for (let n = 0; (n + 1) * 2 ** level <= MAX; n++) {
        const expected = rootOf(LEAVES.slice(n * 2 ** level, (n + 1) * 2 ** level));
        if (toHex(store.hashes[storedHashIndex(level, n)] ?? new Uint8Array()) !== toHex(expected)) wrong.push(`${level}:${n}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("gives the same hashes appended in one batch as one by one", async () => {
    const [one, all] = [memoryStore(), memoryStore()];
    for (let n = 0; n < 100; n++) await one.append(n, LEAVES.slice(n, n + 1));
    await all.append(0, LEAVES.slice(0, 100));
    expect(all.hashes.map(toHex)).toEqual(one.hashes.map(toHex));
  });

  it("refuses a reader that answers short, and leaf hashes that are not 32 bytes", async () => {
    const store = await filledStore();
    await expect(storedHashesForBatch(3, [leafHash(enc.encode("x"))], async () => [])).rejects.toThrow(/answered 0 hashes for 2/);
    await expect(storedHashesForBatch(MAX, [new Uint8Array(31)], store.read)).rejects.toThrow(RangeError);
  });
});

describe("treeHash, proveRecord and proveTree over stored hashes", () => {
  it("treeHash is the root of every size up to 300", async () => {
    const store = await filledStore();
    for (let size = 0; size <= MAX; size++) {
      expect(toHex(await treeHash(size, store.read)), `size ${size}`).toBe(toHex(rootOf(LEAVES.slice(0, size))));
    }
  });

  it("proveRecord is the in-memory inclusion proof of every (index, size) up to 300", async () => {
    const store = await filledStore();
    const wrong: string[] = [];
    for (let size = 1; size <= MAX; size++) {
      const paths = auditPaths(LEAVES.slice(0, size));
      for (let index = 0; index < size; index++) {
        const stored = (await proveRecord(size, index, store.read)).map(toHex).join();
        if (stored !== (paths[index] ?? []).map(toHex).join()) wrong.push(`${index} of ${size}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it("proveTree verifies for every (m, n) up to 300, and is the in-memory proof", async () => {
    const store = await filledStore();
    const roots = Array.from({ length: MAX + 1 }, (_, n) => rootOf(LEAVES.slice(0, n)));
    const wrong: string[] = [];
    for (let n = 1; n <= MAX; n++) {
      for (let m = 0; m <= n; m++) {
        const proof = await proveTree(n, m, store.read);
        if (!verifyConsistency(m, n, roots[m] ?? new Uint8Array(), roots[n] ?? new Uint8Array(), proof)) wrong.push(`${m} → ${n}`);
        if ((n <= 64 || m % 29 === 0) && proof.map(toHex).join() !== consistencyProof(LEAVES.slice(0, n), m).map(toHex).join()) {
          wrong.push(`${m} → ${n}: not the in-memory proof`);
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it("read O(log n) hashes, in one call, at a million entries and past 2^40", async () => {
    // A reader of made-up hashes: the proofs' shape, not their values, is what is counted here.
    let calls = 0;
    let read = 0;
    const fake: HashReader = async (indexes) => {
      calls++;
      read += indexes.length;
      return indexes.map((i) => nodeHash(enc.encode(String(i)), new Uint8Array()));
    };
    for (const size of [1_000_000, 2 ** 40 + 12_345]) {
      const log2 = Math.ceil(Math.log2(size));
      for (const [what, run, bound] of [
        ["treeHash", () => treeHash(size, fake), popcount(size)],
        ["proveRecord", () => proveRecord(size, size - 1, fake), 2 * log2],
        ["proveRecord", () => proveRecord(size, Math.floor(size / 3), fake), 2 * log2],
        ["proveTree", () => proveTree(size, size - 1, fake), 2 * log2],
        ["proveTree", () => proveTree(size, Math.floor(size / 3) + 1, fake), 2 * log2],
      ] as const) {
        [calls, read] = [0, 0];
        await run();
        expect(calls, `${what} at ${size}`).toBe(1);
        expect(read, `${what} at ${size}`).toBeLessThanOrEqual(bound);
      }
    }
  });

  it("refuse sizes and indexes outside the tree", async () => {
    const store = await filledStore();
    await expect(proveRecord(10, 10, store.read)).rejects.toThrow(RangeError);
    await expect(proveTree(10, 11, store.read)).rejects.toThrow(RangeError);
    await expect(treeHash(-1, store.read)).rejects.toThrow(RangeError);
    expect(await proveTree(10, 0, store.read)).toEqual([]);
    expect(await proveTree(10, 10, store.read)).toEqual([]);
  });
});
