// bench/storage — ingest of a large file through the resumable upload API: the tus route's
// handler (handleTus of lib/storage/tus.ts, in this process: the route's wrapper adds only checks
// that read no body, and it imports next/navigation, which tsx cannot load) in 50 MiB PATCHes as
// the browser component sends them, ending with the hash into the blob store and the Upload row; beside, in
// the same run and on the same file, `openssl dgst -sha256` (hashing alone, in C) and an fsync'd
// copy (`cp` then `sync -f`: writing the bytes once, durably). The route writes the bytes twice
// (the tus datastore, then the content-addressed store, both fsync'd) and hashes them once, so
// about 2 × the copy's time is its floor. Peak RSS is sampled every 20 ms during each ingest, at
// 256 MiB and at 1 GiB: flat in the file's size means nothing is buffered whole. MB = 10^6 bytes.
// The input is in the page cache after it is made, so this measures CPU and write cost.
// Usage: npx tsx --conditions=react-server bench/storage.ts [MiB…]   (default: 256 1024)
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { promisify } from "node:util";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-bench-storage-"));
// Before anything reads the configuration: lib/env caches it on first use.
process.env.DATA_DIR = path.join(dir, "data");
process.env.PGLITE_DIR = "memory://";
process.env.DATABASE_URL = "";
process.env.APP_ENV = "test";
process.env.AUTH_SECRET = "bench-secret-0123456789abcdef0123456789";
process.env.DATASET_UPLOAD_QUOTA_GB = "1000";

const MIB = 1024 * 1024;
const CHUNK = 50 * MIB; // the component's chunk size (app/_components/resumable-upload.tsx)
const sizes = (process.argv.slice(2).length ? process.argv.slice(2) : ["256", "1024"]).map((s) => Number(s) * MIB);
const run = promisify(execFile);

const { getSessionUser } = await import("@/lib/auth/data");
const { signUp } = await import("@/lib/auth/service");
const { closeDatabase, migrationTarget } = await import("@/lib/db");
const { applyMigrations } = await import("@/lib/migrate");
const { createOrganization } = await import("@/lib/orgs/service");
const { handleTus } = await import("@/lib/storage/tus");

async function seconds<T>(work: () => Promise<T>): Promise<{ s: number; value: T }> {
  const t0 = performance.now();
  const value = await work();
  return { s: (performance.now() - t0) / 1000, value };
}

try {
  await applyMigrations(migrationTarget());
  const account = await signUp({ name: "Bench", email: "bench@example.org", password: "bench password long", accountType: "SPONSOR" });
  const user = await getSessionUser(account.id);
  if (!user) throw new Error("no user");
  const org = await createOrganization({ name: "Bench Pharma", creator: user });

  async function call(method: "POST" | "PATCH", url: string, headers: Record<string, string>, body: ReadableStream<Uint8Array> | Uint8Array) {
    if (!user) throw new Error("no user");
    const init: RequestInit & { duplex: "half" } = {
      method,
      headers: { "tus-resumable": "1.0.0", origin: "http://localhost", "content-type": "application/offset+octet-stream", ...headers },
      body: body instanceof Uint8Array ? new Uint8Array(body) : body,
      duplex: "half",
    };
    return handleTus(new Request(url, init), user);
  }

  /** The whole upload as the component makes it: POST, then PATCHes of CHUNK bytes read from disk. */
  async function ingest(file: string, size: number): Promise<string> {
    const metadata = `orgId ${Buffer.from(org.id).toString("base64")},filename ${Buffer.from(path.basename(file)).toString("base64")}`;
    const created = await call("POST", "http://localhost/api/uploads/tus", { "upload-length": String(size), "upload-metadata": metadata }, new Uint8Array(0));
    if (created.status !== 201) throw new Error(`POST ${created.status}: ${await created.text()}`);
    const url = new URL(created.headers.get("location") ?? "", "http://localhost/api/uploads/tus").toString();
    for (let offset = 0; offset < size; offset += CHUNK) {
      const end = Math.min(offset + CHUNK, size) - 1;
      const body = Readable.toWeb(fs.createReadStream(file, { start: offset, end })) as ReadableStream<Uint8Array>;
      const response = await call("PATCH", url, { "upload-offset": String(offset) }, body);
      if (end === size - 1) {
        if (response.status !== 200) throw new Error(`last PATCH ${response.status}: ${await response.text()}`);
        return ((await response.json()) as { digest: string }).digest;
      }
      if (response.status !== 204) throw new Error(`PATCH ${response.status}: ${await response.text()}`);
    }
    throw new Error("unreachable");
  }

  console.log(`\nDataset upload ingest (tus route → blob store), ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"}, node ${process.version}`);
  for (const size of sizes) {
    const file = path.join(dir, `input-${size / MIB}.bin`);
    const out = fs.openSync(file, "w");
    for (let written = 0; written < size; written += 16 * MIB) fs.writeSync(out, randomBytes(Math.min(16 * MIB, size - written)));
    fs.closeSync(out);

    const openssl = await seconds(() => run("openssl", ["dgst", "-sha256", "-r", file]));
    const expected = `0x${openssl.value.stdout.slice(0, 64)}`;
    const copyFile = path.join(dir, "copy.bin");
    const copy = await seconds(async () => {
      await run("cp", [file, copyFile]);
      await run("sync", ["-f", copyFile]);
    });
    fs.rmSync(copyFile);

    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const upload = await seconds(() => ingest(file, size));
    clearInterval(sampler);
    if (upload.value !== expected) throw new Error(`digest ${upload.value} ≠ openssl ${expected}`);
    fs.rmSync(file);

    const mbps = (s: number) => size / 1e6 / s;
    console.log(`\n  ${size / MIB} MiB`);
    console.log(`    tus route ingest (2 writes, hash, fsync):  ${upload.s.toFixed(1)} s  ${mbps(upload.s).toFixed(0)} MB/s`);
    console.log(`    openssl dgst -sha256 (hash only):          ${openssl.s.toFixed(1)} s  ${mbps(openssl.s).toFixed(0)} MB/s`);
    console.log(`    cp + sync -f (one durable write):          ${copy.s.toFixed(1)} s  ${mbps(copy.s).toFixed(0)} MB/s`);
    console.log(`    ingest ÷ openssl time: ${(upload.s / openssl.s).toFixed(2)}   ingest ÷ copy time: ${(upload.s / copy.s).toFixed(2)}`);
    console.log(`    peak RSS during ingest: ${(peak / MIB).toFixed(0)} MiB (baseline ${(baseline / MIB).toFixed(0)} MiB, +${((peak - baseline) / MIB).toFixed(0)} MiB)`);
  }
  await closeDatabase();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
