import "server-only";
import { type Tx, prisma } from "@/lib/db";

/** Reads of exports (lib/exports): the release to export, grants to check, exports and their files. */

/** A published release with what an export reads of it: files, dictionary, conditions, trial. */
export function getExportRelease(releaseId: string) {
  return prisma().datasetRelease.findFirst({
    where: { id: releaseId, status: "PUBLISHED" },
    select: {
      id: true,
      number: true,
      dictionary: true,
      conditions: true,
      manifestDigest: true,
      dataset: { select: { number: true, trialId: true, trial: { select: { registrationNumber: true } } } },
      files: { orderBy: { name: "asc" }, select: { id: true, name: true, digest: true, size: true, format: true, mediaType: true } },
    },
  });
}
export type ExportReleaseRow = NonNullable<Awaited<ReturnType<typeof getExportRelease>>>;

/** The user's grant to the release under the request that is active at `now`; null when none is. */
export function findActiveGrant(opts: { requestId: string; releaseId: string; userId: string; now: Date }, db: Tx = prisma()) {
  return db.accessGrant.findFirst({
    where: { requestId: opts.requestId, releaseId: opts.releaseId, userId: opts.userId, endedAt: null, start: { lte: opts.now }, end: { gt: opts.now } },
    select: { id: true, end: true },
  });
}

export function countExportsOf(requestId: string, db: Tx = prisma()) {
  return db.dataExport.count({ where: { requestId } });
}

const EXPORT_COLUMNS = {
  id: true,
  number: true,
  status: true,
  rowsRead: true,
  chainId: true,
  registry: true,
  blockNumber: true,
  manifest: true,
  manifestDigest: true,
  inclusion: true,
  error: true,
  createdAt: true,
  finishedAt: true,
  requestId: true,
  releaseId: true,
  request: { select: { number: true } },
  release: { select: { number: true, dataset: { select: { number: true, title: true } } } },
  files: { orderBy: { name: "asc" }, select: { id: true, name: true, kind: true, source: true, rowsKept: true, rowsExcluded: true, bytes: true, sha256: true, cipherBytes: true, cipherSha256: true } },
} as const;

export function listExportsOfRequest(requestId: string) {
  return prisma().dataExport.findMany({ where: { requestId }, orderBy: { createdAt: "asc" }, select: EXPORT_COLUMNS });
}

export function getExport(number: string) {
  return prisma().dataExport.findUnique({ where: { number }, select: EXPORT_COLUMNS });
}
export type ExportRow = NonNullable<Awaited<ReturnType<typeof getExport>>>;

/** A file with what a download re-checks: its export's request and release, and its blob. */
export function getExportFile(id: string) {
  return prisma().dataExportFile.findUnique({
    where: { id },
    select: {
      id: true,
      name: true,
      bytes: true,
      cipherBytes: true,
      blobDigest: true,
      export: { select: { id: true, number: true, status: true, requestId: true, releaseId: true, request: { select: { orgId: true, researcherId: true, members: { select: { userId: true } } } } } },
    },
  });
}

/** The researcher's registered Crypt4GH public key (base64 of 32 bytes), or null. */
export async function findCrypt4ghKey(userId: string): Promise<string | null> {
  return (await prisma().user.findUnique({ where: { id: userId }, select: { crypt4ghPublicKey: true } }))?.crypt4ghPublicKey ?? null;
}

/** A ready export's inclusion tags, published for participants' devices; null when none is ready under that number. */
export function getInclusion(number: string) {
  return prisma().dataExport.findFirst({ where: { number, status: "READY" }, select: { id: true, number: true, inclusion: true, finishedAt: true } });
}

/** The inclusion tags of a request's earlier ready exports: who the researcher already received. */
export function listEarlierInclusions(requestId: string) {
  return prisma().dataExport.findMany({ where: { requestId, status: "READY" }, select: { id: true, inclusion: true } });
}
