import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { hasStored, openStored, storeStream, storedPath } from "@/lib/storage/service";

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
const filesDir = () => path.join(env().dataDir, "files");

/** Every file under the store (tmp/ and sha256/), relative to it. */
function listFiles(): string[] {
  const root = filesDir();
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();
}

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

describe("storeStream", () => {
  it("stores a 5 MiB stream under its SHA-256, byte for byte, reporting progress", async () => {
    const data = randomBytes(5 * MIB);
    const progress: number[] = [];

    const stored = await storeStream(webStream(data), { maxBytes: 10 * MIB, onProgress: (n) => progress.push(n) });

    expect(stored).toEqual({ digest: sha256(data), size: data.length, created: true });
    const file = storedPath(stored.digest);
    const hex = stored.digest.slice(2);
    expect(file).toBe(path.join(filesDir(), "sha256", hex.slice(0, 2), hex.slice(2, 4), hex));
    expect(hasStored(stored.digest)).toBe(true);
    expect((await bytesOf(openStored(stored.digest))).equals(data)).toBe(true);
    expect(fs.statSync(file ?? "").mode & 0o037).toBe(0); // no group write, nothing for others
    expect(progress.length).toBe(80); // 5 MiB in 64 KiB chunks
    expect(progress.every((n, i) => i === 0 || n > (progress[i - 1] ?? 0))).toBe(true);
    expect(progress.at(-1)).toBe(data.length);
  });

  it("keeps one file for the same content stored twice", async () => {
    const data = randomBytes(300 * KIB);
    const first = await storeStream(webStream(data), { maxBytes: MIB });
    const inode = fs.statSync(storedPath(first.digest) ?? "").ino;

    const second = await storeStream(Readable.from([data.subarray(0, 1000), data.subarray(1000)]), { maxBytes: MIB });

    expect(second).toEqual({ ...first, created: false });
    const hex = first.digest.slice(2);
    expect(listFiles().filter((f) => f.includes(hex))).toEqual([path.join("sha256", hex.slice(0, 2), hex.slice(2, 4), hex)]);
    expect(fs.statSync(storedPath(first.digest) ?? "").ino).toBe(inode); // the existing file was kept
  });

  it("refuses a stream over maxBytes with the limit in the message and leaves no file", async () => {
    const before = listFiles();
    const data = randomBytes(3 * MIB);
    let pulled = 0;
    const source = webStream(data);
    const counted = source.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          pulled += chunk.length;
          controller.enqueue(chunk);
        },
      }),
    );

    const error = await appErrorOf(() => storeStream(counted, { maxBytes: 2 * MIB }));

    expect(error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(error.message).toBe("The file is larger than 2 MB.");
    expect(listFiles()).toEqual(before);
    expect(hasStored(sha256(data))).toBe(false);
    // It stopped reading near the limit instead of draining the whole upload (a few chunks of read-ahead at most).
    expect(pulled).toBeLessThan(2 * MIB + 8 * 64 * KIB);
  });

  it("leaves nothing behind when the stream fails half-way", async () => {
    const before = listFiles();
    const data = randomBytes(2 * MIB);

    await expect(storeStream(webStream(data, 64 * KIB, MIB), { maxBytes: 10 * MIB })).rejects.toThrow("connection reset by peer");

    expect(listFiles()).toEqual(before);
    expect(hasStored(sha256(data))).toBe(false);
  });
});

describe("openStored / storedPath", () => {
  it("throws NOT_FOUND for an unknown digest", async () => {
    const unknown = sha256(randomBytes(32));
    expect(storedPath(unknown)).toBeNull();
    expect(hasStored(unknown)).toBe(false);
    expect((await appErrorOf(() => openStored(unknown))).code).toBe("NOT_FOUND");
  });

  it("throws VALIDATION for a malformed digest", async () => {
    for (const bad of ["", "0x1234", `0x${"A".repeat(64)}`, "a".repeat(64), `0x${"0".repeat(62)}/..`]) {
      expect((await appErrorOf(() => openStored(bad))).code).toBe("VALIDATION");
      expect((await appErrorOf(() => storedPath(bad))).code).toBe("VALIDATION");
    }
  });
});
