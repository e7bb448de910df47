// `trialledger verify-export` as a user runs it: a signed manifest and the export's files on disk,
// the portal's key set in a file, the CLI a child process. A faithful export verifies (exit 0); one
// byte changed in a file, a manifest edited after signing, a key set of another portal, and a file
// the manifest does not list do not (exit 1).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateVisaKey, parseVisaKey } from "@/lib/access/visa-key";
import { type ExportManifest, digestFile, signExportManifest } from "@/lib/exports/manifest";
import { cli } from "@/scripts/test/cli";


const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-export-"));
const file = (name: string) => path.join(dir, name);
const DATA = "pseudonym,systolic\r\n3f1c…,128\r\n";

beforeAll(async () => {
  fs.writeFileSync(file("visits.csv"), DATA);
  fs.writeFileSync(file("protocol.pdf"), "%PDF-1.7 a protocol");
  const manifest: ExportManifest = {
    type: "trialledger.export-manifest/v1",
    export: { id: "exp_cli", number: "DAR-2026-00007.X1", createdAt: "2026-12-02T10:00:00.000Z" },
    grant: { request: "DAR-2026-00007", pseudonyms: "HMAC-SHA256 under HKDF-SHA256(export secret, salt = request id, info = trialledger/pseudonym/v1)" },
    release: { dataset: "TL-2026-00001.D1", number: 1, manifestDigest: `0x${"cd".repeat(32)}` },
    consent: { chainId: 31337, registry: `0x${"34".repeat(20)}`, blockNumber: 17 },
    filter: { rule: "consent-filter/v1", keeps: "rows whose participant's current decision covers the purpose" },
    files: [
      { name: "visits.csv", kind: "data", source: "visits.csv", rowsKept: 1, rowsExcluded: 3, ...(await digestFile(file("visits.csv"))) },
      { name: "protocol.pdf", kind: "document", source: "protocol.pdf", ...(await digestFile(file("protocol.pdf"))) },
    ],
  };
  const key = await parseVisaKey((await generateVisaKey()).signingKey);
  const other = await parseVisaKey((await generateVisaKey()).signingKey);
  const signed = await signExportManifest(manifest, key);
  fs.writeFileSync(file("manifest.json"), JSON.stringify(signed, null, 2));
  fs.writeFileSync(file("edited.json"), JSON.stringify({ ...signed, manifest: { ...signed.manifest, consent: { ...signed.manifest.consent, blockNumber: 18 } } }));
  fs.writeFileSync(file("jwks.json"), JSON.stringify({ keys: [key.publicJwk] }));
  fs.writeFileSync(file("other-jwks.json"), JSON.stringify({ keys: [other.publicJwk] }));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("trialledger verify-export", () => {
  it("verifies a signed manifest and the files it lists", async () => {
    const { code, out } = await cli("verify-export", file("manifest.json"), file("visits.csv"), file("protocol.pdf"), "--jwks", file("jwks.json"));
    expect(out).toMatch(/VERIFIED: the manifest is signed by the portal, and all 2 files match it/);
    expect(code).toBe(0);
  });

  it("fails after one byte of a file changes, naming the file", async () => {
    fs.writeFileSync(file("changed.csv"), DATA);
    fs.copyFileSync(file("visits.csv"), file("visits.orig"));
    fs.writeFileSync(file("visits.csv"), DATA.replace("128", "129"));
    try {
      const { code, out } = await cli("verify-export", file("manifest.json"), file("visits.csv"), "--jwks", file("jwks.json"));
      expect(out).toMatch(/FAILED {2}visits\.csv: the plaintext does not match/);
      expect(out).toMatch(/NOT VERIFIED: 1 of 1 files do not match/);
      expect(code).toBe(1);
    } finally {
      fs.copyFileSync(file("visits.orig"), file("visits.csv"));
    }
  });

  it("refuses a manifest edited after signing, another portal's keys, and an unlisted file", async () => {
    const edited = await cli("verify-export", file("edited.json"), file("visits.csv"), "--jwks", file("jwks.json"));
    expect(edited).toMatchObject({ code: 1 });
    expect(edited.out).toMatch(/changed after signing/);
    const foreign = await cli("verify-export", file("manifest.json"), file("visits.csv"), "--jwks", file("other-jwks.json"));
    expect(foreign).toMatchObject({ code: 1 });
    expect(foreign.out).toMatch(/does not verify with the portal's keys/);
    const unlisted = await cli("verify-export", file("manifest.json"), file("changed.csv"), "--jwks", file("jwks.json"));
    expect(unlisted).toMatchObject({ code: 1 });
    expect(unlisted.out).toMatch(/changed\.csv is not a file of this export/);
  });

  it("needs the portal's keys from exactly one place", async () => {
    const { code, out } = await cli("verify-export", file("manifest.json"), file("visits.csv"));
    expect(code).toBe(2);
    expect(out).toMatch(/exactly one of --portal URL or --jwks FILE/);
  });
});
