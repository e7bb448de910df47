import type { Receipt } from "@/lib/anchoring/receipt";
import type { ReleaseManifest } from "@/lib/datasets/manifest";

/**
 * What a receipt's item is, in words, for the verifier page and the CLI. Two sources, kept apart
 * because only one is proven:
 * - a dataset manifest's own content (`describeManifest`): covered by the digest, so once the
 *   manifest's digest is the receipt's, "this is release 1 of TLR-2026-00001.D1" is proven;
 * - the receipt's `subject` (`describeSubject`): a label the portal wrote, not covered by the
 *   proof (docs/receipt-format.md), so callers present it as what the receipt says.
 * Isomorphic: no Node built-ins.
 */

/** "release 1 of TLR-2026-00001.D1": what a manifest says it is. */
export function describeManifest(manifest: Pick<ReleaseManifest, "dataset" | "release">): string {
  return `release ${manifest.release} of ${manifest.dataset.number}`;
}

// The subject names the portal gives dataset items (lib/datasets/service.ts, at publication):
// "<dataset number> release <n>" and "<dataset number> release <n> — <file name>".
const RELEASE_NAME = /^(TLR-\d{4}-\d{5,}\.D\d+) release ([1-9]\d*)(?: — (.+))?$/su;

/** A dataset item's subject name taken apart: its dataset, release and (for a file) file name; null for another shape. */
export function parseReleaseName(name: string | undefined): { dataset: string; release: number; file?: string } | null {
  const match = name ? RELEASE_NAME.exec(name) : null;
  if (!match?.[1] || !match[2]) return null;
  return { dataset: match[1], release: Number(match[2]), ...(match[3] ? { file: match[3] } : {}) };
}

/**
 * The receipt's subject in words, e.g. "release 1 of TLR-2026-00001.D1" (a dataset manifest),
 * "the file “visits.csv” of release 1 of TLR-2026-00001.D1", "version 2 of TLR-2026-00042's
 * registration record"; a kind this code does not know is named as it is. Null when the receipt
 * has no subject (version 1 allows that).
 */
export function describeSubject(subject: Receipt["subject"]): string | null {
  if (!subject) return null;
  const { kind, id, name } = subject;
  const release = parseReleaseName(name);
  switch (kind) {
    case "dataset-manifest":
      if (release && !release.file) return `release ${release.release} of ${release.dataset}`;
      return name ? `the dataset release “${name}”` : "a dataset release";
    case "dataset-file":
      if (release?.file) return `the file “${release.file}” of release ${release.release} of ${release.dataset}`;
      return name ? `the dataset file “${name}”` : "a dataset file";
    case "trial-record":
      return id ? `${name ?? "a version"} of ${id}'s registration record` : `a registration record${name ? ` (${name})` : ""}`;
    case "file":
    case "analysis-plan": {
      const what = kind === "file" ? "the file" : "the analysis plan";
      return `${name ? `${what} “${name}”` : what}${id ? ` of ${id}` : ""}`;
    }
    case "audit-tree-head":
      return "a tree head of the audit log";
    default:
      return `an item of kind ${kind}${name ? `, “${name}”` : ""}${id ? ` (${id})` : ""}`;
  }
}

/**
 * The verifier page's one-line verdict once the proof and the chain check pass. Trial records and
 * files keep their wording ("This file existed no later than …"); dataset items say what they are,
 * from the manifest's own content when the file checked was the manifest, else from the receipt's
 * label, said to be one.
 * @param when the anchoring block's time, as the page prints it
 * @param manifest the file checked, read as a manifest (its digest is the receipt's)
 */
export function verifiedSummary(opts: { receipt: Pick<Receipt, "subject">; when: string; hadFile: boolean; manifest?: Pick<ReleaseManifest, "dataset" | "release"> | undefined }): string {
  const { receipt, when, hadFile, manifest } = opts;
  if (manifest) return `This manifest is ${describeManifest(manifest)} (“${manifest.dataset.title}”), anchored on ${when}.`;
  const release = parseReleaseName(receipt.subject?.name);
  if (receipt.subject?.kind === "dataset-file" && release?.file) {
    const what = `“${release.file}” of release ${release.release} of ${release.dataset}`;
    return hadFile ? `This file is ${what} (as its receipt labels it), anchored on ${when}.` : `This receipt is for ${what} (its label), anchored on ${when}.`;
  }
  if (receipt.subject?.kind === "dataset-manifest" && release && !release.file) {
    return `This receipt is for the manifest of release ${release.release} of ${release.dataset} (its label), anchored on ${when}.`;
  }
  return hadFile ? `This file existed no later than ${when}.` : `This receipt's item existed no later than ${when}.`;
}
