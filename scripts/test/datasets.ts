import type { FileFormat } from "@/lib/datasets/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { Readable } from "node:stream";
import { TEST_PASSWORD, registerSigned } from "@/scripts/test/signing";
import { createHash, randomBytes } from "node:crypto";
import { createOrganization } from "@/lib/orgs/service";
import { exampleManifestInput } from "@/scripts/test/dataset-example";
import { exampleTrialRecord } from "@/lib/registry/example";
import { getSessionUser } from "@/lib/auth/data";
import { query } from "@/scripts/test/database";
import { queueForAnchoring } from "@/lib/anchoring/service";
import { releaseManifest } from "@/lib/datasets/manifest";
import { signUp } from "@/lib/auth/service";
import { uniqueEmail } from "@/scripts/test/support";
import { uploadFile } from "@/lib/storage/uploads";
// Published dataset releases for tests of receipts and verification, written as the publishing
// code (lib/datasets/service.ts) writes them: the manifest frozen by releaseManifest, then the
// release's and each file's AnchorItem queued through lib/anchoring (kind "dataset-manifest" with
// subject id = the release's id, "dataset-file" with subject id = the file's id), with the subject
// names the portal gives them. Rows go in by SQL: the datasets domain's own writes live on main.

const id = (prefix: string) => `${prefix}${randomBytes(10).toString("hex")}`;

export type TestReleaseFile = { name: string; bytes: Uint8Array; format: FileFormat };

export type TestRelease = {
  datasetId: string;
  datasetNumber: string;
  releaseId: string;
  release: number;
  /** The manifest's canonical JSON and digest; null for a draft. */
  manifest: { json: string; digest: string } | null;
  manifestItemId: string | null;
  files: Array<{ id: string; name: string; digest: string; size: number; anchorItemId: string | null }>;
};

/**
 * Inserts a dataset (or, given `datasetId` and `datasetNumber`, a further release of one) for the
 * trial with its files, and — unless `status` is DRAFT — publishes it: manifest frozen, anchoring
 * items queued (not yet anchored: run the anchoring worker).
 */
export async function insertTestRelease(opts: {
  trial: { id: string; registrationNumber: string; orgId: string };
  userId: string;
  files: TestReleaseFile[];
  release?: number;
  dataset?: { id: string; number: string };
  previousDigest?: string | null;
  status?: "DRAFT" | "PUBLISHED";
}): Promise<TestRelease> {
  const release = opts.release ?? 1;
  // D1: each test makes its own trial, and passes `dataset` for a further release.
  const dataset = opts.dataset ?? { id: id("ds"), number: `${opts.trial.registrationNumber}.D1` };
  if (!opts.dataset) {
    await query(`INSERT INTO "Dataset" ("id", "number", "trialId", "orgId", "title", "createdById") VALUES ($1, $2, $3, $4, $5, $6)`, [
      dataset.id,
      dataset.number,
      opts.trial.id,
      opts.trial.orgId,
      "Visit measurements, pseudonymised",
      opts.userId,
    ]);
  }
  const files = opts.files.map((file) => ({
    id: id("df"),
    name: file.name,
    format: file.format,
    size: file.bytes.byteLength,
    digest: `0x${createHash("sha256").update(file.bytes).digest("hex")}`,
  }));
  const input = exampleManifestInput({ datasetNumber: dataset.number, registrationNumber: opts.trial.registrationNumber, release, files, previousDigest: opts.previousDigest ?? null });
  const published = opts.status !== "DRAFT";
  const manifest = published ? releaseManifest(input) : null;
  const releaseId = id("dr");
  const subject = `${dataset.number} release ${release}`;
  const items = published
    ? await queueForAnchoring([
        { digest: manifest?.digest ?? "", kind: "dataset-manifest", subjectId: releaseId, subjectName: subject },
        ...files.map((file) => ({ digest: file.digest, kind: "dataset-file" as const, subjectId: file.id, subjectName: `${subject} — ${file.name}` })),
      ])
    : [];
  await query(
    `INSERT INTO "DatasetRelease" ("id", "datasetId", "number", "status", "metadata", "dictionary", "conditions", "manifest", "manifestDigest", "previousDigest", "anchorItemId", "createdById", "updatedAt", "publishedById", "publishedAt")
     VALUES ($1, $2, $3, $4::"ReleaseStatus", $5::jsonb, $6::jsonb, $7::jsonb, $8, $9, $10, $11, $12, now(), $13, $14)`,
    [
      releaseId,
      dataset.id,
      release,
      published ? "PUBLISHED" : "DRAFT",
      JSON.stringify(input.metadata),
      JSON.stringify(input.dictionary),
      JSON.stringify(input.conditions),
      manifest?.json ?? null,
      manifest?.digest ?? null,
      input.previousDigest,
      items[0]?.id ?? null,
      opts.userId,
      published ? opts.userId : null,
      published ? new Date().toISOString() : null,
    ],
  );
  const withItems = files.map((file, i) => ({ ...file, anchorItemId: items[i + 1]?.id ?? null }));
  for (const file of withItems) {
    await query(
      `INSERT INTO "DatasetFile" ("id", "releaseId", "name", "digest", "size", "format", "mediaType", "anchorItemId") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [file.id, releaseId, file.name, file.digest, file.size, file.format, file.format === "csv" ? "text/csv" : "application/octet-stream", file.anchorItemId],
    );
  }
  return {
    datasetId: dataset.id,
    datasetNumber: dataset.number,
    releaseId,
    release,
    manifest: manifest ? { json: manifest.json, digest: manifest.digest } : null,
    manifestItemId: items[0]?.id ?? null,
    files: withItems.map(({ id, name, digest, size, anchorItemId }) => ({ id, name, digest, size, anchorItemId })),
  };
}

/** Test data for datasets: a sponsor with an organisation and a registered trial, and uploads. */

export type SponsorWithTrial = { user: SessionUser; org: { id: string; slug: string }; trial: { id: string; registrationNumber: string } };

export async function sponsorWithTrial(label: string): Promise<SponsorWithTrial> {
  const created = await signUp({ name: `${label} Sponsor`, email: uniqueEmail(label), password: TEST_PASSWORD, accountType: "SPONSOR" });
  const user = await getSessionUser(created.id);
  if (!user) throw new Error("user vanished");
  const org = await createOrganization({ name: `${label} Pharma ${Math.random().toString(36).slice(2, 8)}`, creator: user });
  const trial = await registerSigned({ orgId: org.id, user, input: structuredClone(exampleTrialRecord) });
  return { user, org: { id: org.id, slug: org.slug }, trial: { id: trial.id, registrationNumber: trial.registrationNumber } };
}

/** Uploads `text` for the organisation, as its member would through /api/uploads. */
export async function uploadText(owner: { user: SessionUser; org: { id: string } }, text: string) {
  return uploadFile({ orgId: owner.org.id, user: owner.user, body: Readable.from([Buffer.from(text, "utf8")]) });
}
