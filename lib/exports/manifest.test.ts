import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateVisaKey, parseVisaKey } from "@/lib/access/visa-key";
import { canonicalize } from "@/lib/canonical-json";
import { type ExportManifest, checkExportFiles, digestFile, exportManifestDigest, signExportManifest, verifyExportManifest } from "@/lib/exports/manifest";
import { sha256Hex } from "@/lib/verify/trial-chain";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "export-manifest-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const DATA = "pseudonym,age\r\nab12,54\r\n";
const CIPHER = Buffer.from("crypt4gh\u0001\u0000\u0000\u0000 pretend ciphertext");

async function fixture() {
  fs.writeFileSync(path.join(dir, "visits.csv"), DATA);
  fs.writeFileSync(path.join(dir, "visits.csv.c4gh"), CIPHER);
  const plain = await digestFile(path.join(dir, "visits.csv"));
  const cipher = await digestFile(path.join(dir, "visits.csv.c4gh"));
  const manifest: ExportManifest = {
    type: "trialledger.export-manifest/v1",
    export: { id: "exp_1", number: "DAR-2026-00001.X1", createdAt: "2026-12-02T10:00:00.000Z" },
    grant: { request: "DAR-2026-00001", pseudonyms: "HMAC-SHA256, key HKDF-SHA256(export secret, salt = request id, info = trialledger/pseudonym/v1)" },
    release: { dataset: "TL-2026-00001.D1", number: 1, manifestDigest: `0x${"ab".repeat(32)}` },
    consent: { chainId: 31337, registry: `0x${"12".repeat(20)}`, blockNumber: 42 },
    filter: { rule: "consent-filter/v1", keeps: "rows whose participant's current decision covers the purpose" },
    files: [{ name: "visits.csv", kind: "data", source: "visits.csv", rowsKept: 1, rowsExcluded: 2, ...plain, encrypted: { format: "crypt4gh-v1", ...cipher } }],
  };
  const { signingKey } = await generateVisaKey();
  const key = await parseVisaKey(signingKey);
  return { manifest, key, jwks: { keys: [key.publicJwk] } };
}

describe("export manifests", () => {
  it("digest their RFC 8785 canonical JSON", async () => {
    const { manifest } = await fixture();
    expect(exportManifestDigest(manifest)).toBe(sha256Hex(new TextEncoder().encode(canonicalize(manifest))));
    await expect(digestFile(path.join(dir, "visits.csv"))).resolves.toEqual({ bytes: DATA.length, sha256: sha256Hex(new TextEncoder().encode(DATA)) });
  });

  it("verify with the portal's key, and not after a change or with another key", async () => {
    const { manifest, key, jwks } = await fixture();
    const signed = await signExportManifest(manifest, key);
    await expect(verifyExportManifest(JSON.parse(JSON.stringify(signed)), jwks)).resolves.toEqual(manifest);
    const changed = { ...signed, manifest: { ...signed.manifest, files: [{ ...signed.manifest.files[0]!, rowsExcluded: 0 }] } };
    await expect(verifyExportManifest(changed, jwks)).rejects.toThrow(/the manifest was changed after signing/);
    const other = await parseVisaKey((await generateVisaKey()).signingKey);
    await expect(verifyExportManifest(signed, { keys: [other.publicJwk] })).rejects.toThrow(/does not verify with the portal's keys/);
    await expect(verifyExportManifest({ manifest: { type: "x" }, signature: "a.b.c" }, jwks)).rejects.toThrow(/not a signed export manifest/);
  });

  it("check each file, plaintext or ciphertext, and fail after one byte changes", async () => {
    const { manifest } = await fixture();
    const files = [path.join(dir, "visits.csv"), path.join(dir, "visits.csv.c4gh")];
    expect((await checkExportFiles(manifest, files)).map((c) => c.ok)).toEqual([true, true]);
    fs.writeFileSync(files[0]!, DATA.replace("54", "55"));
    const [plain] = await checkExportFiles(manifest, files);
    expect(plain).toMatchObject({ ok: false });
    expect(plain?.says).toMatch(/the plaintext does not match/);
    fs.writeFileSync(path.join(dir, "other.csv"), DATA);
    expect((await checkExportFiles(manifest, [path.join(dir, "other.csv")]))[0]).toMatchObject({ ok: false, says: "other.csv is not a file of this export" });
  });
});
