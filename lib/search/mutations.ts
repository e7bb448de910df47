import "server-only";
import { type Tx, prisma } from "@/lib/db";
import { releaseMetadata } from "@/lib/datasets/schema";
import { dataUseConditions } from "@/lib/duo/conditions";
import { ancestorIds, termLabels } from "@/lib/duo/data";
import { trialRecordInput } from "@/lib/registry/schema";
import { trialsWithoutDocument } from "@/lib/search/data";
import type { DatasetSummary, TrialSummary } from "@/lib/search/schema";

/**
 * Writes of the search rows (SearchDocument): one per trial and one per dataset with a published
 * release, always inside the caller's transaction, so a record and what search finds of it commit
 * or roll back together. `tsv` is computed in the writing statement (the client cannot write a
 * tsvector): the title weighted A and the rest B, English stemming ("diabetic" and "diabetes" share
 * the lexeme "diabet").
 */

type Row = {
  id: string;
  kind: "trial" | "dataset";
  ref: string;
  title: string;
  text: string;
  sponsor: string;
  phase: string | null;
  status: string | null;
  countries: string[];
  conditionIds: string[];
  permission: string | null;
  fileTypes: string[];
  registeredAt: Date;
  updatedAt: Date;
  summary: TrialSummary | DatasetSummary;
};

/** The statement both kinds write with: an upsert on the row's id. */
function upsert(tx: Tx, row: Row) {
  return tx.$executeRaw`
    INSERT INTO "SearchDocument" ("id", "kind", "ref", "title", "text", "sponsor", "phase", "status", "countries",
      "conditionIds", "permission", "fileTypes", "registeredAt", "updatedAt", "summary", "tsv")
    VALUES (${row.id}, ${row.kind}, ${row.ref}, ${row.title}, ${row.text}, ${row.sponsor}, ${row.phase}, ${row.status},
      ${row.countries}::text[], ${row.conditionIds}::text[], ${row.permission}, ${row.fileTypes}::text[],
      ${row.registeredAt}::timestamp(3), ${row.updatedAt}::timestamp(3), ${JSON.stringify(row.summary)}::jsonb,
      setweight(to_tsvector('english', ${row.title}), 'A') || setweight(to_tsvector('english', ${row.text}), 'B'))
    ON CONFLICT ("id") DO UPDATE SET
      "ref" = EXCLUDED."ref", "title" = EXCLUDED."title", "text" = EXCLUDED."text", "sponsor" = EXCLUDED."sponsor",
      "phase" = EXCLUDED."phase", "status" = EXCLUDED."status", "countries" = EXCLUDED."countries",
      "conditionIds" = EXCLUDED."conditionIds", "permission" = EXCLUDED."permission", "fileTypes" = EXCLUDED."fileTypes",
      "registeredAt" = EXCLUDED."registeredAt", "updatedAt" = EXCLUDED."updatedAt", "summary" = EXCLUDED."summary",
      "tsv" = EXCLUDED."tsv"`;
}

const words = (...parts: Array<string | undefined | null>) => parts.filter((p): p is string => Boolean(p)).join("\n");

export const trialDocumentId = (trialId: string) => `trial:${trialId}`;
export const datasetDocumentId = (datasetId: string) => `dataset:${datasetId}`;

/**
 * Writes the search row of a trial from its current (highest) version, in `tx`. Call it in the
 * transaction of every write of a trial's record (registration, amendment).
 * @throws when the trial does not exist or has no version (a bug in the caller: it just wrote one)
 */
export async function indexTrial(tx: Tx, trialId: string): Promise<void> {
  const trial = await tx.trial.findUniqueOrThrow({
    where: { id: trialId },
    select: {
      registrationNumber: true,
      createdAt: true,
      versions: { orderBy: { version: "desc" }, take: 1, select: { version: true, record: true, createdAt: true } },
    },
  });
  const current = trial.versions[0];
  if (!current) throw new Error(`trial ${trialId} has no version to index`);
  const record = trialRecordInput.parse(current.record);
  const summary: TrialSummary = {
    registrationNumber: trial.registrationNumber,
    publicTitle: record.publicTitle,
    primarySponsor: record.primarySponsor,
    conditions: record.conditions,
    phase: record.studyType.phase,
    recruitmentStatus: record.recruitmentStatus,
    countries: record.countries,
    currentVersion: current.version,
    registeredAt: trial.createdAt.toISOString(),
  };
  await upsert(tx, {
    id: trialDocumentId(trialId),
    kind: "trial",
    ref: trial.registrationNumber,
    title: record.publicTitle,
    // Conditions are free text in a trial's record (WHO item 12): their names and codes are searched
    // as words; only datasets carry Mondo ids (conditionIds).
    text: words(
      trial.registrationNumber,
      record.publicTitle,
      record.scientificTitle,
      record.acronym,
      record.primarySponsor,
      ...record.secondarySponsors,
      ...record.fundingSources,
      ...record.secondaryIds.map((s) => s.id),
      ...record.conditions.flatMap((c) => [c.name, c.code]),
      ...record.interventions.map((i) => i.name),
    ),
    sponsor: record.primarySponsor,
    phase: record.studyType.phase,
    status: record.recruitmentStatus,
    countries: record.countries,
    conditionIds: [],
    permission: null,
    fileTypes: [],
    registeredAt: trial.createdAt,
    updatedAt: current.createdAt,
    summary,
  });
}

/**
 * Writes the search row of a dataset from its latest published release, in `tx` (call it in the
 * transaction that publishes a release). A dataset with no published release is not in the
 * catalogue: its row, if any, is deleted. `conditionIds` holds the release's Mondo ids and all their
 * ancestors, so a search by a parent disease finds it.
 * @throws when the dataset does not exist
 */
export async function indexDataset(tx: Tx, datasetId: string): Promise<void> {
  const dataset = await tx.dataset.findUniqueOrThrow({
    where: { id: datasetId },
    select: {
      number: true,
      title: true,
      createdAt: true,
      org: { select: { name: true } },
      trial: {
        select: {
          registrationNumber: true,
          versions: { orderBy: { version: "desc" }, take: 1, select: { record: true } },
        },
      },
      releases: {
        where: { status: "PUBLISHED" },
        orderBy: { number: "desc" },
        take: 1,
        select: { number: true, metadata: true, conditions: true, publishedAt: true, files: { select: { format: true } } },
      },
    },
  });
  const release = dataset.releases[0];
  if (!release) {
    await tx.searchDocument.deleteMany({ where: { id: datasetDocumentId(datasetId) } });
    return;
  }
  const metadata = releaseMetadata.parse(release.metadata);
  const conditions = dataUseConditions.parse(release.conditions);
  const trialVersion = dataset.trial.versions[0];
  const trialRecord = trialVersion ? trialRecordInput.parse(trialVersion.record) : null;
  const labels = await termLabels(metadata.conditions, tx);
  const fileTypes = [...new Set(release.files.map((f) => f.format))].sort();
  const publishedAt = release.publishedAt ?? dataset.createdAt;
  const summary: DatasetSummary = {
    number: dataset.number,
    title: dataset.title,
    // 300 characters: two lines of a result card; the dataset's page shows the whole description.
    description: metadata.description.length > 300 ? `${metadata.description.slice(0, 299)}…` : metadata.description,
    sponsor: dataset.org.name,
    trial: { registrationNumber: dataset.trial.registrationNumber, publicTitle: trialRecord?.publicTitle ?? dataset.trial.registrationNumber },
    conditions: metadata.conditions.map((id) => ({ id, label: labels.get(id) ?? id })),
    permission: conditions.permission.code,
    fileTypes,
    release: release.number,
    publishedAt: publishedAt.toISOString(),
  };
  await upsert(tx, {
    id: datasetDocumentId(datasetId),
    kind: "dataset",
    ref: dataset.number,
    title: dataset.title,
    text: words(
      dataset.number,
      dataset.title,
      metadata.description,
      ...metadata.keywords,
      ...metadata.conditions.map((id) => labels.get(id)),
      dataset.org.name,
      dataset.trial.registrationNumber,
      trialRecord?.publicTitle,
    ),
    sponsor: dataset.org.name,
    phase: trialRecord?.studyType.phase ?? null,
    status: null,
    countries: trialRecord?.countries ?? [],
    conditionIds: await ancestorIds(metadata.conditions, tx),
    permission: conditions.permission.code,
    fileTypes,
    registeredAt: dataset.createdAt,
    updatedAt: publishedAt,
    summary,
  });
}

/**
 * Writes the search row of every trial that has none (trials registered before lib/search), in
 * batches of 200, each trial in its own transaction. Called at boot: when nothing is missing it
 * costs one anti-join on the primary keys.
 * @returns how many trials were indexed
 */
export async function indexMissingTrials(): Promise<number> {
  let indexed = 0;
  for (;;) {
    const ids = await trialsWithoutDocument(200);
    if (ids.length === 0) return indexed;
    for (const id of ids) await prisma().$transaction((tx) => indexTrial(tx, id));
    indexed += ids.length;
  }
}
