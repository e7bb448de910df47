import "server-only";
import { prisma } from "@/lib/db";
import type { UploadPurpose } from "@/lib/storage/schema";

/** Bytes of the organisation's uploads for `purpose` not yet attached (what that purpose's quota counts). */
export async function pendingUploadBytes(orgId: string, purpose: UploadPurpose): Promise<number> {
  const sum = await prisma().upload.aggregate({ where: { orgId, purpose, attachedAt: null }, _sum: { size: true } });
  // A Number is exact to 8 PiB (2^53 bytes), far past any quota.
  return Number(sum._sum.size ?? 0n);
}

/** Which of `digests` the organisation has uploaded (attached or not). */
export async function ownedDigests(orgId: string, digests: string[]): Promise<Set<string>> {
  if (digests.length === 0) return new Set();
  const rows = await prisma().upload.findMany({ where: { orgId, digest: { in: digests } }, select: { digest: true } });
  return new Set(rows.map((r) => r.digest));
}

/** Which of `digests` something still refers to: an upload of any organisation, a trial's file, or an access request's document. */
export async function referencedDigests(digests: string[]): Promise<Set<string>> {
  if (digests.length === 0) return new Set();
  const [uploads, files, documents] = await Promise.all([
    prisma().upload.findMany({ where: { digest: { in: digests } }, select: { digest: true }, distinct: ["digest"] }),
    prisma().trialFile.findMany({ where: { digest: { in: digests } }, select: { digest: true }, distinct: ["digest"] }),
    prisma().accessDocument.findMany({ where: { digest: { in: digests } }, select: { digest: true }, distinct: ["digest"] }),
  ]);
  return new Set([...uploads, ...files, ...documents].map((r) => r.digest));
}
