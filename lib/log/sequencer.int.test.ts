// The sequencer on the real database (PGlite in memory, or PostgreSQL with DATABASE_URL as .ci/run
// sets it): concurrent writers, overlapping sequencers, and a batch killed at every stage.
import { describe, expect, it } from "vitest";
import { migrationTarget } from "@/lib/db";
import { findTreeState, listSequencedEntries, readStoredHashes } from "@/lib/log/data";
import { type BatchStage, recordLogEvent } from "@/lib/log/mutations";
import { runSequencerOnce } from "@/lib/log/sequencer";
import { leafHash, rootOf, storedHashCount } from "@/lib/merkle";
import { snapshotTables } from "@/scripts/test/database";

async function sql(text: string): Promise<Record<string, unknown>[]> {
  const target = migrationTarget();
  return target.kind === "pglite" ? (await target.pglite.query<Record<string, unknown>>(text)).rows : (await target.pool.query<Record<string, unknown>>(text)).rows;
}

/** A stand-in signature: these tests are about sequencing; checkpoints' signatures are tested in tiles.int.test.ts. */
const sign = async (size: number, root: Uint8Array) => `test\n${size}\n${Buffer.from(root).toString("base64")}\n`;

const event = (n: number) => ({
  kind: "org.created" as const,
  actor: { type: "system" as const, id: "sequencer-test" },
  subject: { type: "org", id: `o_${n}` },
  details: { name: `Organisation ${n}` },
});

/** Runs the sequencer as `holder` until nothing waits. */
async function drain(holder: string, batchSize = 4096): Promise<void> {
  for (;;) {
    const run = await runSequencerOnce({ holder, batchSize, sign, leaseMs: 1 });
    if (run.held && run.integrated === 0) return;
  }
}

/** The whole tree, checked against lib/merkle in memory: indexes 0…n-1, every stored hash, the root. */
async function expectConsistentTree(): Promise<number> {
  const { size, root } = await findTreeState();
  const entries = await listSequencedEntries(0, size + 1);
  expect(entries.map((e) => e.index)).toEqual([...Array(size).keys()]);
  const leaves = entries.map((e) => leafHash(e.body));
  expect(Buffer.from(root).toString("hex")).toBe(Buffer.from(rootOf(leaves)).toString("hex"));
  const [count] = await sql(`SELECT count(*)::int AS n, min("idx")::int AS lo, max("idx")::int AS hi FROM "LogHash"`);
  expect(count).toEqual({ n: storedHashCount(size), lo: size === 0 ? null : 0, hi: size === 0 ? null : storedHashCount(size) - 1 });
  const [waiting] = await sql(`SELECT count(*)::int AS n FROM "LogEntry" WHERE "idx" IS NULL`);
  expect(waiting?.n).toBe(0);
  const [checkpoint] = await sql(`SELECT max("size")::int AS size FROM "LogCheckpoint"`);
  expect(checkpoint?.size ?? 0).toBe(size);
  return size;
}

describe("the log's sequencer", () => {
  it("gives 1,000 concurrent events 1,000 contiguous indexes, while two sequencers with overlapping leases integrate", async () => {
    const before = (await findTreeState()).size;
    let writing = true;
    // leaseMs 1: both holders get the lease again and again, so their batches overlap in time and
    // only the tree row's lock keeps them apart.
    const sequencers = ["a", "b"].map(async (holder) => {
      let batches = 0;
      while (writing) {
        const run = await runSequencerOnce({ holder, batchSize: 37, sign, leaseMs: 1, maxBatches: 1 });
        batches += run.integrated > 0 ? 1 : 0;
      }
      return batches;
    });
    const ids = await Promise.all(Array.from({ length: 1000 }, (_, n) => recordLogEvent(event(n))));
    writing = false;
    await Promise.all(sequencers);
    await drain("a");

    expect(new Set(ids).size).toBe(1000);
    const size = await expectConsistentTree();
    expect(size).toBe(before + 1000);
    const [dupes] = await sql(`SELECT count(*)::int AS n FROM (SELECT "idx" FROM "LogEntry" GROUP BY "idx" HAVING count(*) > 1) d`);
    expect(dupes?.n).toBe(0);
    // Each event is in the log exactly once, whichever index it got.
    const subjects = (await listSequencedEntries(before, 1000)).map((e) => JSON.parse(new TextDecoder().decode(e.body)).subject.id as string);
    expect(new Set(subjects)).toEqual(new Set(Array.from({ length: 1000 }, (_, n) => `o_${n}`)));
  });

  it.each<BatchStage>(["indexed", "hashed", "signed"])("loses and doubles nothing when a batch dies after it has %s its entries", async (stage) => {
    await drain("c");
    await Promise.all(Array.from({ length: 300 }, (_, n) => recordLogEvent(event(n))));
    const before = await snapshotTables();
    const crash = new Error(`killed at ${stage}`);
    await expect(
      runSequencerOnce({ holder: "c", batchSize: 100, sign, leaseMs: 1, fault: (s) => { if (s === stage) throw crash; } }),
    ).rejects.toBe(crash);
    // Nothing of the batch stayed: no index, no hash, no checkpoint, no tree change. (The lease
    // row's expiry moves with every take; it is not the log's state.)
    const after = await snapshotTables();
    expect({ ...after, Lease: "" }).toEqual({ ...before, Lease: "" });

    // A later run, by another holder, integrates every waiting entry exactly once.
    await drain("d", 128);
    await expectConsistentTree();
  });

  it("refuses to build on a damaged tree: a stored hash deleted under the sequencer stops it", async () => {
    await drain("e");
    const { size } = await findTreeState();
    await recordLogEvent(event(0));
    // The right edge of the tree is what the next append reads; take away one of its hashes.
    const [last] = await sql(`SELECT max("idx")::text AS idx FROM "LogHash"`);
    const saved = await readStoredHashes([Number(last?.idx)]);
    await sql(`DELETE FROM "LogHash" WHERE "idx" = ${Number(last?.idx)}`);
    await expect(runSequencerOnce({ holder: "e", sign, leaseMs: 1 })).rejects.toThrow(/missing or damaged/);
    expect((await findTreeState()).size).toBe(size);
    await sql(`INSERT INTO "LogHash" ("idx", "hash") VALUES (${Number(last?.idx)}, '\\x${Buffer.from(saved[0] as Uint8Array).toString("hex")}')`);
    await drain("e");
    await expectConsistentTree();
  });
});
