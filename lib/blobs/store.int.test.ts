// The blob store's guarantees, for both stores: a folder in the data directory and an S3 bucket
// (the run's s3rver, scripts/test/s3.ts). Hash while streaming, dedupe, nothing half-written left
// behind, ranged reads, and memory that does not grow with the file.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { diskStore } from "@/lib/blobs/disk";
import { PART_BYTES, QUEUE_SIZE, s3Client, s3Store } from "@/lib/blobs/s3";
import type { BlobStore } from "@/lib/blobs/store";
import { AppError } from "@/lib/errors";
import { freshTestBucket } from "@/scripts/test/s3";

const KIB = 1024;
const MIB = 1024 * KIB;

/** A web stream of `bytes` in `chunk`-sized pieces, pulled on demand like an upload body. */
function webStream(bytes: Uint8Array, chunk = 64 * KIB, failAt?: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (failAt !== undefined && offset >= failAt) {
        controller.error(new Error("connection reset by peer"));
        return;
      }
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.subarray(offset, offset + chunk));
      offset += chunk;
    },
  });
}

const sha256 = (bytes: Uint8Array) => `0x${createHash("sha256").update(bytes).digest("hex")}`;

async function bytesOf(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function appErrorOf(work: () => unknown): Promise<AppError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError, nothing was thrown");
}

type Subject = { store: BlobStore; /** every object or file the store holds, temporary ones too */ listAll: () => Promise<string[]> };

const subjects: Record<"disk" | "s3", () => Promise<Subject>> = {
  async disk() {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "trialledger-blobs-"));
    return {
      store: diskStore(root),
      listAll: async () =>
        fs
          .readdirSync(root, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
          .sort(),
    };
  },
  async s3() {
    const config = await freshTestBucket();
    const client = s3Client(config);
    return {
      store: s3Store(config, client),
      listAll: async () => ((await client.send(new ListObjectsV2Command({ Bucket: config.bucket }))).Contents ?? []).map((o) => o.Key ?? "").sort(),
    };
  },
};

describe.each(["disk", "s3"] as const)("the %s blob store", (kind) => {
  let subject: Subject;
  beforeAll(async () => {
    subject = await subjects[kind]();
  });

  it("stores a 5 MiB stream under its SHA-256, byte for byte, reporting progress", async () => {
    const { store, listAll } = subject;
    const data = randomBytes(5 * MIB);
    const progress: number[] = [];

    const stored = await store.put(webStream(data), { maxBytes: 10 * MIB, onProgress: (n) => progress.push(n) });

    expect(stored).toEqual({ digest: sha256(data), size: data.length, created: true });
    const hex = stored.digest.slice(2);
    expect(await listAll()).toContain(path.join("sha256", hex.slice(0, 2), hex.slice(2, 4), hex));
    expect(await store.stat(stored.digest)).toEqual({ size: data.length });
    expect((await bytesOf(await store.open(stored.digest))).equals(data)).toBe(true);
    expect(progress.length).toBe(80); // 5 MiB in 64 KiB chunks
    expect(progress.every((n, i) => i === 0 || n > (progress[i - 1] ?? 0))).toBe(true);
    expect(progress.at(-1)).toBe(data.length);
    const listed: string[] = [];
    for await (const digest of store.list()) listed.push(digest);
    expect(listed).toContain(stored.digest);
  });

  it("reads a byte range", async () => {
    const data = randomBytes(300 * KIB);
    const { digest } = await subject.store.put(Readable.from([data]), { maxBytes: MIB });
    expect((await bytesOf(await subject.store.open(digest, { start: 1000, end: 200 * KIB - 1 }))).equals(data.subarray(1000, 200 * KIB))).toBe(true);
  });

  it("keeps one copy of the same content stored twice, and refreshes its age", async () => {
    const { store, listAll } = subject;
    const data = randomBytes(300 * KIB);
    const first = await store.put(webStream(data), { maxBytes: MIB });
    const hex = first.digest.slice(2);
    const cutoff = new Date(Date.now() + 60_000);

    const second = await store.put(Readable.from([data.subarray(0, 1000), data.subarray(1000)]), { maxBytes: MIB });

    expect(second).toEqual({ ...first, created: false });
    expect((await listAll()).filter((f) => f.includes(hex))).toEqual([path.join("sha256", hex.slice(0, 2), hex.slice(2, 4), hex)]);
    expect((await bytesOf(await store.open(first.digest))).equals(data)).toBe(true);
    // Put again "now": not older than a moment ago, older than a minute ahead.
    expect(await store.removeIfOlder(first.digest, new Date(Date.now() - 60_000))).toBe(false);
    expect(await store.removeIfOlder(first.digest, cutoff)).toBe(true);
    expect(await store.stat(first.digest)).toBeNull();
  });

  it("refuses a stream over maxBytes with the limit in the message and leaves nothing", async () => {
    const { store, listAll } = subject;
    const before = await listAll();
    const data = randomBytes(3 * MIB);
    let pulled = 0;
    const counted = webStream(data).pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          pulled += chunk.length;
          controller.enqueue(chunk);
        },
      }),
    );

    const error = await appErrorOf(() => store.put(counted, { maxBytes: 2 * MIB }));

    expect(error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(error.message).toBe("The file is larger than 2 MB.");
    expect(await listAll()).toEqual(before);
    expect(await store.stat(sha256(data))).toBeNull();
    // It stopped reading near the limit instead of draining the whole upload (a few chunks of read-ahead at most).
    expect(pulled).toBeLessThan(2 * MIB + 8 * 64 * KIB);
  });

  it("leaves nothing behind when the stream fails half-way", async () => {
    const { store, listAll } = subject;
    const before = await listAll();
    const data = randomBytes(2 * MIB);

    await expect(store.put(webStream(data, 64 * KIB, MIB), { maxBytes: 10 * MIB })).rejects.toThrow("connection reset by peer");

    expect(await listAll()).toEqual(before);
    expect(await store.stat(sha256(data))).toBeNull();
  });

  it("streams a file larger than any buffer it uses in and out, in bounded memory", async () => {
    // 160 MiB, five times the S3 store's QUEUE_SIZE × PART_BYTES (32 MiB), generated on demand in
    // 1 MiB chunks from a counter, so the test itself holds one chunk at a time.
    const SIZE = 160 * MIB;
    expect(SIZE).toBeGreaterThan(5 * QUEUE_SIZE * PART_BYTES - 1);
    const expected = createHash("sha256");
    async function* generate() {
      for (let i = 0; i < SIZE / MIB; i++) {
        const chunk = Buffer.alloc(MIB, i % 251);
        chunk.writeUInt32BE(i, 0);
        expected.update(chunk);
        yield chunk;
      }
    }
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      const stored = await subject.store.put(generate(), { maxBytes: SIZE });
      expect(stored.digest).toBe(`0x${expected.digest("hex")}`);
      const reread = createHash("sha256");
      let size = 0;
      for await (const chunk of await subject.store.open(stored.digest)) {
        reread.update(chunk as Buffer);
        size += (chunk as Buffer).length;
      }
      expect(size).toBe(SIZE);
      expect(`0x${reread.digest("hex")}`).toBe(stored.digest);
      await subject.store.remove(stored.digest);
      expect(await subject.store.stat(stored.digest)).toBeNull();
    } finally {
      clearInterval(sampler);
    }
    // Buffering the whole file would add 160 MiB or more; the stores' own buffers are 32 MiB at
    // most, and part buffers not yet collected add up to a few dozen more on a busy machine (seen:
    // over 96 MiB once, with two other test files running): 128 MiB leaves room and catches that.
    expect(peak - baseline).toBeLessThan(128 * MIB);
  });

  it("throws NOT_FOUND for an unknown digest and VALIDATION for a malformed one", async () => {
    const unknown = sha256(randomBytes(32));
    expect(await subject.store.stat(unknown)).toBeNull();
    expect((await appErrorOf(() => subject.store.open(unknown))).code).toBe("NOT_FOUND");
    for (const bad of ["", "0x1234", `0x${"A".repeat(64)}`, "a".repeat(64), `0x${"0".repeat(62)}/..`]) {
      expect((await appErrorOf(() => subject.store.open(bad))).code).toBe("VALIDATION");
      expect((await appErrorOf(() => subject.store.stat(bad))).code).toBe("VALIDATION");
    }
  });

  it("removes stale temporary objects only", async () => {
    const { store } = subject;
    const kept = await store.put(Readable.from([randomBytes(KIB)]), { maxBytes: MIB });
    expect(await store.removeStalePartsOlderThan(new Date(Date.now() + 60_000))).toBe(0);
    expect(await store.stat(kept.digest)).toEqual({ size: KIB });
  });
});

describe("the disk blob store's files", () => {
  it("are readable by the owner and group only, and a stored file is kept when the same bytes come again", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "trialledger-blobs-"));
    const store = diskStore(root);
    const data = randomBytes(100 * KIB);
    const { digest } = await store.put(Readable.from([data]), { maxBytes: MIB });
    const hex = digest.slice(2);
    const file = path.join(root, "sha256", hex.slice(0, 2), hex.slice(2, 4), hex);
    expect(fs.statSync(file).mode & 0o037).toBe(0); // no group write, nothing for others
    const inode = fs.statSync(file).ino;
    await store.put(Readable.from([data]), { maxBytes: MIB });
    expect(fs.statSync(file).ino).toBe(inode);
    // A .part an hour old is a crash's; a fresh one is a live put's.
    fs.mkdirSync(path.join(root, "tmp"), { recursive: true });
    const crashed = path.join(root, "tmp", "a.part");
    const live = path.join(root, "tmp", "b.part");
    fs.writeFileSync(crashed, "x");
    fs.writeFileSync(live, "x");
    const hourAgo = new Date(Date.now() - 3_600_000);
    fs.utimesSync(crashed, hourAgo, hourAgo);
    expect(await store.removeStalePartsOlderThan(new Date(Date.now() - 60_000))).toBe(1);
    expect([fs.existsSync(crashed), fs.existsSync(live)]).toEqual([false, true]);
  });
});
