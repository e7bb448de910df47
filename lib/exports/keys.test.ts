import { createHmac, hkdfSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { includedIn, inclusionTagger } from "@/lib/exports/inclusion";
import { ExportSecretError, developmentExportSecret, grantPseudonym, grantPseudonymKey, grantPseudonymizer, parseExportSecret, pseudonymBytes } from "@/lib/exports/keys";

const SECRET = Buffer.alloc(32, 7);
// A Semaphore nullifier's size: a field element of ~77 digits.
const NULLIFIER = "16427329541294838472011638282537416098183457396178734628316493019823456789012";

describe("per-grant pseudonyms", () => {
  it("are HMAC-SHA256 of the nullifier's 32 bytes under HKDF(secret, grant id, trialledger/pseudonym/v1)", () => {
    const key = Buffer.from(hkdfSync("sha256", SECRET, Buffer.from("grant-a"), "trialledger/pseudonym/v1", 32));
    expect(grantPseudonymKey(SECRET, "grant-a").equals(key)).toBe(true);
    const expected = createHmac("sha256", key).update(Buffer.from(BigInt(NULLIFIER).toString(16).padStart(64, "0"), "hex")).digest("hex");
    expect(grantPseudonym(key, NULLIFIER)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it("differ between grants and secrets, and never equal the nullifier in any spelling", () => {
    const a = grantPseudonymizer(SECRET, "grant-a")(NULLIFIER);
    const b = grantPseudonymizer(SECRET, "grant-b")(NULLIFIER);
    const other = grantPseudonymizer(Buffer.alloc(32, 8), "grant-a")(NULLIFIER);
    expect(new Set([a, b, other]).size).toBe(3);
    for (const value of [a, b]) {
      expect(value).not.toContain(NULLIFIER);
      expect(value).not.toBe(BigInt(NULLIFIER).toString(16).padStart(64, "0"));
    }
  });

  it("are stable for one grant (a study follows its participants across releases), cached or not", () => {
    const pseudonymize = grantPseudonymizer(SECRET, "grant-a");
    expect(pseudonymize(NULLIFIER)).toBe(pseudonymize(NULLIFIER));
    expect(pseudonymize(NULLIFIER)).toBe(grantPseudonym(grantPseudonymKey(SECRET, "grant-a"), NULLIFIER));
  });

  it("refuse what is not a canonical 256-bit decimal", () => {
    for (const bad of ["", "0123", "-1", "12a", (1n << 256n).toString()]) expect(() => pseudonymBytes(bad)).toThrow(RangeError);
    expect(pseudonymBytes("1").toString("hex")).toBe(`${"0".repeat(63)}1`);
  });
});

describe("the export secret", () => {
  it("is base64 of 32 bytes or more", () => {
    expect(parseExportSecret(SECRET.toString("base64")).equals(SECRET)).toBe(true);
    expect(parseExportSecret(SECRET.toString("base64url")).equals(SECRET)).toBe(true);
    expect(() => parseExportSecret(Buffer.alloc(16).toString("base64"))).toThrow(/holds 16 bytes; it needs at least 32/);
    expect(() => parseExportSecret("not base64!")).toThrow(ExportSecretError);
  });

  it("is generated once into the development data directory and read back the same", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "export-secret-"));
    try {
      const first = developmentExportSecret(dir);
      expect(first.length).toBe(32);
      expect(developmentExportSecret(dir).equals(first)).toBe(true);
      expect(fs.statSync(path.join(dir, "export-secret")).mode & 0o077).toBe(0);
      fs.writeFileSync(path.join(dir, "export-secret"), "short\n");
      expect(() => developmentExportSecret(dir)).toThrow(/is not an export secret/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("inclusion tags", () => {
  it("are HMAC-SHA256 keyed by the export id, unrelated to the grant's pseudonym", async () => {
    const tag = await (await inclusionTagger("export-1"))(NULLIFIER);
    const expected = createHmac("sha256", Buffer.from("trialledger/inclusion/v1:export-1")).update(pseudonymBytes(NULLIFIER)).digest("hex");
    expect(tag).toBe(expected);
    expect(tag).not.toBe(await (await inclusionTagger("export-2"))(NULLIFIER));
    expect(tag).not.toBe(grantPseudonymizer(SECRET, "grant-a")(NULLIFIER));
  });

  it("let a device find its own rows in one export's list and not in another's", async () => {
    const tagOne = await inclusionTagger("export-1");
    const list1 = { exportId: "export-1", tags: [await tagOne(NULLIFIER), await tagOne("42")].sort() };
    const list2 = { exportId: "export-2", tags: [await (await inclusionTagger("export-2"))("42")] };
    expect(await includedIn(list1, NULLIFIER)).toBe(true);
    expect(await includedIn(list2, NULLIFIER)).toBe(false);
    expect(await includedIn(list2, "42")).toBe(true);
    // The list of one export says nothing about another: its tags are keyed by its own id.
    expect(await includedIn({ exportId: "export-2", tags: list1.tags }, NULLIFIER)).toBe(false);
  });
});
