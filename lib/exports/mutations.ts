import "server-only";
import { queueForAnchoring } from "@/lib/anchoring/service";
import { prisma } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client.ts";
import type { LogEvent } from "@/lib/log/entry";
import { appendLogEntry } from "@/lib/log/mutations";

/**
 * Writes of exports. An export row is made BUILDING, its counter of rows read moves while the files
 * are written to the blob store, and one transaction then freezes it READY with its files, its
 * signed manifest, the log entry and the manifest's anchor — or marks it FAILED. A half-built export
 * is never READY, so it can never be downloaded.
 */

export async function createExport(opts: { requestId: string; requestNumber: string; releaseId: string; userId: string }) {
  // The number is the request's count of exports + 1; the unique index refuses a racing twin, which retries.
  for (let attempt = 0; ; attempt++) {
    const n = (await prisma().dataExport.count({ where: { requestId: opts.requestId } })) + 1;
    try {
      return await prisma().dataExport.create({
        data: { number: `${opts.requestNumber}.X${n}`, requestId: opts.requestId, releaseId: opts.releaseId, createdById: opts.userId },
        select: { id: true, number: true },
      });
    } catch (error) {
      if (attempt < 5 && error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") continue;
      throw error;
    }
  }
}

export async function recordProgress(exportId: string, rowsRead: number): Promise<void> {
  await prisma().dataExport.updateMany({ where: { id: exportId, status: "BUILDING" }, data: { rowsRead } });
}

export type FinishedFile = {
  name: string;
  kind: string;
  source?: string | undefined;
  rowsKept?: number | undefined;
  rowsExcluded?: number | undefined;
  bytes: number;
  sha256: string;
  cipherBytes?: number | undefined;
  cipherSha256?: string | undefined;
  blobDigest: string;
};

export async function finishExport(opts: {
  exportId: string;
  files: FinishedFile[];
  consent: { chainId: number; registry: string; blockNumber: number };
  signedManifest: string;
  manifestDigest: string;
  inclusion: string[];
  rowsRead: number;
  log: LogEvent<"export.created">;
}) {
  await prisma().$transaction(async (tx) => {
    const [item] = await queueForAnchoring(tx, [{ digest: opts.manifestDigest, kind: "export-manifest", subjectId: opts.exportId, subjectName: `export ${opts.log.details.export}` }]);
    await tx.dataExportFile.createMany({ data: opts.files.map((f) => ({ ...f, exportId: opts.exportId, bytes: BigInt(f.bytes), cipherBytes: f.cipherBytes === undefined ? null : BigInt(f.cipherBytes) })) });
    const updated = await tx.dataExport.updateMany({
      where: { id: opts.exportId, status: "BUILDING" },
      data: {
        status: "READY",
        ...opts.consent,
        manifest: opts.signedManifest,
        manifestDigest: opts.manifestDigest,
        inclusion: opts.inclusion,
        anchorItemId: item?.id ?? null,
        rowsRead: opts.rowsRead,
        finishedAt: new Date(),
      },
    });
    if (updated.count !== 1) throw new Error(`export ${opts.exportId} is no longer building`);
    await appendLogEntry(tx, opts.log);
  });
}

export async function failExport(exportId: string, error: string): Promise<void> {
  await prisma().dataExport.updateMany({ where: { id: exportId, status: "BUILDING" }, data: { status: "FAILED", error: error.slice(0, 2000), finishedAt: new Date() } });
}

export async function logDownload(event: LogEvent<"export.downloaded">): Promise<void> {
  await prisma().$transaction(async (tx) => {
    await appendLogEntry(tx, event);
  });
}

/** Registers (or replaces, or with null removes) the researcher's Crypt4GH public key. */
export async function setCrypt4ghKey(userId: string, publicKey: string | null): Promise<void> {
  await prisma().user.update({ where: { id: userId }, data: { crypt4ghPublicKey: publicKey } });
}
