// Server side (signing) and the CLI (`trialledger verify-export`): node:crypto and jose.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { CompactSign, compactVerify, createLocalJWKSet, type JSONWebKeySet } from "jose";
import { z } from "zod";
import { canonicalize, recordDigest } from "@/lib/canonical-json";
import type { VisaKey } from "@/lib/access/visa-key";

/**
 * The manifest of an export (issue 12, point 3): what was exported, from what, under which consent
 * state and rule, with each output file's digest — RFC 8785 canonical JSON, so anyone recomputes its
 * digest (0x SHA-256, the one the log entry and the anchor carry) without TrialLedger's code.
 *
 * Counts only: how many rows each file kept and left out, never which.
 *
 * Signed as a compact JWS (ES256) whose payload is the canonical manifest, with the portal's JOSE key
 * (the one that signs visas, published at /.well-known/jwks.json): a researcher, a journal or an
 * auditor checks it with standard JOSE tooling. The delivered file `manifest.json` is
 * `{ "manifest": {…}, "signature": "<JWS>" }` (docs/exports.md).
 */

const hex64 = z.string().regex(/^0x[0-9a-f]{64}$/, "must be 0x and 64 lowercase hex digits");
const count = z.number().int().min(0);

export const EXPORT_MANIFEST_TYPE = "trialledger.export-manifest/v1";
export const MANIFEST_JWS_TYP = "trialledger-export-manifest+jws";

export const exportManifestFile = z
  .object({
    /** The file's name in the export (the ciphertext is `<name>.c4gh`). */
    name: z.string().min(1).max(255).refine((n) => n === path.basename(n) && n !== "." && n !== "..", "must be a plain file name"),
    kind: z.enum(["data", "document", "fhir", "inclusion"]),
    /** The release file it was made from (data and documents). */
    source: z.string().min(1).max(255).optional(),
    rowsKept: count.optional(),
    rowsExcluded: count.optional(),
    bytes: count,
    sha256: hex64,
    encrypted: z.object({ format: z.literal("crypt4gh-v1"), bytes: count, sha256: hex64 }).strict().optional(),
  })
  .strict();
export type ExportManifestFile = z.infer<typeof exportManifestFile>;

export const exportManifest = z
  .object({
    type: z.literal(EXPORT_MANIFEST_TYPE),
    export: z.object({ id: z.string().min(1), number: z.string().min(1), createdAt: z.iso.datetime() }).strict(),
    /** The approved access request the export is made under, and how its pseudonyms were keyed. */
    grant: z.object({ request: z.string().min(1), pseudonyms: z.string().min(1) }).strict(),
    release: z.object({ dataset: z.string().min(1), number: z.number().int().min(1), manifestDigest: hex64 }).strict(),
    /** The consent state used: the portal's mirror of ConsentRegistry as of this block. */
    consent: z.object({ chainId: z.number().int().min(1), registry: z.string().regex(/^0x[0-9a-fA-F]{40}$/), blockNumber: z.number().int().min(0) }).strict(),
    filter: z.object({ rule: z.string().min(1), keeps: z.string().min(1) }).strict(),
    files: z.array(exportManifestFile).min(1),
  })
  .strict();
export type ExportManifest = z.infer<typeof exportManifest>;

export const signedExportManifest = z.object({ manifest: exportManifest, signature: z.string().min(1) }).strict();
export type SignedExportManifest = z.infer<typeof signedExportManifest>;

/** The manifest's 0x SHA-256 over its canonical JSON: what is logged and anchored. */
export function exportManifestDigest(manifest: ExportManifest): string {
  return recordDigest(manifest);
}

export async function signExportManifest(manifest: ExportManifest, key: VisaKey): Promise<SignedExportManifest> {
  const parsed = exportManifest.parse(manifest);
  const signature = await new CompactSign(new TextEncoder().encode(canonicalize(parsed))).setProtectedHeader({ alg: "ES256", kid: key.kid, typ: MANIFEST_JWS_TYP }).sign(key.privateKey);
  return { manifest: parsed, signature };
}

export class ExportManifestError extends Error {
  override name = "ExportManifestError";
}

/**
 * Checks the signature against the portal's published keys and that it signs exactly this manifest.
 * @throws ExportManifestError when the document is not a signed export manifest, the signature does not verify, or it signs another text
 */
export async function verifyExportManifest(document: unknown, jwks: JSONWebKeySet): Promise<ExportManifest> {
  const parsed = signedExportManifest.safeParse(document);
  if (!parsed.success) throw new ExportManifestError(`not a signed export manifest: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(document)"} ${i.message}`).join("; ")}`);
  let payload: Uint8Array;
  try {
    const verified = await compactVerify(parsed.data.signature, createLocalJWKSet(jwks), { algorithms: ["ES256"] });
    if (verified.protectedHeader.typ !== MANIFEST_JWS_TYP) throw new ExportManifestError(`the signature is a ${String(verified.protectedHeader.typ)}, not an export manifest's`);
    payload = verified.payload;
  } catch (error) {
    if (error instanceof ExportManifestError) throw error;
    throw new ExportManifestError(`the signature does not verify with the portal's keys (${error instanceof Error ? error.message : String(error)})`);
  }
  if (new TextDecoder().decode(payload) !== canonicalize(parsed.data.manifest)) throw new ExportManifestError("the signature signs another manifest: the manifest was changed after signing");
  return parsed.data.manifest;
}

/** 0x SHA-256 and size of a file on disk, streamed (memory flat in the file's size). */
export async function digestFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: `0x${hash.digest("hex")}` };
}

export type FileCheck = { file: string; ok: boolean; says: string };

/**
 * Each given file against the manifest, by its name: `<name>` against the plaintext digest, `<name>.c4gh`
 * against the ciphertext's. A file the manifest does not list fails.
 */
export async function checkExportFiles(manifest: ExportManifest, files: readonly string[]): Promise<FileCheck[]> {
  const checks: FileCheck[] = [];
  for (const file of files) {
    const base = path.basename(file);
    const listed = manifest.files.find((f) => f.name === base) ?? manifest.files.find((f) => f.encrypted && `${f.name}.c4gh` === base);
    if (!listed) {
      checks.push({ file, ok: false, says: `${base} is not a file of this export` });
      continue;
    }
    const expected = listed.name === base ? { bytes: listed.bytes, sha256: listed.sha256, what: "plaintext" } : { ...listed.encrypted!, what: "Crypt4GH ciphertext" };
    const actual = await digestFile(file);
    const ok = actual.sha256 === expected.sha256 && actual.bytes === expected.bytes;
    checks.push({
      file,
      ok,
      says: ok ? `${base}: ${expected.what} matches (${actual.bytes} bytes, sha256 ${actual.sha256})` : `${base}: the ${expected.what} does not match — the manifest lists ${expected.bytes} bytes, sha256 ${expected.sha256}; the file has ${actual.bytes} bytes, sha256 ${actual.sha256}`,
    });
  }
  return checks;
}
