import { describe, expect, it } from "vitest";
import {
  type HashReader,
  type Tile,
  bundlesForSize,
  leafHash,
  parseTilePath,
  proveRecord,
  proveTree,
  storedHashIndex,
  storedHashesForBatch,
  tileHashIndexes,
  tileHashReader,
  tilePath,
  tilesForSize,
  toHex,
  treeHash,
} from "@/lib/merkle";

describe("tilePath and parseTilePath (C2SP tlog-tiles)", () => {
  it("spell the spec's examples", () => {
    expect(tilePath({ level: 0, n: 1_234_067, width: 12 })).toBe("tile/0/x001/x234/067.p/12");
    expect(tilePath({ level: 0, n: 1_234_067, width: 256 })).toBe("tile/0/x001/x234/067");
    expect(tilePath({ level: -1, n: 0, width: 256 })).toBe("tile/entries/000");
    expect(tilePath({ level: -1, n: 5, width: 3 })).toBe("tile/entries/005.p/3");
    expect(tilePath({ level: 2, n: 1000, width: 256 })).toBe("tile/2/x001/000");
    expect(tilePath({ level: 1, n: 999, width: 255 })).toBe("tile/1/999.p/255");
  });

  it("round-trip", () => {
    const tiles: Tile[] = [
      { level: 0, n: 0, width: 1 },
      { level: 63, n: 2 ** 53 - 1, width: 256 },
      { level: -1, n: 273, width: 112 },
      { level: 3, n: 1_000_000, width: 17 },
    ];
    for (const tile of tiles) expect(parseTilePath(tilePath(tile))).toEqual(tile);
  });

  it("refuse every other spelling", () => {
    for (const bad of [
      "tile/0/1234", // not 3 digits
      "tile/0/x000/067", // leading zero group
      "tile/00/000", // leading zero level
      "tile/64/000", // level beyond 63
      "tile/-1/000", // entries are spelled "entries"
      "tile/0/000.p/256", // a full tile is never .p
      "tile/0/000.p/0",
      "tile/0/000.p/012",
      "tile/0/x001/x234", // "x" on the final group
      "tile/0/001/x234",
      "/tile/0/000",
      "tile/0/000/",
      "tile/data/000",
    ]) {
      expect(parseTilePath(bad), bad).toBeNull();
    }
  });

  it("refuse tiles that cannot be", () => {
    for (const tile of [
      { level: 0, n: 0, width: 0 },
      { level: 0, n: 0, width: 257 },
      { level: -2, n: 0, width: 1 },
      { level: 64, n: 0, width: 1 },
      { level: 0, n: -1, width: 1 },
      { level: 0, n: 0.5, width: 1 },
    ]) {
      expect(() => tilePath(tile), JSON.stringify(tile)).toThrow(RangeError);
    }
  });
});

describe("tilesForSize", () => {
  it("gives the spec's worked example: size 70,000", () => {
    const tiles = tilesForSize(70_000);
    const at = (level: number) => tiles.filter((t) => t.level === level);
    expect(at(0).filter((t) => t.width === 256)).toHaveLength(273);
    expect(at(0).filter((t) => t.width < 256)).toEqual([{ level: 0, n: 273, width: 112 }]);
    expect(at(1).filter((t) => t.width === 256)).toEqual([{ level: 1, n: 0, width: 256 }]);
    expect(at(1).filter((t) => t.width < 256)).toEqual([{ level: 1, n: 1, width: 17 }]);
    expect(at(2)).toEqual([{ level: 2, n: 0, width: 1 }]);
    expect(tiles).toHaveLength(273 + 1 + 1 + 1 + 1);
    expect(bundlesForSize(70_000)).toHaveLength(274);
    expect(bundlesForSize(70_000).at(-1)).toEqual({ level: -1, n: 273, width: 112 });
  });

  it("has no partial tile where the size fills one, and nothing for an empty tree", () => {
    expect(tilesForSize(0)).toEqual([]);
    expect(tilesForSize(256)).toEqual([
      { level: 0, n: 0, width: 256 },
      { level: 1, n: 0, width: 1 },
    ]);
    expect(tilesForSize(65_536).filter((t) => t.width < 256)).toEqual([{ level: 2, n: 0, width: 1 }]);
  });
});

describe("tileHashIndexes", () => {
  it("are the stored nodes (8L, 256n + i)", () => {
    expect(tileHashIndexes({ level: 0, n: 0, width: 4 })).toEqual([0, 1, 3, 4]);
    expect(tileHashIndexes({ level: 1, n: 2, width: 2 })).toEqual([storedHashIndex(8, 512), storedHashIndex(8, 513)]);
    expect(() => tileHashIndexes({ level: -1, n: 0, width: 1 })).toThrow(/entry bundle/);
  });
});

describe("tileHashReader", () => {
  it("builds the same roots and proofs from tiles as from stored hashes, at 70,000 entries", async () => {
    const size = 70_000;
    const enc = new TextEncoder();
    const leaves = Array.from({ length: size }, (_, i) => leafHash(enc.encode(`e${i}`)));
    const stored = await storedHashesForBatch(0, leaves, async () => []);
    const fromStore: HashReader = async (indexes) => indexes.map((i) => stored[i] ?? new Uint8Array());

    // A tile server over the stored hashes, as /log/tile serves them; every tile fetched must be
    // one of the size's tiles (a client never asks for a partial tile the checkpoint does not need).
    const served = new Set(tilesForSize(size).map(tilePath));
    const fetched: string[][] = [];
    const fetchTiles = async (tiles: Tile[]) => {
      fetched.push(tiles.map(tilePath));
      return tiles.map((tile) => {
        expect(served.has(tilePath(tile)), tilePath(tile)).toBe(true);
        const bytes = new Uint8Array(tile.width * 32);
        tileHashIndexes(tile).forEach((index, i) => bytes.set(stored[index] ?? new Uint8Array(32), i * 32));
        return bytes;
      });
    };
    const fromTiles = tileHashReader(size, fetchTiles);

    expect(toHex(await treeHash(size, fromTiles))).toBe(toHex(await treeHash(size, fromStore)));
    for (const index of [0, 1, 255, 256, 65_535, 65_536, 69_887, 69_888, 69_999]) {
      const proof = await proveRecord(size, index, fromTiles);
      expect(proof.map(toHex), `leaf ${index}`).toEqual((await proveRecord(size, index, fromStore)).map(toHex));
    }
    for (const oldSize of [1, 256, 1000, 65_536, 69_999]) {
      const proof = await proveTree(size, oldSize, fromTiles);
      expect(proof.map(toHex), `${oldSize} → ${size}`).toEqual((await proveTree(size, oldSize, fromStore)).map(toHex));
    }
    // Three tile levels, at most two tiles each (a proof's left part and the right edge).
    expect(Math.max(...fetched.map((call) => call.length))).toBeLessThanOrEqual(6);
  });

  it("refuses a tile of the wrong length", async () => {
    const reader = tileHashReader(3, async (tiles) => tiles.map(() => new Uint8Array(31)));
    await expect(reader([0])).rejects.toThrow(/31 bytes, not 96/);
  });
});
