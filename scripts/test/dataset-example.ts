import type { ManifestInput } from "@/lib/datasets/manifest";

/**
 * A release as the publishing code hands it to `releaseManifest`: metadata, dictionary and DUO
 * conditions that pass their schemas, and the files given (for tests of manifests and receipts).
 */
export function exampleManifestInput(opts: {
  datasetNumber: string;
  registrationNumber: string;
  release?: number;
  files: ManifestInput["files"];
  previousDigest?: string | null;
}): ManifestInput {
  return {
    dataset: { number: opts.datasetNumber, title: "Visit measurements, pseudonymised" },
    trial: { registrationNumber: opts.registrationNumber },
    release: opts.release ?? 1,
    metadata: {
      description: "Blood pressure and HbA1c at each visit, one row per participant and visit.",
      keywords: ["hypertension", "HbA1c"],
      licence: "CC-BY-4.0",
      conditions: ["MONDO:0005044"],
      releaseNotes: "",
    },
    dictionary: {
      columns: [
        { name: "participant", label: "Participant pseudonym", type: "text", required: true, pseudonym: true },
        { name: "visit", label: "Visit", type: "integer", required: true },
        { name: "sbp", label: "Systolic blood pressure", type: "integer", unit: "mmHg", required: false },
      ],
    },
    conditions: { duoRelease: "2021-02-23", permission: { code: "DS", diseases: ["MONDO:0005044"] }, modifiers: { NPU: true, TS: { months: 24 } } },
    files: opts.files,
    previousDigest: opts.previousDigest ?? null,
  };
}
