import { HASH_BYTES, nodeHash, nth } from "@/lib/merkle/hash";
import { type HashReader, splitStoredHashIndex, storedHashIndex } from "@/lib/merkle/stored";

/**
 * C2SP tlog-tiles geometry (STANDARDS §2.3): tiles of height 8, so a full tile is 256 hashes
 * (8,192 bytes). Tile n at level L holds, for i = 0 … width − 1, MTH(D[(n·256 + i)·256^L :
 * (n·256 + i + 1)·256^L]) — the stored node (8L, n·256 + i). Level −1 is the entry bundle that
 * sits beside level-0 tile n and holds its entries themselves.
 */

export const TILE_HEIGHT = 8;
/** Hashes in a full tile, entries in a full bundle. */
export const TILE_WIDTH = 256;
/** The spec's bound on <L>: 64 levels of 8 cover any 64-bit tree size. */
const MAX_LEVEL = 63;
/** The level that names an entry bundle. */
export const ENTRIES_LEVEL = -1;

/** A tile (level ≥ 0) or an entry bundle (level −1); width 1 … 256, 256 being a full one. */
export type Tile = { level: number; n: number; width: number };

function checkTile({ level, n, width }: Tile): void {
  if (!Number.isInteger(level) || level < ENTRIES_LEVEL || level > MAX_LEVEL) throw new RangeError(`Tile level ${level} is outside −1..63.`);
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`Tile number ${n} is not a count.`);
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) throw new RangeError(`Tile width ${width} is outside 1..256.`);
}

/** `n` as the spec's path elements: 3 digits each, "x" before all but the last (1234067 → x001/x234/067). */
function numberPath(n: number): string {
  const digits = String(n);
  const padded = digits.padStart(Math.ceil(digits.length / 3) * 3, "0");
  const groups = padded.match(/\d{3}/g) ?? ["000"];
  return groups.map((group, i) => (i < groups.length - 1 ? `x${group}` : group)).join("/");
}

/** The tile's path below the log prefix: "tile/0/x001/x234/067.p/12", "tile/entries/000". */
export function tilePath(tile: Tile): string {
  checkTile(tile);
  const level = tile.level === ENTRIES_LEVEL ? "entries" : String(tile.level);
  const partial = tile.width < TILE_WIDTH ? `.p/${tile.width}` : "";
  return `tile/${level}/${numberPath(tile.n)}${partial}`;
}

// One spelling per tile, so a cache keyed by path never holds one tile twice: no leading zeros in
// <L> or <W>, no "x000" leading group, and a .p width below 256.
const TILE_PATH = /^tile\/(entries|0|[1-9]\d?)\/((?:x\d{3}\/)*)(\d{3})(?:\.p\/([1-9]\d{0,2}))?$/;

/** The tile a path names, or null for anything that is not the canonical path of a tile. */
export function parseTilePath(path: string): Tile | null {
  const match = TILE_PATH.exec(path);
  if (!match) return null;
  const [, levelText = "", prefix = "", last = "", widthText] = match;
  if (prefix.startsWith("x000")) return null;
  const level = levelText === "entries" ? ENTRIES_LEVEL : Number(levelText);
  const n = Number(prefix.replaceAll("x", "").replaceAll("/", "") + last);
  const width = widthText === undefined ? TILE_WIDTH : Number(widthText);
  const partialTooWide = widthText !== undefined && width >= TILE_WIDTH;
  if (level > MAX_LEVEL || !Number.isSafeInteger(n) || partialTooWide) return null;
  return { level, n, width };
}

/** The stored-hash indexes a hash tile is made of, in the tile's order. */
export function tileHashIndexes(tile: Tile): number[] {
  checkTile(tile);
  if (tile.level === ENTRIES_LEVEL) throw new RangeError("An entry bundle holds entries, not stored hashes.");
  return Array.from({ length: tile.width }, (_, i) => storedHashIndex(TILE_HEIGHT * tile.level, tile.n * TILE_WIDTH + i));
}

/** Tiles of one level for `count` hashes (or entries) at that level: the full ones, then a partial. */
function levelTiles(level: number, count: number): Tile[] {
  const full = Math.floor(count / TILE_WIDTH);
  const tiles = Array.from({ length: full }, (_, n) => ({ level, n, width: TILE_WIDTH }));
  if (count % TILE_WIDTH > 0) tiles.push({ level, n: full, width: count % TILE_WIDTH });
  return tiles;
}

/**
 * Every hash tile of the tree of `size` leaves, full and partial, level by level. At level L the
 * tiles hold ⌊size / 256^L⌋ hashes, so the partial width there is ⌊size / 256^L⌋ mod 256.
 */
export function tilesForSize(size: number): Tile[] {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`Tree size ${size} is not a count.`);
  const tiles: Tile[] = [];
  for (let level = 0, count = size; count > 0; level++, count = Math.floor(count / TILE_WIDTH)) {
    tiles.push(...levelTiles(level, count));
  }
  return tiles;
}

/** Every entry bundle of a log of `size` entries, full and partial. */
export function bundlesForSize(size: number): Tile[] {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`Tree size ${size} is not a count.`);
  return levelTiles(ENTRIES_LEVEL, size);
}

/** The hash tile of the tree of `size` that holds stored node (level, n), and where in it. */
function tileOf(size: number, level: number, n: number): { tile: Tile; from: number; span: number } {
  const tileLevel = Math.floor(level / TILE_HEIGHT);
  const span = 2 ** (level - TILE_HEIGHT * tileLevel); // hashes of the tile's row under the node
  const first = n * span; // the node's first hash in the tile level's row
  const t = Math.floor(first / TILE_WIDTH);
  const count = Math.floor(size / TILE_WIDTH ** tileLevel); // hashes in that row for this size
  const width = Math.min(TILE_WIDTH, count - t * TILE_WIDTH);
  if (first + span > t * TILE_WIDTH + width) {
    throw new RangeError(`Node (${level}, ${n}) is not complete in a tree of ${size} leaves.`);
  }
  return { tile: { level: tileLevel, n: t, width }, from: first - t * TILE_WIDTH, span };
}

/**
 * A HashReader over the tiles of the tree of `size` leaves, for clients of a tlog-tiles log:
 * `proveRecord(size, i, tileHashReader(size, fetch))` builds a proof from tiles, hashing the
 * levels inside a tile as the spec says. Each tile is fetched at most once per read; `readTiles`
 * answers the raw tile bytes (width × 32) in the order asked.
 *
 * @throws Error when a tile's length does not match its width.
 */
export function tileHashReader(size: number, readTiles: (tiles: Tile[]) => Promise<Uint8Array[]>): HashReader {
  return async (indexes) => {
    const wanted = indexes.map((index) => {
      const { level, n } = splitStoredHashIndex(index);
      return tileOf(size, level, n);
    });
    const unique = new Map(wanted.map(({ tile }) => [tilePath(tile), tile]));
    const data = await readTiles([...unique.values()]);
    if (data.length !== unique.size) throw new Error(`Asked for ${unique.size} tiles, got ${data.length}.`);
    const byPath = new Map([...unique.keys()].map((path, i) => [path, nth(data, i)]));
    return wanted.map(({ tile, from, span }) => {
      const bytes = byPath.get(tilePath(tile)) ?? new Uint8Array();
      if (bytes.length !== tile.width * HASH_BYTES) {
        throw new Error(`Tile ${tilePath(tile)} has ${bytes.length} bytes, not ${tile.width * HASH_BYTES}.`);
      }
      let row: Uint8Array[] = Array.from({ length: span }, (_, i) => bytes.slice((from + i) * HASH_BYTES, (from + i + 1) * HASH_BYTES));
      while (row.length > 1) row = Array.from({ length: row.length / 2 }, (_, i) => nodeHash(nth(row, 2 * i), nth(row, 2 * i + 1)));
      return nth(row, 0);
    });
  };
}
