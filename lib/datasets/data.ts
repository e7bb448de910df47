import "server-only";
import { prisma } from "@/lib/db";

// ─── Receipts and manifests (branch h-receipts) ────────────────────────────────────────────────
// The reads the public receipt routes need (app/api/datasets/[number]/releases/[release]/…). Only
// published releases: a draft has no manifest and nothing queued, and is not public.

const published = (datasetNumber: string, release: number) => ({ number: release, status: "PUBLISHED" as const, dataset: { number: datasetNumber } });

/** A published release's frozen manifest, its digest and its anchoring item; null for an unknown or draft release. */
export function releaseForReceipt(datasetNumber: string, release: number) {
  return prisma().datasetRelease.findFirst({
    where: published(datasetNumber, release),
    select: { manifest: true, manifestDigest: true, anchorItemId: true },
  });
}

/**
 * A file of a published release by its digest, with its anchoring item; null when the release has
 * none. Two files with the same bytes have the same digest: the first by name is taken, and both
 * receipts prove the same digest.
 */
export function releaseFileForReceipt(datasetNumber: string, release: number, digest: string) {
  return prisma().datasetFile.findFirst({
    where: { digest, release: published(datasetNumber, release) },
    select: { name: true, anchorItemId: true },
    orderBy: { name: "asc" },
  });
}
// ─── end of receipts and manifests ─────────────────────────────────────────────────────────────
