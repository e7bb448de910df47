import "server-only";
import { queueForAnchoring } from "@/lib/anchoring/service";
import { type Tx, prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client.ts";
import type { ValidationReport } from "@/lib/datasets/report";
import { appendLogEntry } from "@/lib/log/mutations";
import type { Signer } from "@/lib/registry/mutations";
import { SIGNATURE_METHOD } from "@/lib/registry/signature";
import { indexDataset } from "@/lib/search/mutations";
import { markUploadsAttached } from "@/lib/storage/mutations";

/**
 * Writes of datasets and releases. A release is a DRAFT until it is published; every write of a
 * draft is conditional on it still being a draft (`status: "DRAFT"` in the where clause), so a
 * publication racing an edit either sees the edit or refuses it — a published release never changes.
 */

/** An empty section of a draft: metadata, dictionary and conditions are saved one by one. */
const EMPTY = {} satisfies Prisma.InputJsonValue;

/**
 * Creates a dataset `<registration number>.D<n>` for a trial with an empty draft of release 1, and
 * logs `dataset.created`, in one transaction. The trial's row is locked first, so two datasets
 * created at once get distinct numbers.
 */
export async function createDataset(opts: { trialId: string; registrationNumber: string; orgId: string; title: string; userId: string }) {
  return prisma().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "Trial" WHERE "id" = ${opts.trialId} FOR UPDATE`;
    const count = await tx.dataset.count({ where: { trialId: opts.trialId } });
    const number = `${opts.registrationNumber}.D${count + 1}`;
    const dataset = await tx.dataset.create({
      data: {
        number,
        trialId: opts.trialId,
        orgId: opts.orgId,
        title: opts.title,
        createdById: opts.userId,
        releases: { create: { number: 1, metadata: EMPTY, dictionary: EMPTY, conditions: EMPTY, createdById: opts.userId } },
      },
      select: { id: true, number: true },
    });
    await appendLogEntry(tx, {
      kind: "dataset.created",
      actor: { type: "user", id: opts.userId },
      subject: { type: "dataset", id: number },
      details: { trial: opts.registrationNumber, title: opts.title },
      orgId: opts.orgId,
    });
    return dataset;
  });
}

/** Refuses with CONFLICT when the release is no longer a draft (published meanwhile). */
function assertStillDraft(count: number): void {
  if (count === 0) throw new AppError("CONFLICT", "This release was published meanwhile: a published release never changes. Start a new release.");
}

/**
 * Saves one section of a draft. A changed dictionary makes every file's validation report stale
 * (they were checked against the old one), so the reports are cleared in the same transaction and
 * the files must be validated again before publishing.
 */
export async function saveDraftSection(opts: {
  releaseId: string;
  section: "metadata" | "dictionary" | "conditions";
  /** The section, already validated against its schema (lib/datasets/service.ts). */
  value: object;
}): Promise<void> {
  await prisma().$transaction(async (tx) => {
    const { count } = await tx.datasetRelease.updateMany({
      where: { id: opts.releaseId, status: "DRAFT" },
      data: { [opts.section]: opts.value },
    });
    assertStillDraft(count);
    if (opts.section === "dictionary") {
      await tx.datasetFile.updateMany({ where: { releaseId: opts.releaseId }, data: { report: Prisma.DbNull, hasErrors: false, validatedAt: null, rows: null } });
    }
  });
}

/**
 * Adds an uploaded file to a draft (or replaces the draft's file of the same name). The upload is
 * marked attached in the same transaction, so the upload clean-up keeps it while the draft waits.
 * @returns the file's id
 */
export async function addDraftFile(opts: {
  releaseId: string;
  orgId: string;
  file: { name: string; digest: string; size: bigint; format: string; mediaType: string };
}): Promise<string> {
  return prisma().$transaction(async (tx) => {
    const release = await tx.datasetRelease.findFirst({ where: { id: opts.releaseId, status: "DRAFT" }, select: { id: true } });
    assertStillDraft(release ? 1 : 0);
    await markUploadsAttached(tx, opts.orgId, [opts.file.digest], new Date());
    const row = await tx.datasetFile.upsert({
      where: { releaseId_name: { releaseId: opts.releaseId, name: opts.file.name } },
      create: { releaseId: opts.releaseId, ...opts.file },
      update: { ...opts.file, report: Prisma.DbNull, hasErrors: false, validatedAt: null, rows: null },
      select: { id: true },
    });
    return row.id;
  });
}

export async function removeDraftFile(opts: { releaseId: string; fileId: string }): Promise<void> {
  const { count } = await prisma().datasetFile.deleteMany({ where: { id: opts.fileId, releaseId: opts.releaseId, release: { status: "DRAFT" } } });
  if (count === 0) throw new AppError("NOT_FOUND", "That file is not in this draft (or the release was published).");
}

/** Stores a file's validation report; refused once the release is published. */
export async function recordValidation(opts: { fileId: string; report: ValidationReport; rows: number; hasErrors: boolean }): Promise<void> {
  const { count } = await prisma().datasetFile.updateMany({
    where: { id: opts.fileId, release: { status: "DRAFT" } },
    data: { report: opts.report, rows: opts.rows, hasErrors: opts.hasErrors, validatedAt: new Date() },
  });
  assertStillDraft(count);
}

/**
 * Publishes a draft, in one transaction: the release is frozen (status, manifest, its digest, the
 * previous release's digest), the manifest's digest and every file's digest are queued for
 * anchoring through the outbox, the signed `dataset.release-published` entry is logged, and the
 * catalogue's search row is rewritten. The release row is locked first, so a concurrent edit or a
 * second publication waits and then finds it published (CONFLICT).
 * @param expectedUpdatedAt the draft as the signer saw it: an edit since then refuses publication
 */
export async function publishRelease(opts: {
  releaseId: string;
  datasetId: string;
  datasetNumber: string;
  orgId: string;
  release: number;
  manifest: { json: string; digest: string; previousDigest: string | null };
  files: Array<{ id: string; name: string; digest: string }>;
  expectedUpdatedAt: Date;
  signer: Signer;
}) {
  return prisma().$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<Array<{ status: string; updatedAt: Date }>>`
      SELECT "status"::text AS status, "updatedAt" FROM "DatasetRelease" WHERE "id" = ${opts.releaseId} FOR UPDATE`;
    assertStillDraft(locked?.status === "DRAFT" ? 1 : 0);
    if (locked && locked.updatedAt.getTime() !== opts.expectedUpdatedAt.getTime()) {
      throw new AppError("CONFLICT", "The draft changed while you were signing. Review it again and publish.");
    }
    const label = `${opts.datasetNumber} release ${opts.release}`;
    const [manifestItem, ...fileItems] = await queueForAnchoring(tx, [
      { digest: opts.manifest.digest, kind: "dataset-manifest", subjectId: opts.releaseId, subjectName: label },
      ...opts.files.map((f) => ({ digest: f.digest, kind: "dataset-file" as const, subjectId: f.id, subjectName: `${label} — ${f.name}` })),
    ]);
    for (const [i, file] of opts.files.entries()) {
      await tx.datasetFile.update({ where: { id: file.id }, data: { anchorItemId: fileItems[i]?.id ?? null } });
    }
    const now = new Date();
    await tx.datasetRelease.update({
      where: { id: opts.releaseId },
      data: {
        status: "PUBLISHED",
        manifest: opts.manifest.json,
        manifestDigest: opts.manifest.digest,
        previousDigest: opts.manifest.previousDigest,
        anchorItemId: manifestItem?.id ?? null,
        publishedById: opts.signer.userId,
        publishedAt: now,
      },
    });
    await appendLogEntry(tx, {
      kind: "dataset.release-published",
      actor: { type: "user", id: opts.signer.userId },
      subject: { type: "dataset", id: opts.datasetNumber },
      details: {
        release: opts.release,
        manifestDigest: opts.manifest.digest,
        previousDigest: opts.manifest.previousDigest,
        files: opts.files.length,
        signature: { meaning: opts.signer.meaning, method: SIGNATURE_METHOD },
      },
      private: { signerName: opts.signer.name, signerEmail: opts.signer.email },
      orgId: opts.orgId,
    });
    await indexDataset(tx, opts.datasetId);
    return { manifestDigest: opts.manifest.digest };
  });
}

/**
 * Starts the next release's draft from the latest published one: its metadata (with empty release
 * notes), dictionary and conditions are copied; files are not (a new release has new files, and
 * carrying one over is one upload away, deduplicated by digest).
 * @throws AppError CONFLICT when a draft already exists (P2002 on the next number)
 */
export async function startNextRelease(opts: { datasetId: string; userId: string }, db: Tx = prisma()) {
  const latest = await db.datasetRelease.findFirst({ where: { datasetId: opts.datasetId }, orderBy: { number: "desc" } });
  if (!latest) throw new Error(`dataset ${opts.datasetId} has no release`);
  if (latest.status === "DRAFT") throw new AppError("CONFLICT", `Release ${latest.number} is still a draft: finish and publish it first.`);
  const metadata = { ...(latest.metadata as Record<string, unknown>), releaseNotes: "" };
  return db.datasetRelease.create({
    data: {
      datasetId: opts.datasetId,
      number: latest.number + 1,
      metadata,
      dictionary: latest.dictionary as Prisma.InputJsonValue,
      conditions: latest.conditions as Prisma.InputJsonValue,
      createdById: opts.userId,
    },
    select: { number: true },
  });
}
