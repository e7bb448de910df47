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

/**
 * The receipt's subject in words, e.g. "release 1 of TLR-2026-00001.D1" (a dataset manifest),
 * "the file “visits.csv” of release 1 of TLR-2026-00001.D1", "version 2 of TLR-2026-00042's
 * registration record"; a kind this code does not know is named as it is. Null when the receipt
 * has no subject (version 1 allows that).
 */
export function describeSubject(subject: Receipt["subject"]): string | null {
  if (!subject) return null;
  const { kind, id, name } = subject;
  const release = name ? RELEASE_NAME.exec(name) : null;
  switch (kind) {
    case "dataset-manifest":
      if (release && !release[3]) return `release ${release[2]} of ${release[1]}`;
      return name ? `the dataset release “${name}”` : "a dataset release";
    case "dataset-file":
      if (release?.[3]) return `the file “${release[3]}” of release ${release[2]} of ${release[1]}`;
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
