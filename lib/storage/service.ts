import "server-only";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { SHA256_DIGEST } from "@/lib/schema/values";

/**
 * The content-addressed file store: every file lives at a path derived from its SHA-256, so a
 * digest anchored on chain names exactly one file, and the same bytes uploaded twice are stored once.
 *
 *   <dataDir>/files/tmp/<random>.part           uploads in flight (same file system as sha256/,
 *                                               so the final rename is atomic)
 *   <dataDir>/files/sha256/ab/cd/abcd…(64 hex)  stored files, never modified once there
 *
 * Two directory levels of two hex digits each give 65,536 buckets: a million files average about
 * 15 per directory, where one flat directory would make listing, backup and some file systems slow.
 */

const MIB = 1024 * 1024;
/** Owner reads and writes, the group (e.g. a backup user) reads, nobody else. */
const FILE_MODE = 0o640;
const DIR_MODE = 0o750;

export type StoreInput = ReadableStream<Uint8Array> | NodeJS.ReadableStream | AsyncIterable<Uint8Array>;
export type StoreOptions = { maxBytes: number; onProgress?: (bytes: number) => void };
/** `created`: this call put the bytes in the store (false when they were already there). */
export type Stored = { digest: string; size: number; created: boolean };

function filesDir(): string {
  return path.join(env().dataDir, "files");
}

function pathOf(hex: string): string {
  return path.join(filesDir(), "sha256", hex.slice(0, 2), hex.slice(2, 4), hex);
}

function hexOf(digest: string): string {
  if (!SHA256_DIGEST.test(digest)) throw new AppError("VALIDATION", `Not a SHA-256 digest: ${digest.slice(0, 80)}`);
  return digest.slice(2);
}

/** "5", "0.5", "100": the limit as people read it (MB here is 2^20 bytes, as upload forms count). */
function formatMb(bytes: number): string {
  const mb = bytes / MIB;
  return mb >= 10 ? String(Math.round(mb)) : String(Number(mb.toPrecision(2)));
}

/**
 * One iteration protocol for the three kinds of input. A web stream is read through its reader so
 * that stopping early (limit reached, write failed) cancels it: for an HTTP upload that stops the
 * body instead of draining it. Breaking out of a Node stream's iterator destroys it likewise.
 */
async function* chunksOf(input: StoreInput): AsyncGenerator<Uint8Array> {
  if ("getReader" in input) {
    const reader = input.getReader();
    let done = false;
    try {
      for (;;) {
        const next = await reader.read();
        if (next.done) {
          done = true;
          return;
        }
        yield next.value;
      }
    } finally {
      if (!done) await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  }
  for await (const chunk of input as AsyncIterable<Uint8Array | string>) {
    // A string means the stream was given an encoding and the bytes were already decoded:
    // re-encoding could change them, and the digest would then name a different file.
    if (typeof chunk === "string") throw new TypeError("storeStream needs binary chunks, got a string (was setEncoding called?)");
    yield chunk;
  }
}

/**
 * Streams `input` into the store while hashing it, in constant memory (one chunk at a time, with
 * the file system's back-pressure). Dedupes: if these bytes are already stored, the stored file is
 * kept and the new copy discarded. Nothing half-written ever stays: on any failure the temporary
 * file is removed, and a stored path only ever appears complete (fsync, then rename).
 *
 * @returns the digest (`0x` + 64 lowercase hex), size in bytes and whether this call stored it
 * @throws AppError PAYLOAD_TOO_LARGE when the input passes `opts.maxBytes` (reading stops there);
 *   the input's own error when it fails; file-system errors as they are
 */
export async function storeStream(input: StoreInput, opts: StoreOptions): Promise<Stored> {
  const { maxBytes, onProgress } = opts;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError(`maxBytes must be a non-negative integer, got ${maxBytes}`);

  const tmpDir = path.join(filesDir(), "tmp");
  await fsp.mkdir(tmpDir, { recursive: true, mode: DIR_MODE });
  const tmp = path.join(tmpDir, `${randomBytes(16).toString("hex")}.part`);
  const hash = createHash("sha256");
  let size = 0;
  let renamed = false;
  try {
    await pipeline(
      chunksOf(input),
      async function* measure(source: AsyncIterable<Uint8Array>) {
        for await (const chunk of source) {
          size += chunk.byteLength;
          // Checked before the chunk is written: an oversized upload costs at most one chunk of disk.
          if (size > maxBytes) throw new AppError("PAYLOAD_TOO_LARGE", `The file is larger than ${formatMb(maxBytes)} MB.`);
          hash.update(chunk);
          onProgress?.(size);
          yield chunk;
        }
      },
      fs.createWriteStream(tmp, {
        // "wx": a fresh file of our own, never one that happens to exist under that name.
        flags: "wx",
        mode: FILE_MODE,
        // fsync before close. Without it a crash shortly after the rename below can leave an empty
        // or short file under a content address; since an existing address is trusted
        // (deduplication), that file would never be replaced.
        flush: true,
      }),
    );

    const hex = hash.digest("hex");
    const final = pathOf(hex);
    if (fs.existsSync(final)) {
      // A fresh modification time tells the clean-up (lib/storage/cleanup.ts) that these bytes
      // were just uploaded again, so it does not remove them between now and their owner's row.
      const now = new Date();
      await fsp.utimes(final, now, now).catch(() => undefined);
      if (fs.existsSync(final)) return { digest: `0x${hex}`, size, created: false };
    }
    await fsp.mkdir(path.dirname(final), { recursive: true, mode: DIR_MODE });
    // Two uploads of the same bytes at once may both get here; the later rename replaces the first
    // file with identical bytes, atomically, so a reader sees one or the other, never a mix.
    await fsp.rename(tmp, final);
    renamed = true;
    return { digest: `0x${hex}`, size, created: true };
  } finally {
    if (!renamed) await fsp.rm(tmp, { force: true });
  }
}

/**
 * Where the file with this digest is stored, or null when it is not stored.
 * @throws AppError VALIDATION for a digest that is not 0x + 64 lowercase hex digits
 */
export function storedPath(digest: string): string | null {
  const file = pathOf(hexOf(digest));
  return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ? file : null;
}

/** @throws AppError VALIDATION for a malformed digest (see storedPath) */
export function hasStored(digest: string): boolean {
  return storedPath(digest) !== null;
}

/**
 * A stream of the stored file's bytes. The file is opened here, so a missing file fails now, not
 * on the stream's first read.
 * @throws AppError NOT_FOUND when nothing is stored under the digest; VALIDATION when it is malformed
 */
export function openStored(digest: string): NodeJS.ReadableStream {
  const file = pathOf(hexOf(digest));
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new AppError("NOT_FOUND", "No stored file has that digest.");
    throw error;
  }
  return fs.createReadStream(file, { fd });
}

/**
 * Removes the stored file with this digest if it was last written (or uploaded again, which
 * refreshes it) before `olderThan`. The caller has checked that nothing refers to it; the age check
 * keeps a file that someone uploaded again a moment ago, before their row was written.
 * @returns whether a file was removed
 */
export async function removeStoredIfOlder(digest: string, olderThan: Date): Promise<boolean> {
  const file = pathOf(hexOf(digest));
  const stat = await fsp.stat(file).catch(() => undefined);
  if (!stat?.isFile() || stat.mtime >= olderThan) return false;
  await fsp.rm(file, { force: true });
  return true;
}

/** Every digest in the store, bucket by bucket (a million files are never listed at once). */
export async function* storedDigests(): AsyncGenerator<string> {
  const root = path.join(filesDir(), "sha256");
  const list = (dir: string) => fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const first of await list(root)) {
    if (!first.isDirectory()) continue;
    for (const second of await list(path.join(root, first.name))) {
      if (!second.isDirectory()) continue;
      for (const file of await list(path.join(root, first.name, second.name))) {
        const digest = `0x${file.name}`;
        if (file.isFile() && SHA256_DIGEST.test(digest)) yield digest;
      }
    }
  }
}

/**
 * Removes `.part` files last written before `olderThan`: uploads a crash or a killed process left
 * behind (a live upload writes its file every few milliseconds).
 * @returns how many were removed
 */
export async function removePartsOlderThan(olderThan: Date): Promise<number> {
  const tmpDir = path.join(filesDir(), "tmp");
  let removed = 0;
  for (const entry of await fsp.readdir(tmpDir, { withFileTypes: true }).catch(() => [])) {
    if (!entry.isFile() || !entry.name.endsWith(".part")) continue;
    const file = path.join(tmpDir, entry.name);
    const stat = await fsp.stat(file).catch(() => undefined);
    if (!stat || stat.mtime >= olderThan) continue;
    await fsp.rm(file, { force: true });
    removed++;
  }
  return removed;
}

/** Removes the stored file with this digest now, whatever its age (nothing refers to it). */
export async function removeStored(digest: string): Promise<void> {
  await fsp.rm(pathOf(hexOf(digest)), { force: true });
}
