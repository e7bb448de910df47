import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client.ts";
import type { UploadPurpose } from "@/lib/storage/schema";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendLogEntry } from "@/lib/log/mutations";

/**
 * Records that `orgId` uploaded `digest` (logged as `upload.stored`), within its quota of unattached bytes. The organisation's
 * row is locked for the transaction, so two uploads at once are counted one after the other and
 * cannot both squeeze under the quota. Uploading the same file again restarts its time to expire.
 * @throws AppError PAYLOAD_TOO_LARGE (with `quotaMessage`) when the upload would pass the quota;
 *   nothing is written then
 */
export async function recordUpload(opts: {
  orgId: string;
  uploaderId: string;
  digest: string;
  size: number;
  /** Which quota it counts against: each purpose has its own (lib/storage/uploads.ts). */
  purpose: UploadPurpose;
  quotaBytes: number;
  /** The refusal's message, for the organisation's quota or the uploader's. */
  quotaMessage: (pendingBytes: number, whose: "organisation" | "uploader") => string;
  /** When it was uploaded (tests plant old uploads with it). */
  now: Date;
}): Promise<void> {
  await prisma().$transaction(async (tx) => {
    // Both rows locked, in this order everywhere: two uploads of one organisation (or one person)
    // at once are counted one after the other.
    await tx.$queryRaw`SELECT "id" FROM "Organization" WHERE "id" = ${opts.orgId} FOR UPDATE`;
    await tx.$queryRaw`SELECT "id" FROM "User" WHERE "id" = ${opts.uploaderId} FOR UPDATE`;
    const existing = await tx.upload.findUnique({ where: { orgId_digest: { orgId: opts.orgId, digest: opts.digest } }, select: { attachedAt: true } });
    if (!existing || existing.attachedAt === null) {
      // The same file counts once: an unattached row of it is already in the sum.
      const sum = await tx.upload.aggregate({ where: { orgId: opts.orgId, purpose: opts.purpose, attachedAt: null, digest: { not: opts.digest } }, _sum: { size: true } });
      const pending = Number(sum._sum.size ?? 0n);
      if (pending + opts.size > opts.quotaBytes) throw new AppError("PAYLOAD_TOO_LARGE", opts.quotaMessage(pending, "organisation"));
      // The same quota per uploader across all their organisations: anyone may create
      // organisations, so a quota per organisation alone would not bound what one person stores.
      const mine = await tx.upload.aggregate({
        where: { uploaderId: opts.uploaderId, purpose: opts.purpose, attachedAt: null, NOT: { orgId: opts.orgId, digest: opts.digest } },
        _sum: { size: true },
      });
      const minePending = Number(mine._sum.size ?? 0n);
      if (minePending + opts.size > opts.quotaBytes) throw new AppError("PAYLOAD_TOO_LARGE", opts.quotaMessage(minePending, "uploader"));
    }
    const upload = await tx.upload.upsert({
      where: { orgId_digest: { orgId: opts.orgId, digest: opts.digest } },
      create: { orgId: opts.orgId, uploaderId: opts.uploaderId, digest: opts.digest, size: BigInt(opts.size), purpose: opts.purpose, createdAt: opts.now },
      // The uploader stays the first one: the row records who brought the file in.
      update: { createdAt: opts.now },
      select: { id: true },
    });
    // Every upload is logged, the same file again too: each is someone bringing the file in.
    await appendLogEntry(tx, {
      kind: "upload.stored",
      actor: { type: "user", id: opts.uploaderId },
      subject: { type: "upload", id: upload.id },
      details: { size: opts.size },
      private: { digest: opts.digest },
      orgId: opts.orgId,
    });
  });
}

/**
 * Marks the organisation's uploads of `digests` attached, inside the registering transaction `tx`.
 * @throws AppError VALIDATION when one of them is no longer there (removed by the clean-up after
 *   it expired): the registration is rolled back with it
 */
export async function markUploadsAttached(tx: Prisma.TransactionClient, orgId: string, digests: string[], now: Date): Promise<void> {
  if (digests.length === 0) return;
  await tx.upload.updateMany({ where: { orgId, digest: { in: digests }, attachedAt: null }, data: { attachedAt: now } });
  const present = await tx.upload.count({ where: { orgId, digest: { in: digests } } });
  if (present < new Set(digests).size) {
    throw new AppError("VALIDATION", "An uploaded file expired before the registration. Upload it again.", {
      fieldErrors: { attachments: ["An uploaded file expired before the registration. Upload it again."] },
    });
  }
}

/**
 * Deletes uploads never attached and last uploaded before `olderThan`, in pages of 500.
 * @returns the digests whose rows were deleted (their files may now be unreferenced)
 */
export async function deleteExpiredUploads(olderThan: Date): Promise<string[]> {
  const digests: string[] = [];
  for (;;) {
    const page = await prisma().upload.findMany({ where: { attachedAt: null, createdAt: { lt: olderThan } }, select: { id: true, digest: true }, take: 500 });
    if (page.length === 0) return digests;
    // The same condition again: a row uploaded anew or attached since it was read is kept.
    await prisma().upload.deleteMany({ where: { id: { in: page.map((r) => r.id) }, attachedAt: null, createdAt: { lt: olderThan } } });
    digests.push(...page.map((r) => r.digest));
    if (page.length < 500) return digests;
  }
}
