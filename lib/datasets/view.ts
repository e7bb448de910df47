import type { DatasetView, ReleaseView } from "@/lib/datasets/data";
import { type DataDictionary, dataDictionary } from "@/lib/datasets/dictionary";
import { type ReleaseMetadata, releaseMetadata } from "@/lib/datasets/schema";
import { type DataUseConditions, dataUseConditions } from "@/lib/duo/conditions";

/**
 * The public shape of a dataset and its published releases, shared by the dataset page and the
 * REST API. It carries each file's name, format, size, row count and digest — never a validation
 * report, whose examples quote values from the rows.
 */

export type PublicFile = { name: string; format: string; mediaType: string; size: number; rows: number | null; digest: string; anchored: boolean };
export type PublicRelease = {
  number: number;
  publishedAt: string;
  manifestDigest: string;
  previousDigest: string | null;
  metadata: ReleaseMetadata;
  dictionary: DataDictionary;
  conditions: DataUseConditions;
  files: PublicFile[];
};
export type PublicDataset = {
  number: string;
  title: string;
  trial: string;
  sponsor: string;
  createdAt: string;
  releases: PublicRelease[];
};

function publicRelease(r: ReleaseView): PublicRelease | null {
  // A published release was validated whole when it was published; one that no longer parses
  // (a schema change without a migration) is left out rather than shown half.
  const metadata = releaseMetadata.safeParse(r.metadata);
  const dictionary = dataDictionary.safeParse(r.dictionary);
  const conditions = dataUseConditions.safeParse(r.conditions);
  if (r.status !== "PUBLISHED" || !r.publishedAt || !r.manifestDigest || !metadata.success || !dictionary.success || !conditions.success) return null;
  return {
    number: r.number,
    publishedAt: r.publishedAt.toISOString(),
    manifestDigest: r.manifestDigest,
    previousDigest: r.previousDigest,
    metadata: metadata.data,
    dictionary: dictionary.data,
    conditions: conditions.data,
    files: r.files.map((f) => ({ name: f.name, format: f.format, mediaType: f.mediaType, size: Number(f.size), rows: f.rows, digest: f.digest, anchored: f.anchorItemId !== null })),
  };
}

/** The dataset as the public sees it, or null when it has no published release. */
export function publicDataset(d: DatasetView): PublicDataset | null {
  const releases = d.releases.map(publicRelease).filter((r): r is PublicRelease => r !== null);
  if (releases.length === 0) return null;
  return { number: d.number, title: d.title, trial: d.trial.registrationNumber, sponsor: d.org.name, createdAt: d.createdAt.toISOString(), releases };
}
