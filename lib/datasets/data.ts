import "server-only";
import { prisma } from "@/lib/db";

/**
 * Reads of datasets and their releases. Public readers (catalogue, dataset page, API) only ever
 * see PUBLISHED releases: `publishedOnly` is part of every public read, so a draft cannot leak
 * through a page that forgot to filter it.
 */

const FILE_COLUMNS = {
  id: true,
  name: true,
  digest: true,
  size: true,
  format: true,
  mediaType: true,
  rows: true,
  report: true,
  hasErrors: true,
  validatedAt: true,
  anchorItemId: true,
} as const;

const RELEASE_COLUMNS = {
  id: true,
  number: true,
  status: true,
  metadata: true,
  dictionary: true,
  conditions: true,
  manifestDigest: true,
  previousDigest: true,
  anchorItemId: true,
  createdAt: true,
  updatedAt: true,
  publishedAt: true,
  files: { select: FILE_COLUMNS, orderBy: { name: "asc" } },
} as const;

/**
 * A dataset with its trial, organisation and releases (oldest first), or null.
 * @param opts.publishedOnly leave drafts out (every public reader sets it)
 */
export function getDataset(number: string, opts: { publishedOnly: boolean }) {
  return prisma().dataset.findUnique({
    where: { number },
    select: {
      id: true,
      number: true,
      title: true,
      createdAt: true,
      orgId: true,
      trialId: true,
      org: { select: { name: true, slug: true } },
      trial: { select: { registrationNumber: true } },
      releases: {
        where: opts.publishedOnly ? { status: "PUBLISHED" } : {},
        orderBy: { number: "asc" },
        select: RELEASE_COLUMNS,
      },
    },
  });
}

export type DatasetView = NonNullable<Awaited<ReturnType<typeof getDataset>>>;
export type ReleaseView = DatasetView["releases"][number];
export type FileView = ReleaseView["files"][number];

/** The published datasets of a trial with their latest release's number and date, for its page. */
export function listTrialDatasets(registrationNumber: string, opts: { publishedOnly: boolean }) {
  return prisma().dataset.findMany({
    where: { trial: { registrationNumber }, ...(opts.publishedOnly ? { releases: { some: { status: "PUBLISHED" } } } : {}) },
    orderBy: { number: "asc" },
    select: {
      number: true,
      title: true,
      releases: {
        where: opts.publishedOnly ? { status: "PUBLISHED" } : {},
        orderBy: { number: "desc" },
        take: 1,
        select: { number: true, status: true, publishedAt: true },
      },
    },
  });
}

/** An organisation's datasets with their latest release's state, for the sponsor's pages. */
export function listOrgDatasets(orgId: string) {
  return prisma().dataset.findMany({
    where: { orgId },
    orderBy: { createdAt: "desc" },
    select: {
      number: true,
      title: true,
      trial: { select: { registrationNumber: true } },
      releases: { orderBy: { number: "desc" }, take: 1, select: { number: true, status: true, publishedAt: true } },
    },
  });
}

/** How many datasets the trial has (the next one is number + 1). */
export function countTrialDatasets(trialId: string) {
  return prisma().dataset.count({ where: { trialId } });
}

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
