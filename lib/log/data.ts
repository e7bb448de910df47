import "server-only";
import { type Tx, prisma } from "@/lib/db";

/**
 * Reads of the transparency log: stored hashes, the tree's state, checkpoints and sequenced
 * entries. Everything here is public (entry bodies carry only public fields and commitments); the
 * private details are read by lib/audit.
 */

type Db = Tx | ReturnType<typeof prisma>;

export class LogStorageError extends Error {
  override name = "LogStorageError";
}

/**
 * The stored hashes at `indexes`, in that order (a lib/merkle HashReader).
 * @throws LogStorageError when one is missing: the tree's storage is damaged (a deleted row), and
 *   no proof or tile may be built over the gap.
 */
export async function readStoredHashes(indexes: number[], db: Db = prisma()): Promise<Uint8Array[]> {
  if (indexes.length === 0) return [];
  const rows = await db.logHash.findMany({ where: { idx: { in: indexes.map((i) => BigInt(i)) } } });
  const byIndex = new Map(rows.map((r) => [Number(r.idx), r.hash]));
  return indexes.map((i) => {
    const hash = byIndex.get(i);
    if (!hash || hash.length !== 32) throw new LogStorageError(`stored hash ${i} is missing or damaged`);
    return new Uint8Array(hash);
  });
}

/** The tree as last integrated: its size and RFC 6962 root. */
export async function findTreeState(db: Db = prisma()): Promise<{ size: number; root: Uint8Array }> {
  const row = await db.logTree.findUnique({ where: { id: 1 } });
  if (!row) throw new LogStorageError("the log's tree state row is missing (migration 20261202042714_log_tree)");
  return { size: Number(row.size), root: new Uint8Array(row.root) };
}

export type CheckpointRow = {
  size: number;
  root: Uint8Array;
  note: string;
  createdAt: Date;
  anchor: { chainId: number; contract: string; txHash: string; blockNumber: number } | null;
};

type RawCheckpoint = {
  size: bigint;
  root: Uint8Array;
  note: string;
  createdAt: Date;
  anchoredTx: string | null;
  anchoredBlock: bigint | null;
  chainId: number | null;
  contract: string | null;
};

function toCheckpoint(row: RawCheckpoint): CheckpointRow {
  const anchored = row.anchoredTx !== null && row.anchoredBlock !== null && row.chainId !== null && row.contract !== null;
  return {
    size: Number(row.size),
    root: new Uint8Array(row.root),
    note: row.note,
    createdAt: row.createdAt,
    anchor: anchored
      ? { chainId: row.chainId as number, contract: row.contract as string, txHash: row.anchoredTx as string, blockNumber: Number(row.anchoredBlock) }
      : null,
  };
}

/** The newest signed checkpoint, or null before the first entry is integrated. */
export async function findLatestCheckpoint(): Promise<CheckpointRow | null> {
  const row = await prisma().logCheckpoint.findFirst({ orderBy: { size: "desc" } });
  return row ? toCheckpoint(row) : null;
}

/** The newest checkpoint anchored on chain, or null when none is yet. */
export async function findLatestAnchoredCheckpoint(): Promise<CheckpointRow | null> {
  const row = await prisma().logCheckpoint.findFirst({ where: { anchoredBlock: { not: null } }, orderBy: { size: "desc" } });
  return row ? toCheckpoint(row) : null;
}

/** The checkpoint of exactly `size` entries, or null. */
export async function findCheckpoint(size: number): Promise<CheckpointRow | null> {
  const row = await prisma().logCheckpoint.findUnique({ where: { size: BigInt(size) } });
  return row ? toCheckpoint(row) : null;
}

/** Whether some checkpoint has a size in [min, max): a partial tile exists only for those sizes. */
export async function hasCheckpointBetween(min: number, max: number): Promise<boolean> {
  const row = await prisma().logCheckpoint.findFirst({ where: { size: { gte: BigInt(min), lt: BigInt(max) } }, select: { size: true } });
  return row !== null;
}

export type SequencedEntry = { index: number; kind: string; createdAt: Date; body: Uint8Array };

/**
 * Sequenced entries with index in [from, from + count), in index order. Entries not yet integrated
 * (idx null) are not part of the log and never returned.
 */
export async function listSequencedEntries(from: number, count: number, db: Db = prisma()): Promise<SequencedEntry[]> {
  const rows = await db.logEntry.findMany({
    where: { idx: { gte: BigInt(from), lt: BigInt(from + count) } },
    orderBy: { idx: "asc" },
    select: { idx: true, kind: true, createdAt: true, body: true },
  });
  return rows.map((r) => ({ index: Number(r.idx), kind: r.kind, createdAt: r.createdAt, body: new Uint8Array(r.body) }));
}

/** How many entries wait for the sequencer (idx null). */
export async function countUnsequencedEntries(): Promise<number> {
  return prisma().logEntry.count({ where: { idx: null } });
}
