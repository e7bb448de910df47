import { sha256 } from "@noble/hashes/sha256";
import { z } from "zod";
import { canonicalize } from "@/lib/canonical-json";
import type { DataDictionary } from "@/lib/datasets/dictionary";
import { FILE_FORMATS, type FileFormat, type ReleaseMetadata } from "@/lib/datasets/schema";
import type { DataUseConditions } from "@/lib/duo/conditions";
import { toHex } from "@/lib/merkle/hex";
import { DATASET_NUMBER, SHA256_DIGEST } from "@/lib/schema/values";

/**
 * A published release's manifest: everything the release says about itself, frozen at publication
 * as RFC 8785 canonical JSON (lib/canonical-json.ts) and anchored by its SHA-256 — the metadata,
 * the data dictionary, the DUO conditions, every file's digest and size, and the previous
 * release's manifest digest, so that the releases of a dataset form one hash chain. A verifier
 * holding the manifest and its receipt can check every file of the release against it
 * (`trialledger verify manifest.json receipt.json --files DIR`); docs/receipt-format.md
 * ("Dataset manifests") describes the format for verifiers who write their own.
 *
 * Pure and isomorphic (no Node built-ins): the browser verifier reads manifests too.
 */

export const MANIFEST_KIND = "trialledger.dataset-release";
export const MANIFEST_VERSION = 1;

export type ManifestFileInput = { name: string; digest: string; size: number | bigint; format: FileFormat };

export type ManifestInput = {
  dataset: { number: string; title: string };
  trial: { registrationNumber: string };
  release: number;
  metadata: ReleaseMetadata;
  dictionary: DataDictionary;
  conditions: DataUseConditions;
  files: ManifestFileInput[];
  /** The previous release's manifest digest; null for release 1. */
  previousDigest: string | null;
};

/** JSON values as JSON.parse gives them (metadata, dictionary and conditions are kept as written). */
const jsonObject = z.record(z.string(), z.json());

const manifestFile = z.strictObject({
  // 255: the longest file name common file systems allow.
  name: z.string().min(1).max(255),
  digest: z.string().regex(SHA256_DIGEST, 'Expected "0x" and 64 lowercase hex digits.'),
  // JSON integers are exact up to 2^53 − 1 bytes (8 PiB), beyond any file.
  size: z.number().int().nonnegative(),
  format: z.enum(FILE_FORMATS),
});

/**
 * The manifest as a verifier reads it. Metadata, dictionary and conditions are checked to be JSON
 * objects only, not against today's schemas: a manifest published years ago must still parse
 * when those schemas have grown, and its digest, not its contents, is what was anchored.
 */
export const releaseManifestSchema = z
  .strictObject({
    version: z.literal(MANIFEST_VERSION, `Expected ${MANIFEST_VERSION} (the only manifest version this verifier knows).`),
    kind: z.literal(MANIFEST_KIND, `Expected "${MANIFEST_KIND}".`),
    dataset: z.strictObject({ number: z.string().regex(DATASET_NUMBER, "Expected a dataset number, like TLR-2026-00001.D1."), title: z.string().min(1).max(500) }),
    trial: z.strictObject({ registrationNumber: z.string().min(1).max(32) }),
    release: z.number().int().positive(),
    metadata: jsonObject,
    dictionary: jsonObject,
    conditions: jsonObject,
    // 10,000: a release of many per-site files; a manifest stays well under a few MiB.
    files: z.array(manifestFile).max(10_000),
    previousDigest: z.string().regex(SHA256_DIGEST, 'Expected "0x" and 64 lowercase hex digits.').nullable(),
  })
  .superRefine((manifest, ctx) => {
    manifest.files.forEach((file, i) => {
      const before = manifest.files[i - 1];
      if (before && !(before.name < file.name)) {
        ctx.addIssue({ code: "custom", path: ["files", i, "name"], message: `Files are listed once each, sorted by name: “${file.name}” comes after “${before.name}”.` });
      }
    });
    if ((manifest.release === 1) !== (manifest.previousDigest === null)) {
      ctx.addIssue({ code: "custom", path: ["previousDigest"], message: "Release 1, and only release 1, has no previous release." });
    }
  });

export type ReleaseManifest = z.infer<typeof releaseManifestSchema>;

/** A text that is not a well-formed release manifest; `problems` reads "field: what is wrong". */
export class ManifestError extends Error {
  override name = "ManifestError";
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Not a valid TrialLedger dataset manifest:\n${problems.map((problem) => `- ${problem}`).join("\n")}`);
    this.problems = problems;
  }
}

/**
 * Freezes a release into its manifest: the canonical JSON text, its digest (0x SHA-256 of the
 * text's UTF-8 bytes — what is anchored and stored as DatasetRelease.manifestDigest) and the
 * manifest itself. Files are sorted by name (UTF-16 code units, as canonical JSON sorts keys), so
 * the digest does not depend on upload order.
 * @throws ManifestError when the result would not parse back (a duplicate file name, a size
 *   beyond 2^53 − 1, a digest in upper case, release 1 with a previous digest…)
 */
export function releaseManifest(input: ManifestInput): { json: string; digest: string; manifest: ReleaseManifest } {
  const files = input.files
    .map((file) => ({ name: file.name, digest: file.digest, size: Number(file.size), format: file.format }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const big = input.files.find((file) => typeof file.size === "bigint" && file.size > BigInt(Number.MAX_SAFE_INTEGER));
  if (big) throw new ManifestError([`files: “${big.name}” is larger than 2^53 − 1 bytes.`]);
  const json = canonicalize({
    version: MANIFEST_VERSION,
    kind: MANIFEST_KIND,
    dataset: { number: input.dataset.number, title: input.dataset.title },
    trial: { registrationNumber: input.trial.registrationNumber },
    release: input.release,
    metadata: input.metadata,
    dictionary: input.dictionary,
    conditions: input.conditions,
    files,
    previousDigest: input.previousDigest,
  });
  return { json, digest: manifestDigest(json), manifest: parseManifest(json) };
}

/** The digest of a manifest's text as anchored: 0x SHA-256 of its UTF-8 bytes. */
export function manifestDigest(json: string): string {
  return toHex(sha256(new TextEncoder().encode(json)));
}

/**
 * Reads a manifest's text. Does not require the canonical form (see `isCanonicalManifest`): a
 * reformatted manifest is still readable, it only no longer has the anchored digest.
 * @throws ManifestError listing every problem, including text that is not JSON
 */
export function parseManifest(text: string): ReleaseManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ManifestError([`Not JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
  const result = releaseManifestSchema.safeParse(json);
  if (result.success) return result.data;
  throw new ManifestError(
    result.error.issues.map((issue) => {
      const field = issue.path.map(String).join(".");
      return field ? `${field}: ${issue.message}` : issue.message;
    }),
  );
}

/** Whether `text` is exactly the canonical JSON of what it says (as every published manifest is). */
export function isCanonicalManifest(text: string): boolean {
  try {
    return canonicalize(JSON.parse(text)) === text;
  } catch {
    return false;
  }
}
