import "server-only";
import path from "node:path";
import type { SessionUser } from "@/lib/auth/roles";
import { listProvenPseudonyms, provenPseudonyms } from "@/lib/consent/data";
import { type FileView, type ReleaseView, getDataset } from "@/lib/datasets/data";
import { dataDictionary } from "@/lib/datasets/dictionary";
import { releaseManifest } from "@/lib/datasets/manifest";
import {
  addDraftFile,
  createDataset as insertDataset,
  publishRelease as freezeRelease,
  recordValidation,
  removeDraftFile,
  saveDraftSection,
  startNextRelease,
} from "@/lib/datasets/mutations";
import { type FileFormat, releaseMetadata } from "@/lib/datasets/schema";
import { validateTabular } from "@/lib/datasets/validate";
import { dataUseConditions } from "@/lib/duo/conditions";
import { blobStore } from "@/lib/blobs/store";
import { AppError } from "@/lib/errors";
import { getOrgName } from "@/lib/orgs/data";
import { assertOrgMember } from "@/lib/orgs/service";
import { getTrialByNumber } from "@/lib/registry/data";
import { checkSignature } from "@/lib/registry/service";
import { type SignatureInput, signatureMeaning } from "@/lib/registry/signature";
import { requireOwnUploads } from "@/lib/storage/uploads";

/**
 * Datasets and their releases, for the sponsor: create a dataset for one of the organisation's
 * trials, fill its draft release section by section (kept on the server), add uploaded files and
 * validate them against the dictionary, and publish — a signed act that freezes the release.
 */

/**
 * The dataset with all its releases (drafts included), for a member of its organisation.
 * Another organisation's member is refused exactly like a dataset that does not exist, so that
 * drafts of unpublished datasets reveal nothing to outsiders.
 * @throws AppError NOT_FOUND
 */
export async function requireOrgDataset(user: SessionUser, datasetNumber: string) {
  const dataset = await getDataset(datasetNumber, { publishedOnly: false });
  if (!dataset) throw new AppError("NOT_FOUND", "No dataset has that number.");
  try {
    await assertOrgMember(dataset.orgId, user.id);
  } catch {
    throw new AppError("NOT_FOUND", "No dataset has that number.");
  }
  return dataset;
}

function draftOf(dataset: { releases: ReleaseView[] }): ReleaseView {
  const draft = dataset.releases.find((r) => r.status === "DRAFT");
  if (!draft) throw new AppError("CONFLICT", "This dataset has no draft release: start a new release first.");
  return draft;
}

/**
 * Creates a dataset for a trial of the user's organisation.
 * @throws AppError NOT_FOUND (no such trial), FORBIDDEN (not a member of the trial's organisation)
 */
export async function createDataset(opts: { user: SessionUser; registrationNumber: string; title: string }) {
  const trial = await getTrialByNumber(opts.registrationNumber);
  if (!trial) throw new AppError("NOT_FOUND", "No trial has that registration number.", { fieldErrors: { registrationNumber: ["No trial has that number."] } });
  await assertOrgMember(trial.orgId, opts.user.id);
  return insertDataset({ trialId: trial.id, registrationNumber: trial.registrationNumber, orgId: trial.orgId, title: opts.title, userId: opts.user.id });
}

const SECTIONS = {
  metadata: releaseMetadata,
  dictionary: dataDictionary,
  conditions: dataUseConditions,
} as const;
export type DraftSection = keyof typeof SECTIONS;

/**
 * Saves one section of the draft after validating it whole against its schema; the field errors
 * come back keyed by the section's own paths ("columns.2.codes").
 * @throws AppError NOT_FOUND, CONFLICT (no draft, or published meanwhile); zod errors → VALIDATION
 */
export async function saveDraft(opts: { user: SessionUser; datasetNumber: string; section: DraftSection; value: unknown }) {
  const dataset = await requireOrgDataset(opts.user, opts.datasetNumber);
  const draft = draftOf(dataset);
  const value: object = SECTIONS[opts.section].parse(opts.value);
  await saveDraftSection({ releaseId: draft.id, section: opts.section, value });
  return { release: draft.number };
}

/** The format a file's name says it has; anything but CSV, TSV and NDJSON is kept unvalidated. */
export function formatOf(name: string): { format: FileFormat; mediaType: string } {
  const ext = path.extname(name).toLowerCase();
  if (ext === ".csv") return { format: "csv", mediaType: "text/csv" };
  if (ext === ".tsv" || ext === ".tab") return { format: "tsv", mediaType: "text/tab-separated-values" };
  if (ext === ".ndjson" || ext === ".jsonl") return { format: "ndjson", mediaType: "application/x-ndjson" };
  if (ext === ".pdf") return { format: "other", mediaType: "application/pdf" };
  return { format: "other", mediaType: "application/octet-stream" };
}

/**
 * Adds one of the organisation's uploads to the draft under `name`, then validates it at once when
 * it is tabular and the draft has a dictionary.
 * @returns the file's id and its validation report (null when not validated)
 */
export async function addFile(opts: { user: SessionUser; datasetNumber: string; name: string; digest: string }) {
  const dataset = await requireOrgDataset(opts.user, opts.datasetNumber);
  const draft = draftOf(dataset);
  const uploads = await requireOwnUploads(dataset.orgId, [{ name: opts.name, digest: opts.digest }]);
  const size = uploads.get(opts.digest)?.size ?? 0;
  const fileId = await addDraftFile({ releaseId: draft.id, orgId: dataset.orgId, file: { name: opts.name, digest: opts.digest, size: BigInt(size), ...formatOf(opts.name) } });
  const validated = await validateIfPossible(dataset.trialId, draft, { id: fileId, digest: opts.digest, format: formatOf(opts.name).format });
  return { fileId, validated };
}

export async function removeFile(opts: { user: SessionUser; datasetNumber: string; fileId: string }) {
  const dataset = await requireOrgDataset(opts.user, opts.datasetNumber);
  await removeDraftFile({ releaseId: draftOf(dataset).id, fileId: opts.fileId });
}

async function validateIfPossible(trialId: string, draft: ReleaseView, file: Pick<FileView, "id" | "digest" | "format">) {
  if (file.format === "other") return false;
  const dictionary = dataDictionary.safeParse(draft.dictionary);
  if (!dictionary.success) return false;
  const report = await validateTabular(await blobStore().open(file.digest), {
    format: file.format as Exclude<FileFormat, "other">,
    dictionary: dictionary.data,
    knownPseudonyms: (values) => provenPseudonyms(trialId, values),
  });
  await recordValidation({ fileId: file.id, report, rows: report.rows, hasErrors: report.hasErrors });
  return true;
}

/**
 * Validates (again) every tabular file of the draft against its current dictionary, streaming each
 * from the store. Run after the dictionary changed (which clears the reports) or a file was fixed.
 * @throws AppError VALIDATION when the draft has no valid dictionary yet
 */
export async function validateDraft(opts: { user: SessionUser; datasetNumber: string }) {
  const dataset = await requireOrgDataset(opts.user, opts.datasetNumber);
  const draft = draftOf(dataset);
  if (!dataDictionary.safeParse(draft.dictionary).success) {
    throw new AppError("VALIDATION", "Save the data dictionary first: files are validated against it.", { fieldErrors: { dictionary: ["Save the data dictionary first."] } });
  }
  let validated = 0;
  for (const file of draft.files) if (await validateIfPossible(dataset.trialId, draft, file)) validated++;
  return { validated };
}

/** What still stops the draft from being published, in words, keyed by section (empty: ready). */
export function publicationProblems(draft: ReleaseView): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  const add = (key: string, message: string) => (problems[key] ??= []).push(message);
  const metadata = releaseMetadata.safeParse(draft.metadata);
  if (!metadata.success) add("metadata", "Describe the release: description, licence and conditions.");
  else if (draft.number > 1 && !metadata.data.releaseNotes) add("metadata", "Say what changed since the previous release (release notes).");
  if (!dataDictionary.safeParse(draft.dictionary).success) add("dictionary", "Save the data dictionary.");
  if (!dataUseConditions.safeParse(draft.conditions).success) add("conditions", "Choose the data-use conditions (DUO).");
  if (draft.files.length === 0) add("files", "Add at least one file.");
  for (const file of draft.files) {
    if (file.format === "other") continue;
    if (!file.validatedAt) add("files", `“${file.name}” has not been validated against the current dictionary.`);
    else if (file.hasErrors) add("files", `“${file.name}” has errors: fix the file and upload it again.`);
  }
  return problems;
}

/** The meaning a sponsor signs to publish the draft (the page shows it, the server checks it). */
export async function publicationMeaning(dataset: { number: string; title: string; orgId: string }, release: number) {
  return signatureMeaning({ kind: "publish-release", title: dataset.title, orgName: (await getOrgName(dataset.orgId)) ?? "", datasetNumber: dataset.number, release });
}

/**
 * Publishes the draft: a signed act (password and meaning), refused while anything in
 * `publicationProblems` remains. Freezes the manifest (chained to the previous release's digest),
 * queues it and every file for anchoring, logs and indexes it — one transaction.
 * @param basedOnUpdatedAt the draft's `updatedAt` as shown to the signer (an edit since refuses)
 * @throws AppError NOT_FOUND, CONFLICT, VALIDATION (problems; signature fields), RATE_LIMITED
 */
export async function publishRelease(opts: { user: SessionUser; datasetNumber: string; signature: SignatureInput; basedOnUpdatedAt?: Date }) {
  const dataset = await requireOrgDataset(opts.user, opts.datasetNumber);
  const draft = draftOf(dataset);
  const problems = publicationProblems(draft);
  if (Object.keys(problems).length > 0) {
    throw new AppError("VALIDATION", `Release ${draft.number} cannot be published yet: ${Object.values(problems).flat().join(" ")}`, { fieldErrors: problems });
  }
  const orgName = (await getOrgName(dataset.orgId)) ?? "";
  const signer = await checkSignature(opts.user, opts.signature, {
    kind: "publish-release",
    title: dataset.title,
    orgName,
    datasetNumber: dataset.number,
    release: draft.number,
  });
  const previous = dataset.releases.filter((r) => r.status === "PUBLISHED").at(-1);
  const previousDigest = previous?.manifestDigest ?? null;
  const manifest = releaseManifest({
    dataset: { number: dataset.number, title: dataset.title },
    trial: { registrationNumber: dataset.trial.registrationNumber },
    release: draft.number,
    // Parsed again (publicationProblems found none): the manifest freezes the validated values.
    metadata: releaseMetadata.parse(draft.metadata),
    dictionary: dataDictionary.parse(draft.dictionary),
    conditions: dataUseConditions.parse(draft.conditions),
    files: draft.files.map((f) => ({ name: f.name, digest: f.digest, size: f.size, format: f.format as FileFormat })),
    previousDigest,
  });
  return freezeRelease({
    releaseId: draft.id,
    datasetId: dataset.id,
    datasetNumber: dataset.number,
    orgId: dataset.orgId,
    release: draft.number,
    manifest: { json: manifest.json, digest: manifest.digest, previousDigest },
    files: draft.files.map((f) => ({ id: f.id, name: f.name, digest: f.digest })),
    expectedUpdatedAt: opts.basedOnUpdatedAt ?? draft.updatedAt,
    signer,
  });
}

/** Starts the next release's draft from the latest published one. */
export async function newRelease(opts: { user: SessionUser; datasetNumber: string }) {
  const dataset = await requireOrgDataset(opts.user, opts.datasetNumber);
  return startNextRelease({ datasetId: dataset.id, userId: opts.user.id });
}

/**
 * The pseudonyms the dataset's trial participants proved through the handover, as CSV (one
 * `pseudonym,verified_at` row each): what the sponsor keys the rows of the data files by.
 */
export async function provenPseudonymsCsv(opts: { user: SessionUser; datasetNumber: string }): Promise<{ name: string; csv: string; count: number }> {
  const dataset = await requireOrgDataset(opts.user, opts.datasetNumber);
  const rows = await listProvenPseudonyms(dataset.trialId);
  const csv = ["pseudonym,verified_at", ...rows.map((r) => `${r.pseudonym},${r.verifiedAt.toISOString()}`)].join("\n") + "\n";
  return { name: `${dataset.trial.registrationNumber}-pseudonyms.csv`, csv, count: rows.length };
}
