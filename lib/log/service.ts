import "server-only";
import { AppError } from "@/lib/errors";
import {
  type CheckpointRow,
  findLatestAnchoredCheckpoint,
  findLatestCheckpoint,
  findTreeState,
  hasCheckpointBetween,
  listSequencedEntries,
  readStoredHashes,
} from "@/lib/log/data";
import { parseEntry } from "@/lib/log/entry";
import { formatTlogProof } from "@/lib/log/tlog-proof";
import { ENTRIES_LEVEL, type HashReader, TILE_WIDTH, type Tile, leafHash, proveRecord, proveTree, storedHashIndex, tileHashIndexes, toHex } from "@/lib/merkle";

/**
 * The log's read path (C2SP tlog-tiles and the JSON conveniences), over lib/log/data.ts reads and
 * lib/merkle's stored-hash proofs. Every proof reads O(log n) stored hashes by primary key.
 */

const read: HashReader = (indexes) => readStoredHashes(indexes);

/** The number of entries a tile's last element covers up to: the tree sizes it belongs to. */
function coverage(tile: Tile): { min: number; max: number } {
  // A level-L element stands for 256^L leaves (an entry bundle's for one, like level 0).
  const span = TILE_WIDTH ** Math.max(tile.level, 0);
  const elements = tile.n * TILE_WIDTH + tile.width;
  return { min: elements * span, max: (elements + 1) * span };
}

export type TileResponse = { bytes: Uint8Array; immutable: boolean };

/**
 * A hash tile or an entry bundle. A full one (width 256) exists once the tree has grown past it
 * and never changes; a partial one only for a tree size that has a checkpoint (C2SP tlog-tiles:
 * "partial tiles MUST be served for every size that has a checkpoint"), since no other client
 * may ask for it.
 * @throws AppError NOT_FOUND for a tile the log does not have (yet)
 */
export async function readTile(tile: Tile): Promise<TileResponse> {
  const { min, max } = coverage(tile);
  // 2^53: the sizes JavaScript numbers count exactly; a path past them names nothing.
  if (!Number.isSafeInteger(max)) throw new AppError("NOT_FOUND", "The log has no such tile.");
  const immutable = tile.width === TILE_WIDTH;
  const present = immutable ? (await findTreeState()).size >= min : await hasCheckpointBetween(min, max);
  if (!present) throw new AppError("NOT_FOUND", "The log has no such tile (yet).");

  if (tile.level === ENTRIES_LEVEL) {
    const first = tile.n * TILE_WIDTH;
    const entries = await listSequencedEntries(first, tile.width);
    if (entries.length !== tile.width) throw new AppError("INTERNAL", `entry bundle ${tile.n}: ${entries.length} of ${tile.width} entries stored`);
    return { bytes: bundleOf(entries.map((e) => e.body)), immutable };
  }
  const hashes = await readStoredHashes(tileHashIndexes(tile));
  const bytes = new Uint8Array(hashes.length * 32);
  hashes.forEach((h, i) => bytes.set(h, i * 32));
  return { bytes, immutable };
}

/** An entry bundle: each entry prefixed with its length as a big-endian uint16 (C2SP tlog-tiles). */
export function bundleOf(bodies: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(bodies.reduce((sum, b) => sum + 2 + b.length, 0));
  let offset = 0;
  for (const body of bodies) {
    out[offset] = body.length >> 8;
    out[offset + 1] = body.length & 0xff;
    out.set(body, offset + 2);
    offset += 2 + body.length;
  }
  return out;
}

/** The latest signed checkpoint. @throws AppError NOT_FOUND before the first entry is integrated */
export async function latestCheckpoint(): Promise<CheckpointRow> {
  const checkpoint = await findLatestCheckpoint();
  if (!checkpoint) throw new AppError("NOT_FOUND", "The log has no checkpoint yet: nothing has been logged.");
  return checkpoint;
}

async function assertTreeHas(size: number): Promise<void> {
  const tree = await findTreeState();
  if (size > tree.size) throw new AppError("NOT_FOUND", `The log has ${tree.size} entries, fewer than ${size}.`);
}

/**
 * The inclusion proof of entry `index` in the tree of `size` entries (RFC 9162 §2.1.3).
 * @throws AppError NOT_FOUND when the tree is not that large yet; VALIDATION when index ≥ size
 */
export async function inclusionProofFor(index: number, size: number): Promise<{ index: number; size: number; leafHash: string; proof: string[] }> {
  if (index >= size) throw new AppError("VALIDATION", "The index must be below the tree size.", { fieldErrors: { index: ["must be below size"] } });
  await assertTreeHas(size);
  const [leaf] = await readStoredHashes([storedHashIndex(0, index)]);
  const proof = await proveRecord(size, index, read);
  return { index, size, leafHash: toHex(leaf as Uint8Array), proof: proof.map(toHex) };
}

/**
 * The consistency proof from the tree of `from` entries to the tree of `to` (RFC 9162 §2.1.4).
 * @throws AppError NOT_FOUND when the tree is not `to` large; VALIDATION when from > to
 */
export async function consistencyProofFor(from: number, to: number): Promise<{ from: number; to: number; proof: string[] }> {
  if (from > to) throw new AppError("VALIDATION", "The old size must not exceed the new size.", { fieldErrors: { from: ["must not exceed to"] } });
  await assertTreeHas(to);
  const proof = from === 0 || from === to ? [] : await proveTree(to, from, read);
  return { from, to, proof: proof.map(toHex) };
}

export type PublicEntry = { index: number; kind: string; time: string; body: unknown; leafHash: string };

/** Sequenced entries from `from`, at most `limit`, as the JSON API shows them. */
export async function listEntries(from: number, limit: number): Promise<{ entries: PublicEntry[]; size: number }> {
  const { size } = await findTreeState();
  const entries = await listSequencedEntries(from, Math.min(limit, Math.max(size - from, 0)));
  return { size, entries: entries.map(toPublicEntry) };
}

function toPublicEntry(e: { index: number; kind: string; createdAt: Date; body: Uint8Array }): PublicEntry {
  // The leaf hash is recomputed from the body served beside it, so a client can check the two agree;
  // whether that leaf is in the tree is what the receipt's proof shows.
  return { index: e.index, kind: e.kind, time: e.createdAt.toISOString(), body: parseEntry(e.body), leafHash: toHex(leafHash(e.body)) };
}

/**
 * One entry with its receipt: a C2SP tlog-proof of its inclusion in the newest checkpoint anchored on
 * chain that contains it (the anchor, as JSON, in `extra`), else in the latest checkpoint (no extra).
 * @throws AppError NOT_FOUND when no entry has that index
 */
export async function entryWithReceipt(index: number): Promise<PublicEntry & { receipt: string }> {
  const [entry] = await listSequencedEntries(index, 1);
  if (!entry) throw new AppError("NOT_FOUND", "No log entry has that index.");
  const anchored = await findLatestAnchoredCheckpoint();
  const checkpoint = anchored && anchored.size > index ? anchored : await latestCheckpoint();
  const proof = await proveRecord(checkpoint.size, index, read);
  const extra = checkpoint.anchor ? new TextEncoder().encode(JSON.stringify(checkpoint.anchor)) : undefined;
  return { ...toPublicEntry(entry), receipt: formatTlogProof({ index, proof, checkpoint: checkpoint.note, ...(extra ? { extra } : {}) }) };
}
