import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalize } from "@/lib/canonical-json";
import { dataDictionary } from "@/lib/datasets/dictionary";
import { ManifestError, isCanonicalManifest, manifestDigest, parseManifest, releaseManifest } from "@/lib/datasets/manifest";
import { releaseMetadata } from "@/lib/datasets/schema";
import { dataUseConditions } from "@/lib/duo/conditions";
import { exampleManifestInput } from "@/scripts/test/dataset-example";

const d = (c: string) => `0x${c.repeat(64)}`;
const input = exampleManifestInput({
  datasetNumber: "TLR-2026-00001.D1",
  registrationNumber: "TLR-2026-00001",
  files: [
    { name: "visits.csv", digest: d("b"), size: 1234n, format: "csv" },
    { name: "README.pdf", digest: d("a"), size: 99, format: "other" },
  ],
});

function problems(text: string): string[] {
  try {
    parseManifest(text);
    return [];
  } catch (error) {
    if (error instanceof ManifestError) return error.problems;
    throw error;
  }
}

describe("releaseManifest", () => {
  it("the example passes the schemas the publishing code validates with", () => {
    expect(releaseMetadata.safeParse(input.metadata).success).toBe(true);
    expect(dataDictionary.safeParse(input.dictionary).success).toBe(true);
    expect(dataUseConditions.safeParse(input.conditions).success).toBe(true);
  });

  it("is canonical JSON of the documented shape, files sorted by name, and its digest is SHA-256 of the text", () => {
    const { json, digest, manifest } = releaseManifest(input);
    expect(json).toBe(canonicalize(JSON.parse(json)));
    expect(digest).toBe(`0x${createHash("sha256").update(json, "utf8").digest("hex")}`);
    expect(manifestDigest(json)).toBe(digest);
    expect(Object.keys(JSON.parse(json) as object)).toEqual(["conditions", "dataset", "dictionary", "files", "kind", "metadata", "previousDigest", "release", "trial", "version"]);
    expect(manifest).toMatchObject({ version: 1, kind: "trialledger.dataset-release", dataset: { number: "TLR-2026-00001.D1" }, trial: { registrationNumber: "TLR-2026-00001" }, release: 1, previousDigest: null });
    // "R" (0x52) sorts before "v" (0x76): code units, not a locale.
    expect(manifest.files).toEqual([
      { name: "README.pdf", digest: d("a"), size: 99, format: "other" },
      { name: "visits.csv", digest: d("b"), size: 1234, format: "csv" },
    ]);
  });

  it("does not depend on the order files were uploaded in; any change in content changes the digest", () => {
    const { digest } = releaseManifest(input);
    expect(releaseManifest({ ...input, files: [...input.files].reverse() }).digest).toBe(digest);
    const files = input.files.map((f) => (f.name === "visits.csv" ? { ...f, size: 1235 } : f));
    expect(releaseManifest({ ...input, files }).digest).not.toBe(digest);
    expect(releaseManifest({ ...input, metadata: { ...input.metadata, keywords: ["hypertension"] } }).digest).not.toBe(digest);
  });

  it("chains release 2 to release 1, and refuses what would not parse back", () => {
    const first = releaseManifest(input);
    const second = releaseManifest({ ...input, release: 2, previousDigest: first.digest });
    expect(second.manifest.previousDigest).toBe(first.digest);
    expect(() => releaseManifest({ ...input, release: 2 })).toThrow(/previousDigest: Release 1, and only release 1, has no previous release/);
    expect(() => releaseManifest({ ...input, files: [...input.files, { ...input.files[0]!, digest: d("c") }] })).toThrow(/listed once each, sorted by name/);
    expect(() => releaseManifest({ ...input, files: [{ name: "big.bin", digest: d("c"), size: 2n ** 60n, format: "other" }] })).toThrow(/larger than 2\^53/);
    expect(() => releaseManifest({ ...input, files: [{ name: "x.csv", digest: d("C"), size: 1, format: "csv" }] })).toThrow(ManifestError);
  });
});

describe("parseManifest", () => {
  const { json } = releaseManifest(input);

  it("reads a canonical manifest and a reformatted one, and tells them apart", () => {
    const pretty = JSON.stringify(JSON.parse(json), null, 2);
    expect(parseManifest(pretty)).toEqual(parseManifest(json));
    expect(isCanonicalManifest(json)).toBe(true);
    expect(isCanonicalManifest(pretty)).toBe(false);
    expect(isCanonicalManifest("{")).toBe(false);
  });

  it("names the field and the problem", () => {
    const manifest = JSON.parse(json) as Record<string, unknown>;
    expect(problems("not json")[0]).toMatch(/^Not JSON:/);
    expect(problems(JSON.stringify({ ...manifest, version: 2 }))).toEqual(["version: Expected 1 (the only manifest version this verifier knows)."]);
    expect(problems(JSON.stringify({ ...manifest, kind: "x" }))).toEqual(['kind: Expected "trialledger.dataset-release".']);
    expect(problems(JSON.stringify({ ...manifest, dataset: { number: "TLR-2026-00001", title: "t" } }))).toEqual(["dataset.number: Expected a dataset number, like TLR-2026-00001.D1."]);
    expect(problems(JSON.stringify({ ...manifest, extra: 1 }))[0]).toMatch(/extra/);
    const files = manifest.files as Array<Record<string, unknown>>;
    expect(problems(JSON.stringify({ ...manifest, files: [{ ...files[0], size: -1 }, files[1]] }))[0]).toMatch(/^files\.0\.size:/);
  });
});
