import "server-only";
import { type Tx, prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client.ts";
import { type BuiltEntry, type LogEvent, buildEntry } from "@/lib/log/entry";
import type { LogKind } from "@/lib/log/kinds";
import { LogStorageError, readStoredHashes } from "@/lib/log/data";
import { type HashReader, leafHash, storedHashCount, storedHashesForBatch, treeHash } from "@/lib/merkle";

/** The LogEntry columns of one built entry: its bytes and the filter columns the audit trail searches. */
function entryRow(event: LogEvent, built: BuiltEntry, now: Date) {
  return {
    kind: event.kind,
    body: new Uint8Array(built.body),
    createdAt: now,
    actorType: event.actor.type,
    actorId: "id" in event.actor ? event.actor.id : null,
    subjectType: event.subject.type,
    subjectId: event.subject.id ?? null,
    orgId: event.orgId ?? null,
  };
}

/**
 * Writes one transparency-log entry in the caller's transaction, so the change and its record
 * commit together or not at all. The entry has no index yet: the sequencer (lib/log/sequencer.ts)
 * gives it one and integrates it into the tree. Validation failures throw (LogEntryError), which
 * rolls the caller's change back.
 * @returns the entry's row id (not its log index, which the sequencer assigns)
 */
export async function appendLogEntry<K extends LogKind>(tx: Tx, event: LogEvent<K>, now: Date = new Date()): Promise<bigint> {
  const built = buildEntry(event, now);
  const row = await tx.logEntry.create({
    data: {
      ...entryRow(event, built, now),
      private: built.private
        ? { create: { details: built.private.details as Prisma.InputJsonObject, salt: new Uint8Array(built.private.salt) } }
        : undefined,
    },
    select: { id: true },
  });
  return row.id;
}

/**
 * Writes many entries in the caller's transaction with two statements (entries, then their private
 * details), for work that records many events at once (a bulk import, enrolment codes one by one).
 * Same validation as `appendLogEntry`; one invalid event throws and so rolls back the caller's change.
 * @returns the entries' row ids
 */
export async function appendLogEntries(tx: Tx, events: LogEvent[], now: Date = new Date()): Promise<bigint[]> {
  const built = events.map((event) => ({ event, entry: buildEntry(event, now) }));
  const rows = await tx.logEntry.createManyAndReturn({
    data: built.map(({ event, entry }) => entryRow(event, entry, now)),
    select: { id: true, body: true },
  });
  // Matched by body, not by position (RETURNING's order is not promised): an entry with private
  // details holds a commitment under a fresh 32-byte salt, so its body is unique.
  const idByBody = new Map(rows.map((r) => [Buffer.from(r.body).toString("base64"), r.id]));
  const privates = built.flatMap(({ entry }) => {
    if (!entry.private) return [];
    const entryId = idByBody.get(Buffer.from(entry.body).toString("base64"));
    if (entryId === undefined) throw new LogStorageError("an inserted entry was not returned");
    return [{ entryId, details: entry.private.details as Prisma.InputJsonObject, salt: new Uint8Array(entry.private.salt) }];
  });
  if (privates.length > 0) await tx.logPrivate.createMany({ data: privates });
  return rows.map((r) => r.id);
}

/** Where a test can stop the sequencer mid-batch (lib/log/sequencer.ts `fault`). */
export type BatchStage = "indexed" | "hashed" | "signed";

export type IntegrateOptions = {
  /** At most this many entries in one transaction. */
  max: number;
  /** Signs the checkpoint of the new tree: the C2SP signed note of (size, root). */
  sign(size: number, root: Uint8Array): Promise<string>;
  /** Called at each stage inside the batch's transaction; a throw there rolls the whole batch back. */
  fault?: (stage: BatchStage) => void | Promise<void>;
};

export type IntegratedBatch = { count: number; size: number; root: Uint8Array };

/**
 * Integrates the oldest entries waiting for an index (idx null, in id order) into the tree, in one
 * transaction: contiguous indexes from the tree's size, their leaf hashes and the stored hashes
 * above them (lib/merkle `storedHashesForBatch`), the new root, and a signed checkpoint of it.
 * A process that dies anywhere in between leaves the database as before the batch: nothing is lost
 * (the entries still have idx null) and nothing is doubled (no index or hash was kept).
 *
 * The tree's one row is locked FOR UPDATE first, so even two sequencers whose leases overlapped
 * (a paused process) integrate one after the other, each from the other's result.
 * @returns the number of entries integrated (0: nothing waited) and the tree after the batch
 */
export async function integrateBatch(opts: IntegrateOptions): Promise<IntegratedBatch> {
  // 60 s: a batch of 4,096 entries takes under two seconds even on a loaded machine (bench/log); the
  // limit only bounds a stuck one. 30 s to get a connection: the sequencer waits its turn in a burst.
  return prisma().$transaction(
    async (tx) => {
      const [tree] = await tx.$queryRaw<Array<{ size: bigint; root: Uint8Array }>>`
        SELECT "size", "root" FROM "LogTree" WHERE "id" = 1 FOR UPDATE`;
      if (!tree) throw new LogStorageError("the log's tree state row is missing");
      const size = Number(tree.size);

      // Lock the waiting rows first (FOR UPDATE cannot sit beside a window function), then number them.
      const batch = await tx.$queryRaw<Array<{ idx: bigint; body: Uint8Array }>>`
        WITH locked AS (
          SELECT "id" FROM "LogEntry" WHERE "idx" IS NULL ORDER BY "id" LIMIT ${opts.max} FOR UPDATE
        ), numbered AS (
          SELECT "id", ${BigInt(size)}::bigint + row_number() OVER (ORDER BY "id") - 1 AS "n" FROM locked
        )
        UPDATE "LogEntry" AS e SET "idx" = numbered."n" FROM numbered WHERE e."id" = numbered."id"
        RETURNING e."idx", e."body"`;
      if (batch.length === 0) {
        // An empty log still publishes a checkpoint (size 0, root SHA-256("")), so clients and the
        // witness have a first state to be consistent with.
        if (size === 0 && !(await tx.logCheckpoint.findUnique({ where: { size: 0n }, select: { size: true } }))) {
          await tx.logCheckpoint.create({ data: { size: 0n, root: new Uint8Array(tree.root), note: await opts.sign(0, new Uint8Array(tree.root)) } });
        }
        return { count: 0, size, root: new Uint8Array(tree.root) };
      }
      batch.sort((a, b) => (a.idx < b.idx ? -1 : 1));
      await opts.fault?.("indexed");

      const leaves = batch.map((e) => leafHash(new Uint8Array(e.body)));
      const written = new Map<number, Uint8Array>();
      const read: HashReader = async (indexes) => {
        const missing = indexes.filter((i) => !written.has(i));
        const stored = await readStoredHashes(missing, tx);
        const fromDb = new Map(missing.map((i, k) => [i, stored[k] as Uint8Array]));
        return indexes.map((i) => (written.get(i) ?? fromDb.get(i)) as Uint8Array);
      };
      const hashes = await storedHashesForBatch(size, leaves, read);
      const first = storedHashCount(size);
      hashes.forEach((hash, k) => written.set(first + k, hash));
      // One statement with one array parameter: Prisma's createMany took about 3 s for 8,192 rows
      // on PostgreSQL (bench/log), this a fraction of that.
      const hexes = hashes.map((h) => Buffer.from(h).toString("hex"));
      await tx.$executeRaw`
        INSERT INTO "LogHash" ("idx", "hash")
        SELECT ${BigInt(first)}::bigint + t.ord - 1, decode(t.h, 'hex')
        FROM unnest(${hexes}::text[]) WITH ORDINALITY AS t(h, ord)`;
      await opts.fault?.("hashed");

      const newSize = size + batch.length;
      const root = await treeHash(newSize, read);
      const note = await opts.sign(newSize, root);
      await opts.fault?.("signed");
      await tx.logCheckpoint.create({ data: { size: BigInt(newSize), root: new Uint8Array(root), note } });
      await tx.logTree.update({ where: { id: 1 }, data: { size: BigInt(newSize), root: new Uint8Array(root), updatedAt: new Date() } });
      return { count: batch.length, size: newSize, root };
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

/**
 * Writes one entry in a transaction of its own, for an event that changes nothing else (a failed
 * sign-in, a benchmark). Anything that changes data logs with `appendLogEntry` in its own transaction.
 */
export async function recordLogEvent<K extends LogKind>(event: LogEvent<K>, now: Date = new Date()): Promise<bigint> {
  // 30 s: under a burst the pool's 10 connections queue the rest (1,000 at once on a loaded 2-core
  // machine waited over 10 s); Prisma's default 2 s would drop events merely waiting their turn.
  return prisma().$transaction((tx) => appendLogEntry(tx, event, now), { maxWait: 30_000 });
}

/** `appendLogEntries` in a transaction of its own (benchmarks, bulk work that changes nothing else). */
export async function recordLogEvents(events: LogEvent[], now: Date = new Date()): Promise<bigint[]> {
  return prisma().$transaction((tx) => appendLogEntries(tx, events, now), { maxWait: 30_000, timeout: 60_000 });
}
