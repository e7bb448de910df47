import "server-only";
import path from "node:path";
import type { Readable } from "node:stream";
import { diskStore } from "@/lib/blobs/disk";
import { s3Store } from "@/lib/blobs/s3";
import type { BlobInput } from "@/lib/blobs/common";
import { env } from "@/lib/env";

export type { BlobInput } from "@/lib/blobs/common";

export type PutOptions = { maxBytes: number; onProgress?: (bytes: number) => void };
/** `created`: this call put the bytes in the store (false when they were already there). */
export type PutResult = { digest: string; size: number; created: boolean };
/** Inclusive byte offsets, as in an HTTP Range header: {start: 0, end: 99} is the first 100 bytes. */
export type ByteRange = { start: number; end: number };

/**
 * One content-addressed store for every file the portal keeps: a file lives under its SHA-256
 * (`sha256/ab/cd/<hex>`), so a digest anchored on chain names exactly one file and the same bytes
 * put twice are stored once. Two implementations: a folder in the data directory (lib/blobs/disk.ts)
 * and any S3-compatible bucket (lib/blobs/s3.ts). Digests are `0x` + 64 lowercase hex; every method
 * throws AppError VALIDATION for anything else.
 */
export type BlobStore = {
  readonly kind: "disk" | "s3";
  /**
   * Streams `input` in while hashing it, in bounded memory. Nothing half-written is ever visible
   * under a content address, and on failure nothing is left behind.
   * @throws AppError PAYLOAD_TOO_LARGE past `maxBytes` (reading stops there); the input's own error
   */
  put(input: BlobInput, opts: PutOptions): Promise<PutResult>;
  /** The stored blob's size, or null when nothing is stored under the digest. */
  stat(digest: string): Promise<{ size: number } | null>;
  /**
   * A stream of the blob's bytes (of `range` only, when given). Fails now, not on first read.
   * @throws AppError NOT_FOUND when nothing is stored under the digest
   */
  open(digest: string, range?: ByteRange): Promise<Readable>;
  /** Removes the blob now, whatever its age (nothing refers to it). Absent: nothing happens. */
  remove(digest: string): Promise<void>;
  /**
   * Removes the blob if it was last put (putting the same bytes again refreshes it) before `olderThan`.
   * The caller has checked nothing refers to it; the age keeps a blob put again a moment ago,
   * before its owner's row was written. @returns whether it was removed
   */
  removeIfOlder(digest: string, olderThan: Date): Promise<boolean>;
  /** Every digest in the store, a page at a time (a million blobs are never listed at once). */
  list(): AsyncGenerator<string>;
  /** Removes temporary objects of puts that a crash left, last written before `olderThan`. @returns how many */
  removeStalePartsOlderThan(olderThan: Date): Promise<number>;
};

let cached: BlobStore | undefined;

/**
 * The process's blob store: S3 when S3_ENDPOINT and S3_BUCKET are set (lib/env.ts checks they
 * come together), else `<DATA_DIR>/files`.
 */
export function blobStore(): BlobStore {
  if (cached) return cached;
  const config = env();
  cached = config.s3
    ? s3Store(config.s3)
    : diskStore(path.join(config.dataDir, "files"));
  return cached;
}
