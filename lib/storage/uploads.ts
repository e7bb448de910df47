import "server-only";
import type { SessionUser } from "@/lib/auth/roles";
import { env } from "@/lib/env";
import type { UploadPurpose } from "@/lib/storage/schema";
import { AppError } from "@/lib/errors";
import { assertOrgMember } from "@/lib/orgs/service";
import { ownedDigests, pendingUploadBytes, referencedDigests } from "@/lib/storage/data";
import { recordUpload } from "@/lib/storage/mutations";
import { formatMb } from "@/lib/blobs/common";
import { type BlobInput, type PutResult, blobStore } from "@/lib/blobs/store";

/**
 * Uploads with an owner: a file is uploaded for one organisation by one of its members, counts
 * against that organisation's quota until it is attached, and only that organisation can attach
 * it to a trial (which is what makes it public). The bytes themselves are stored once
 * (lib/blobs) however many organisations upload them.
 */

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
/** 50 MB: protocols and analysis plans run to a few MB; datasets get their own upload path. */
export const UPLOAD_MAX_BYTES = 50 * MIB;
/**
 * 20 GiB: a dataset release's file (a CSV of a large trial's measurements, an imaging archive's
 * index) runs from megabytes to a few gigabytes; 20 GiB leaves a margin and stays within one
 * resumable upload a sponsor can finish over an afternoon (at 10 MB/s, about 35 minutes).
 */
export const DATASET_FILE_MAX_BYTES = 20 * GIB;

/**
 * What each purpose may upload and which quota it counts against. Each purpose has its own quota,
 * per organisation and per uploader, so that a 20 GiB dataset file in preparation never blocks a
 * protocol upload for a registration (and a pile of protocols never blocks a dataset release).
 */
export function uploadLimits(purpose: UploadPurpose): { maxBytes: number; quotaBytes: number } {
  return purpose === "DATASET_FILE"
    ? { maxBytes: DATASET_FILE_MAX_BYTES, quotaBytes: env().DATASET_UPLOAD_QUOTA_GB * GIB }
    : { maxBytes: UPLOAD_MAX_BYTES, quotaBytes: env().UPLOAD_QUOTA_MB * MIB };
}

function quotaMessage(pendingBytes: number, quotaBytes: number, whose: "organisation" | "uploader" = "organisation"): string {
  const mb = (bytes: number) => (bytes / MIB).toFixed(1).replace(/\.0$/, "");
  const owner = whose === "organisation" ? "Your organisation's uploads" : "Your own uploads (in all your organisations)";
  return (
    `${owner} not yet attached to a trial (${mb(pendingBytes)} MB) and this file would pass the quota of ` +
    `${mb(quotaBytes)} MB. Register the trials they are for, or wait: unattached uploads are removed after ${env().UPLOAD_MAX_AGE_HOURS} hours.`
  );
}

/**
 * Streams a file into the store for `orgId` and records the organisation as its owner.
 * @param opts.purpose TRIAL_DOCUMENT (default, 50 MB) or DATASET_FILE (20 GiB; the resumable upload
 *   hands its finished bytes here), each with its own quota
 * @param opts.declaredBytes the request's Content-Length, if it gave one: refused before reading when too large
 * @param opts.now when it is uploaded (default: now; tests plant old uploads with it)
 * @throws AppError FORBIDDEN unless `user` is a member of `orgId` (checked before anything is read);
 *   PAYLOAD_TOO_LARGE past 50 MB or past the organisation's or the uploader's quota (nothing is kept);
 *   BAD_REQUEST without a body
 */
export async function uploadFile(opts: { orgId: string; user: SessionUser; body: BlobInput | null; declaredBytes?: number; purpose?: UploadPurpose; now?: Date }) {
  await assertOrgMember(opts.orgId, opts.user.id);
  const purpose = opts.purpose ?? "TRIAL_DOCUMENT";
  const limits = uploadLimits(purpose);
  const quotaBytes = limits.quotaBytes;
  // Reading stops at the smaller limit, so no single upload writes more than its quota allows.
  const maxBytes = Math.min(limits.maxBytes, quotaBytes);
  if (opts.declaredBytes !== undefined && opts.declaredBytes > maxBytes) {
    throw new AppError("PAYLOAD_TOO_LARGE", maxBytes < limits.maxBytes ? quotaMessage(await pendingUploadBytes(opts.orgId, purpose), quotaBytes) : `The file is larger than ${formatMb(limits.maxBytes)} MB.`);
  }
  if (!opts.body) throw new AppError("BAD_REQUEST", "The request has no file in its body.");

  // What the organisation has pending is counted exactly only once the digest is known (the same
  // file uploaded again counts once), in recordUpload; a file refused there is removed at once.
  let stored: PutResult;
  try {
    stored = await blobStore().put(opts.body, { maxBytes });
  } catch (error) {
    if (error instanceof AppError && error.code === "PAYLOAD_TOO_LARGE" && maxBytes < limits.maxBytes) {
      throw new AppError("PAYLOAD_TOO_LARGE", quotaMessage(await pendingUploadBytes(opts.orgId, purpose), quotaBytes));
    }
    throw error;
  }
  try {
    await recordUpload({
      orgId: opts.orgId,
      uploaderId: opts.user.id,
      digest: stored.digest,
      size: stored.size,
      purpose,
      quotaBytes,
      quotaMessage: (pending, whose) => quotaMessage(pending, quotaBytes, whose),
      now: opts.now ?? new Date(),
    });
  } catch (error) {
    // Refused (past the quota, counted exactly): bytes this call added and nothing else refers to
    // are removed at once, so a refused upload leaves nothing stored.
    if (stored.created && !(await referencedDigests([stored.digest])).has(stored.digest)) await blobStore().remove(stored.digest);
    throw error;
  }
  return { digest: stored.digest, size: stored.size };
}

export type UploadedFile = { digest: string; size: number };

/**
 * The organisation's own uploads among `digests`, with their sizes. A digest the organisation did
 * not upload is refused exactly like one never uploaded at all: whether another organisation holds
 * a private file with that digest is not for this one to learn.
 * @throws AppError VALIDATION naming the first file that is not the organisation's upload
 */
export async function requireOwnUploads(orgId: string, files: Array<{ name: string; digest: string }>): Promise<Map<string, UploadedFile>> {
  const owned = await ownedDigests(orgId, files.map((f) => f.digest));
  const out = new Map<string, UploadedFile>();
  for (const file of files) {
    const stored = owned.has(file.digest) ? await blobStore().stat(file.digest) : null;
    if (!stored) {
      throw new AppError("VALIDATION", `The file “${file.name}” was not uploaded (or the upload failed). Upload it again.`, {
        fieldErrors: { attachments: [`“${file.name}” was not uploaded.`] },
      });
    }
    out.set(file.digest, { digest: file.digest, size: stored.size });
  }
  return out;
}
