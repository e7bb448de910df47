import "server-only";
import { createHash } from "node:crypto";
import { AppError } from "@/lib/errors";
import { SHA256_DIGEST } from "@/lib/schema/values";

const MIB = 1024 * 1024;

export type BlobInput = ReadableStream<Uint8Array> | NodeJS.ReadableStream | AsyncIterable<Uint8Array>;

/** The 64 hex digits of a well-formed digest. @throws AppError VALIDATION for anything else */
export function hexOf(digest: string): string {
  if (!SHA256_DIGEST.test(digest)) throw new AppError("VALIDATION", `Not a SHA-256 digest: ${digest.slice(0, 80)}`);
  return digest.slice(2);
}

/**
 * `sha256/ab/cd/abcd…`: the content address, shared by both stores (a directory tree on disk, a key
 * in S3). Two levels of two hex digits give 65,536 buckets: a million files average about 15 per
 * directory, where one flat directory makes listing, backup and some file systems slow.
 */
export function addressOf(hex: string): string {
  return `sha256/${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex}`;
}

/** "5", "0.5", "100": the limit as people read it (MB here is 2^20 bytes, as upload forms count). */
export function formatMb(bytes: number): string {
  const mb = bytes / MIB;
  return mb >= 10 ? String(Math.round(mb)) : String(Number(mb.toPrecision(2)));
}

export function assertMaxBytes(maxBytes: number): void {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError(`maxBytes must be a non-negative integer, got ${maxBytes}`);
}

export function tooLarge(maxBytes: number): AppError {
  return new AppError("PAYLOAD_TOO_LARGE", `The file is larger than ${formatMb(maxBytes)} MB.`);
}

/**
 * The input's chunks, hashed and counted as they pass: `digest()` and `size()` once it is drained.
 * Past `maxBytes` it throws before yielding the chunk, so an oversized upload costs at most one
 * chunk of storage.
 */
export function measured(input: BlobInput, opts: { maxBytes: number; onProgress?: (bytes: number) => void }) {
  assertMaxBytes(opts.maxBytes);
  const hash = createHash("sha256");
  let size = 0;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunksOf(input)) {
      size += chunk.byteLength;
      if (size > opts.maxBytes) throw tooLarge(opts.maxBytes);
      hash.update(chunk);
      opts.onProgress?.(size);
      yield chunk;
    }
  }
  return { chunks: chunks(), hex: () => hash.digest("hex"), size: () => size };
}

/**
 * One iteration protocol for the three kinds of input. A web stream is read through its reader so
 * that stopping early (limit reached, write failed) cancels it: for an HTTP upload that stops the
 * body instead of draining it. Breaking out of a Node stream's iterator destroys it likewise.
 */
export async function* chunksOf(input: BlobInput): AsyncGenerator<Uint8Array> {
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
    if (typeof chunk === "string") throw new TypeError("the blob store needs binary chunks, got a string (was setEncoding called?)");
    yield chunk;
  }
}
