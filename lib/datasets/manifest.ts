import { createHash } from "node:crypto";
import { canonicalize } from "@/lib/canonical-json";

/**
 * A published release's manifest: RFC 8785 canonical JSON of everything the release says
 * (metadata, dictionary, conditions, every file's digest and size) chained to the previous
 * release's manifest digest. Its SHA-256 is anchored, so a release can never be changed unseen.
 */
export type ManifestFile = { name: string; digest: string; size: number; format: string };

export type ManifestInput = {
  dataset: { number: string; title: string };
  trial: { registrationNumber: string };
  release: number;
  metadata: unknown;
  dictionary: unknown;
  conditions: unknown;
  files: ManifestFile[];
  previousDigest: string | null;
};

export function releaseManifest(input: ManifestInput): { json: string; digest: string } {
  const files = [...input.files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const json = canonicalize({ version: 1, kind: "trialledger.dataset-release", ...input, files });
  return { json, digest: `0x${createHash("sha256").update(json, "utf8").digest("hex")}` };
}
