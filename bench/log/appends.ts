// bench/log/appends — the transparency log's write and proof costs.
//
// 1. Appends per second: APPENDS events, each written by `recordLogEvent` in its own transaction
//    (as a change logs its event), CONCURRENCY at a time; the same number written 1,000 to a
//    transaction (appendLogEntries); then the sequencer integrates them all in batches of 4,096
//    (indexes, stored hashes, root, signed checkpoint per batch) and its rate is printed beside. On an in-memory PGlite and, when reachable, on PostgreSQL (BENCH_DATABASE_URL,
//    default postgresql://postgres@127.0.0.1:5432/postgres: a database is made for the run and
//    dropped after). The goal in issue 9 is ≥ 10,000 a second on PostgreSQL with batched integration.
// 2. Proofs at 1,000,000 entries: the stored hashes of a 1M-entry tree built in memory with lib/merkle
//    (the same layout as LogHash), then the median time to build an inclusion proof and a consistency
//    proof from them (and how many stored hashes each reads), and to verify each, over 1,000 random
//    (index, size) and (m, n).
//
// Each database runs in a child process of its own, since the database is chosen once per process.
// Usage: npm run bench:log:appends (npm run bench:log runs it and bench/log/gas.ts)
import { execFileSync } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const APPENDS = Number(process.env.BENCH_APPENDS ?? 20_000);
// 32 writers: more than the pool's 10 connections, so the pool is never idle waiting for a writer.
const CONCURRENCY = 32;
const PROOF_SIZE = 1_000_000;
const PROOFS = 1_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

async function appendBench(label: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-bench-log-"));
  process.env.DATA_DIR = dir;
  process.env.APP_ENV = "test";
  const { closeDatabase, migrationTarget } = await import("@/lib/db");
  const { applyMigrations } = await import("@/lib/migrate");
  const { recordLogEvent, recordLogEvents } = await import("@/lib/log/mutations");
  const { runSequencerOnce } = await import("@/lib/log/sequencer");
  const { findTreeState } = await import("@/lib/log/data");
  try {
    await applyMigrations(migrationTarget());
    const event = (n: number) => ({
      kind: "auth.sign-in-failed" as const,
      actor: { type: "anonymous" as const },
      subject: { type: "account" },
      details: { method: "password" as const },
      private: { email: `someone${n}@example.org`, reason: "wrong-password", clientAddress: "192.0.2.1" },
    });
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < APPENDS) await recordLogEvent(event(next++));
      }),
    );
    const appendSeconds = (performance.now() - t0) / 1000;

    // Batched: the same events, 1,000 to a transaction (appendLogEntries: two statements each).
    let batch = 0;
    const t2 = performance.now();
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (batch * 1000 < APPENDS) {
          const from = batch++ * 1000;
          await recordLogEvents(Array.from({ length: Math.min(1000, APPENDS - from) }, (_, k) => event(APPENDS + from + k)));
        }
      }),
    );
    const batchedSeconds = (performance.now() - t2) / 1000;

    const t1 = performance.now();
    for (;;) {
      const run = await runSequencerOnce({ holder: "bench", batchSize: 4096, maxBatches: 1 });
      if (run.integrated === 0) break;
    }
    const integrateSeconds = (performance.now() - t1) / 1000;
    const { size } = await findTreeState();
    if (size !== 2 * APPENDS) throw new Error(`tree has ${size} entries, expected ${2 * APPENDS}`);
    console.log(
      `${label.padEnd(11)} appends (own transaction each, ${CONCURRENCY} concurrent): ${fmt(APPENDS / appendSeconds)}/s · ` +
        `batched (1,000 a transaction, 4 concurrent): ${fmt(APPENDS / batchedSeconds)}/s · ` +
        `integration (batches of 4,096, signed checkpoint each): ${fmt((2 * APPENDS) / integrateSeconds)}/s  (${fmt(APPENDS)} entries each way)`,
    );
  } finally {
    await closeDatabase();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function proofBench(): Promise<void> {
  const merkle = await import("@/lib/merkle");
  const store: Uint8Array[] = [];
  const reads = { count: 0 };
  const read = async (indexes: number[]) => {
    reads.count += indexes.length;
    return indexes.map((i) => store[i] as Uint8Array);
  };
  const t0 = performance.now();
  const chunk = 4096;
  for (let n = 0; n < PROOF_SIZE; n += chunk) {
    const leaves = Array.from({ length: Math.min(chunk, PROOF_SIZE - n) }, (_, i) => merkle.leafHash(new TextEncoder().encode(`entry ${n + i}`)));
    store.push(...(await merkle.storedHashesForBatch(n, leaves, read)));
  }
  const buildSeconds = (performance.now() - t0) / 1000;
  const root = await merkle.treeHash(PROOF_SIZE, read);
  const roots = new Map<number, Uint8Array>([[PROOF_SIZE, root]]);
  const rootAt = async (size: number): Promise<Uint8Array> => roots.get(size) ?? (await merkle.treeHash(size, read));

  const times = { inclusion: [] as number[], verifyInclusion: [] as number[], consistency: [] as number[], verifyConsistency: [] as number[] };
  const counts = { inclusion: [] as number[], consistency: [] as number[] };
  for (let i = 0; i < PROOFS; i++) {
    const index = randomInt(PROOF_SIZE);
    reads.count = 0;
    let t = performance.now();
    const proof = await merkle.proveRecord(PROOF_SIZE, index, read);
    times.inclusion.push(performance.now() - t);
    counts.inclusion.push(reads.count);
    const leaf = (await read([merkle.storedHashIndex(0, index)]))[0] as Uint8Array;
    t = performance.now();
    if (!merkle.verifyInclusion(leaf, index, PROOF_SIZE, proof, root)) throw new Error(`inclusion proof of ${index} does not verify`);
    times.verifyInclusion.push(performance.now() - t);

    const m = 1 + randomInt(PROOF_SIZE - 1);
    const oldRoot = await rootAt(m);
    reads.count = 0;
    t = performance.now();
    const consistency = await merkle.proveTree(PROOF_SIZE, m, read);
    times.consistency.push(performance.now() - t);
    counts.consistency.push(reads.count);
    t = performance.now();
    if (!merkle.verifyConsistency(m, PROOF_SIZE, oldRoot, root, consistency)) throw new Error(`consistency proof ${m} → ${PROOF_SIZE} does not verify`);
    times.verifyConsistency.push(performance.now() - t);
  }
  const ms = (v: number[]) => `${median(v).toFixed(3)} ms`;
  console.log(`proofs at ${fmt(PROOF_SIZE)} entries (${fmt(store.length)} stored hashes, built in ${buildSeconds.toFixed(1)} s), median of ${fmt(PROOFS)}:`);
  console.log(`  inclusion:   build ${ms(times.inclusion)} (reads ${median(counts.inclusion)} stored hashes) · verify ${ms(times.verifyInclusion)}`);
  console.log(`  consistency: build ${ms(times.consistency)} (reads ${median(counts.consistency)} stored hashes) · verify ${ms(times.verifyConsistency)}`);
}

async function postgresDatabase(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const pg = (await import("pg")).default;
  const base = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 2_000 });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  const name = `trialledger_bench_log_${randomBytes(4).toString("hex")}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

const child = process.argv[2];
if (child === "pglite") {
  process.env.PGLITE_DIR = "memory://";
  process.env.DATABASE_URL = "";
  await appendBench("PGlite");
} else if (child === "postgresql") {
  await appendBench("PostgreSQL");
} else {
  const self = fileURLToPath(import.meta.url);
  const tsx = (env: Record<string, string>, backend: string) =>
    execFileSync("npx", ["tsx", "--conditions=react-server", self, backend], { stdio: "inherit", env: { ...process.env, ...env } });
  tsx({}, "pglite");
  const database = await postgresDatabase();
  if (database) {
    try {
      tsx({ DATABASE_URL: database.url }, "postgresql");
    } finally {
      await database.drop();
    }
  } else {
    console.log("PostgreSQL  not reachable (set BENCH_DATABASE_URL): skipped");
  }
  await proofBench();
}
