import "server-only";
import path from "node:path";
import type { Readable } from "node:stream";
import { FileStore } from "@tus/file-store";
import { S3Store } from "@tus/s3-store";
import { type DataStore, type Locker, Server, type Upload } from "@tus/server";
import type { SessionUser } from "@/lib/auth/roles";
import { DeleteObjectsCommand } from "@aws-sdk/client-s3";
import { PART_BYTES, s3Client, s3ClientOptions } from "@/lib/blobs/s3";
import { type S3Config, env } from "@/lib/env";
import { AppError, toAppError, toPublicError } from "@/lib/errors";
import { assertOrgMember } from "@/lib/orgs/service";
import { pendingUploadBytes } from "@/lib/storage/data";
import { leaseLocker } from "@/lib/storage/tus-locker";
import { DATASET_FILE_MAX_BYTES, uploadFile, uploadLimits } from "@/lib/storage/uploads";

/**
 * Resumable uploads of dataset files, with the tus protocol (tus.io, v1.0.0): POST creates an
 * upload (Upload-Length, Upload-Metadata with `orgId` and `filename`), PATCH appends from
 * Upload-Offset, HEAD tells a client that lost its connection where to continue. The bytes in
 * flight live in the tus datastore — a folder of the data directory, or the blob store's bucket in
 * S3 mode — and each upload's lock is a database lease, so any instance can continue an upload
 * another one began. On the last PATCH the finished bytes are hashed into the blob store and
 * recorded as a DATASET_FILE upload of the organisation (lib/storage/uploads.ts), and the tus copy
 * is removed; the response body is `{ digest, size }`.
 */

export const TUS_PATH = "/api/uploads/tus";

/** What one instance serves tus with: where the bytes in flight are, and how uploads are locked. */
export type TusDeps = {
  datastore: DataStore & { read(id: string): Readable | Promise<Readable> };
  locker: Locker;
  /** Drops a finished upload's bytes and metadata from the datastore. */
  discard(id: string): Promise<void>;
};

/**
 * One instance's tus set-up for this configuration: the bucket in S3 mode, else `<dataDir>/tus`;
 * locks in the database either way.
 */
export function createTusDeps(config: { s3?: S3Config; dataDir: string }): TusDeps {
  if (!config.s3) {
    const datastore = new FileStore({ directory: path.join(config.dataDir, "tus") });
    return { datastore, locker: leaseLocker(), discard: (id) => datastore.remove(id) };
  }
  const { bucket } = config.s3;
  // 8 MiB parts, the blob store's own (lib/blobs/s3.ts): a PATCH holds at most one part in memory.
  // No metadata cache (the default keeps one per process): an upload another instance finished or
  // discarded must not still look alive here. It costs one GET of `<id>.info` per request.
  const noCache = { get: async () => undefined, set: async () => undefined, delete: async () => undefined };
  const datastore = new S3Store({ partSize: PART_BYTES, cache: noCache, s3ClientConfig: { bucket, ...s3ClientOptions(config.s3) } });
  const client = s3Client(config.s3);
  return {
    datastore,
    locker: leaseLocker(),
    // Not datastore.remove: it first aborts the multipart upload, which S3 refuses with
    // NoSuchUpload once the upload is complete, and then removes nothing.
    discard: async (id) => {
      await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: id }, { Key: `${id}.info` }] } }));
    },
  };
}

let shared: TusDeps | undefined;

/** The process's tus set-up, made on first use from the environment. */
export function tusDeps(): TusDeps {
  shared ??= createTusDeps(env());
  return shared;
}

/** An AppError as tus-node-server's hooks throw errors: its status, and the portal's JSON error body. */
function tusError(error: unknown): { status_code: number; body: string } {
  const appError = toAppError(error);
  if (appError.status >= 500) console.error("[uploads.tus]", appError.cause ?? appError);
  return { status_code: appError.status, body: JSON.stringify({ error: toPublicError(appError) }) };
}

function metadataOf(upload: Upload): { orgId: string; filename: string; uploaderId: string | undefined } {
  const orgId = upload.metadata?.orgId ?? "";
  const filename = upload.metadata?.filename ?? "";
  return { orgId, filename, uploaderId: upload.metadata?.uploaderId ?? undefined };
}

/**
 * Answers one tus request for `user` (a sponsor, checked by the route). Who may act:
 * - creating: a member of the organisation named in the metadata, within the size limit and the
 *   organisation's dataset quota; the upload is stamped with its creator;
 * - HEAD, PATCH, DELETE: only its creator, still a member of that organisation (403 otherwise).
 */
export async function handleTus(request: Request, user: SessionUser, deps: TusDeps = tusDeps()): Promise<Response> {
  const { datastore, locker } = deps;
  const server = new Server({
    path: TUS_PATH,
    datastore,
    locker,
    maxSize: DATASET_FILE_MAX_BYTES,
    // The id is in the path the client was given; the Location is relative so a proxy in front
    // changes nothing.
    relativeLocation: true,
    async onUploadCreate(_req, upload) {
      try {
        const { orgId, filename } = metadataOf(upload);
        if (!orgId) throw new AppError("VALIDATION", "Name the organisation in the upload's metadata (orgId).", { fieldErrors: { orgId: ["Required."] } });
        if (!filename || filename.length > 255) throw new AppError("VALIDATION", "Give the file's name in the upload's metadata (filename, at most 255 characters).", { fieldErrors: { filename: ["Required."] } });
        await assertOrgMember(orgId, user.id);
        if (upload.size === undefined) throw new AppError("VALIDATION", "Declare the file's length (Upload-Length): dataset uploads cannot defer it.");
        const { quotaBytes } = uploadLimits("DATASET_FILE");
        // An early refusal; the exact count (the same file counted once) is made on completion.
        if ((await pendingUploadBytes(orgId, "DATASET_FILE")) + upload.size > quotaBytes) {
          throw new AppError("PAYLOAD_TOO_LARGE", `This file would pass your organisation's quota of ${quotaBytes / 2 ** 30} GiB for dataset files not yet in a release.`);
        }
        return { metadata: { ...upload.metadata, orgId, filename, uploaderId: user.id } };
      } catch (error) {
        throw tusError(error);
      }
    },
    async onIncomingRequest(req, id) {
      if (req.method === "POST" || req.method === "OPTIONS") return; // creation is checked in onUploadCreate
      try {
        const upload = await datastore.getUpload(id).catch((error: unknown) => {
          // The datastores throw tus's FILE_NOT_FOUND ({ status_code: 404 }) for an unknown id.
          if ((error as { status_code?: number }).status_code === 404) throw new AppError("NOT_FOUND", "No upload has that address (it finished, expired or never began).");
          throw error;
        });
        const { orgId, uploaderId } = metadataOf(upload);
        // Another person's upload is refused as forbidden, even within the organisation: an upload
        // in flight is its creator's until it is finished and recorded.
        if (uploaderId !== user.id) throw new AppError("FORBIDDEN", "This upload was begun by someone else.");
        await assertOrgMember(orgId, user.id);
      } catch (error) {
        throw tusError(error);
      }
    },
    async onUploadFinish(req, upload) {
      const { orgId } = metadataOf(upload);
      try {
        const stored = await uploadFile({ orgId, user, body: await datastore.read(upload.id), declaredBytes: upload.size, purpose: "DATASET_FILE" });
        // A small file finishes in the creating POST (creation-with-upload): that answer keeps 201,
        // because @tus/server sends the Location header only with 201, and tus clients need it.
        return { status_code: req.method === "POST" ? 201 : 200, headers: { "content-type": "application/json", "cache-control": "no-store" }, body: JSON.stringify(stored) };
      } catch (error) {
        throw tusError(error);
      } finally {
        // Recorded or refused, the tus copy has served: the blob store holds the bytes now, once.
        await deps.discard(upload.id).catch((error: unknown) => console.error("[uploads.tus] removing a finished upload", error));
      }
    },
  });
  return server.handleWeb(request);
}
