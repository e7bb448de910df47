// bench/storage — ingest throughput of the file store: storeStream (hash while streaming, write,
// fsync, rename) on a 256 MiB file read with fs.createReadStream, beside `sha256sum` on the same
// file in the same run (hashing alone, in C: the floor an ingest can approach). A third line,
// Node's createHash over the same read stream without writing, splits the gap into hashing and
// writing. 3 runs each, median; MB is 10^6 bytes. The file is in the page cache after it is made,
// so this measures CPU and write cost, not the disk's read speed.
// Usage: npx tsx --conditions=react-server bench/storage.ts
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-bench-storage-"));
// Before anything reads the configuration: lib/env caches it on first use.
process.env.DATA_DIR = path.join(dir, "data");
process.env.APP_ENV = "test";

const { blobStore } = await import("@/lib/blobs/store");

const SIZE = 256 * 1024 * 1024;
const RUNS = 3;
const run = promisify(execFile);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function seconds(work: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await work();
  return (performance.now() - t0) / 1000;
}

try {
  const file = path.join(dir, "input.bin");
  const out = fs.openSync(file, "w");
  for (let written = 0; written < SIZE; written += 16 * 1024 * 1024) fs.writeSync(out, randomBytes(16 * 1024 * 1024));
  fs.closeSync(out);

  const expected = `0x${(await run("sha256sum", [file])).stdout.slice(0, 64)}`; // also warms the page cache
  const times = { store: [] as number[], sha256sum: [] as number[], createHash: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    // Interleaved, so that a noisy neighbour or thermal throttling affects all three alike.
    times.sha256sum.push(await seconds(() => run("sha256sum", [file])));
    times.store.push(
      await seconds(async () => {
        const stored = await blobStore().put(fs.createReadStream(file), { maxBytes: SIZE });
        if (stored.digest !== expected) throw new Error(`digest ${stored.digest} ≠ sha256sum ${expected}`);
      }),
    );
    // Each run must ingest for real, not take the deduplication shortcut.
    await blobStore().remove(expected);
    times.createHash.push(
      await seconds(async () => {
        const hash = createHash("sha256");
        for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
        hash.digest();
      }),
    );
  }

  const mbps = (s: number) => SIZE / 1e6 / s;
  const store = mbps(median(times.store));
  const sum = mbps(median(times.sha256sum));
  const hashOnly = mbps(median(times.createHash));
  console.log(`\nFile store ingest, ${SIZE / 1024 / 1024} MiB, median of ${RUNS} (${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"}, node ${process.version})`);
  console.log(`  storeStream (hash + write + fsync + rename): ${store.toFixed(0)} MB/s`);
  console.log(`  sha256sum (hash only):                       ${sum.toFixed(0)} MB/s`);
  console.log(`  storeStream ÷ sha256sum:                     ${(store / sum).toFixed(2)}`);
  console.log(`  for reference, createHash over the stream:   ${hashOnly.toFixed(0)} MB/s`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
