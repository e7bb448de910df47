import "server-only";
import { randomBytes } from "node:crypto";
import { PassThrough, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
  UploadPartCopyCommand,
  paginateListObjectsV2,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { addressOf, hexOf, measured } from "@/lib/blobs/common";
import type { BlobStore } from "@/lib/blobs/store";
import type { S3Config } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { SHA256_DIGEST } from "@/lib/schema/values";

/**
 * The blob store in an S3-compatible bucket. A put streams to a temporary key `tmp/<random>` as a
 * multipart upload while the bytes are hashed (the digest, hence the key, is known only at the end),
 * then copies the object server-side to its content address and deletes the temporary one, so a
 * key under sha256/ only ever holds complete bytes. Memory per put: QUEUE_SIZE × PART_BYTES.
 */

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
/** 8 MiB parts: S3's minimum is 5 MiB; 10,000 parts (S3's maximum) of 8 MiB reach 78 GiB. */
export const PART_BYTES = 8 * MIB;
/** Four parts in flight: 32 MiB per put, enough to keep a link to the bucket busy. */
export const QUEUE_SIZE = 4;
/** CopyObject copies at most 5 GB (AWS's limit); past it a multipart copy (UploadPartCopy). */
const COPY_OBJECT_MAX = 5 * GIB;
/** 1 GiB per UploadPartCopy: 20 parts for a 20 GiB dataset file, well within 5 GiB per part. */
const COPY_PART_BYTES = GIB;
const TMP_PREFIX = "tmp/";

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === "NotFound" || e.name === "NoSuchKey" || e.$metadata?.httpStatusCode === 404;
}

/**
 * The S3 client options for `config`, shared with the tus datastore (lib/storage/tus.ts). Checksums
 * only where S3 requires them: since SDK 3.729 a streamed body is sent by default as aws-chunked
 * with a trailing CRC, which many S3-compatible servers (s3rver, older MinIO and Ceph) store
 * verbatim, framing and all. Integrity is the portal's own SHA-256 of every blob.
 */
export function s3ClientOptions(config: S3Config) {
  return {
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    ...(config.credentials ? { credentials: config.credentials } : {}),
  } as const;
}

export function s3Client(config: S3Config): S3Client {
  return new S3Client(s3ClientOptions(config));
}

export function s3Store(config: S3Config, client: S3Client = s3Client(config)): BlobStore {
  const Bucket = config.bucket;
  const keyOf = (digest: string) => addressOf(hexOf(digest));

  async function head(Key: string): Promise<{ size: number; modified: Date } | null> {
    try {
      const out = await client.send(new HeadObjectCommand({ Bucket, Key }));
      return { size: out.ContentLength ?? 0, modified: out.LastModified ?? new Date(0) };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /**
   * Server-side copy. A copy onto itself (same key) needs MetadataDirective REPLACE, which also
   * gives the object a fresh LastModified: that is how a put of stored bytes refreshes their age.
   */
  async function copy(from: string, to: string, size: number): Promise<void> {
    const CopySource = `${Bucket}/${from.split("/").map(encodeURIComponent).join("/")}`;
    if (size <= COPY_OBJECT_MAX) {
      await client.send(new CopyObjectCommand({ Bucket, Key: to, CopySource, MetadataDirective: "REPLACE", ContentType: "application/octet-stream" }));
      return;
    }
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket, Key: to, ContentType: "application/octet-stream" }));
    const parts: Array<{ ETag: string; PartNumber: number }> = [];
    for (let start = 0, PartNumber = 1; start < size; start += COPY_PART_BYTES, PartNumber++) {
      const end = Math.min(start + COPY_PART_BYTES, size) - 1;
      const out = await client.send(new UploadPartCopyCommand({ Bucket, Key: to, UploadId, PartNumber, CopySource, CopySourceRange: `bytes=${start}-${end}` }));
      parts.push({ ETag: out.CopyPartResult?.ETag ?? "", PartNumber });
    }
    await client.send(new CompleteMultipartUploadCommand({ Bucket, Key: to, UploadId, MultipartUpload: { Parts: parts } }));
  }

  const removeKey = (Key: string) => client.send(new DeleteObjectCommand({ Bucket, Key }));

  return {
    kind: "s3",

    async put(input, opts) {
      const source = measured(input, opts);
      const tmp = `${TMP_PREFIX}${randomBytes(16).toString("hex")}`;
      // 1 MiB of read-ahead between the input and the part being filled.
      const body = new PassThrough({ highWaterMark: MIB });
      const upload = new Upload({ client, params: { Bucket, Key: tmp, Body: body, ContentType: "application/octet-stream" }, queueSize: QUEUE_SIZE, partSize: PART_BYTES });
      const uploading = upload.done();
      try {
        await Promise.all([
          pipeline(source.chunks, body),
          uploading,
        ]);
      } catch (error) {
        // Either side failed: stop the other (a failed upload would leave the pipeline waiting on
        // back-pressure for ever), abort the multipart upload and drop what was written.
        body.destroy();
        await upload.abort().catch(() => undefined);
        await uploading.catch(() => undefined);
        await removeKey(tmp).catch(() => undefined);
        throw error;
      }
      const hex = source.hex();
      const size = source.size();
      const digest = `0x${hex}`;
      const final = addressOf(hex);
      try {
        const existing = await head(final);
        await copy(existing ? final : tmp, final, size);
        return { digest, size, created: existing === null };
      } finally {
        await removeKey(tmp).catch(() => undefined);
      }
    },

    async stat(digest) {
      const found = await head(keyOf(digest));
      return found ? { size: found.size } : null;
    },

    async open(digest, range) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket, Key: keyOf(digest), ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }));
        return out.Body as Readable;
      } catch (error) {
        if (isNotFound(error)) throw new AppError("NOT_FOUND", "No stored file has that digest.");
        throw error;
      }
    },

    async remove(digest) {
      await removeKey(keyOf(digest));
    },

    async removeIfOlder(digest, olderThan) {
      const Key = keyOf(digest);
      const found = await head(Key);
      if (!found || found.modified >= olderThan) return false;
      await removeKey(Key);
      return true;
    },

    async *list() {
      for await (const page of paginateListObjectsV2({ client, pageSize: 1000 }, { Bucket, Prefix: "sha256/" })) {
        for (const object of page.Contents ?? []) {
          const digest = `0x${object.Key?.split("/").at(-1) ?? ""}`;
          if (SHA256_DIGEST.test(digest)) yield digest;
        }
      }
    },

    // Only the temporary objects of puts that completed their upload and crashed before the copy:
    // multipart uploads a crash left open are not listable on every S3-compatible server, so the
    // bucket's lifecycle rule AbortIncompleteMultipartUpload (docs/decisions.md) removes those.
    async removeStalePartsOlderThan(olderThan) {
      let removed = 0;
      for await (const page of paginateListObjectsV2({ client, pageSize: 1000 }, { Bucket, Prefix: TMP_PREFIX })) {
        for (const object of page.Contents ?? []) {
          if (!object.Key || !object.LastModified || object.LastModified >= olderThan) continue;
          await removeKey(object.Key);
          removed++;
        }
      }
      return removed;
    },
  };
}
