import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { VisaKeyError, developmentVisaKey, generateVisaKey, parseVisaKey, publicJwks, visaSigningKey } from "@/lib/access/visa-key";

/** The same throwaway key as lib/env.test.ts. */
const KEY = '{"kty":"EC","crv":"P-256","x":"P25iwTDaWbEjCBoO_LOjFfVDmUPZHK1P7VK_Y7NuVf8","y":"5XL0qk7aD9TSI0ufaYUGIy8N8RK9n3Ci0ARcdHnRXLs","d":"7vlK1vhyQYSBY7A9Qh2RV2Th4Y_SOG6upvu92n8DYnI"}';

describe("visa signing keys", () => {
  it("names a key by its RFC 7638 thumbprint: SHA-256 of {crv,kty,x,y} in that order, base64url", async () => {
    const jwk = JSON.parse(KEY) as Record<string, string>;
    const canonical = `{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`;
    const key = await parseVisaKey(KEY);
    expect(key.kid).toBe(createHash("sha256").update(canonical).digest("base64url"));
    expect(key.publicJwk).toEqual({ kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y, kid: key.kid, alg: "ES256", use: "sig" });
    expect(key.publicJwk).not.toHaveProperty("d");
  });

  it("generates distinct keys that read back with the kid it printed", async () => {
    const a = await generateVisaKey();
    const b = await generateVisaKey();
    expect(a.kid).not.toBe(b.kid);
    expect((await parseVisaKey(a.signingKey)).kid).toBe(a.kid);
    expect(Object.keys(JSON.parse(a.signingKey) as object).sort()).toEqual(["crv", "d", "kty", "x", "y"]);
  });

  it("refuses what is not a private P-256 JWK, and a JWK whose public half is another key's", async () => {
    const jwk = JSON.parse(KEY) as Record<string, string>;
    const other = JSON.parse((await generateVisaKey()).signingKey) as Record<string, string>;
    await expect(parseVisaKey("-----BEGIN PRIVATE KEY-----")).rejects.toThrow(/private JWK as JSON/);
    await expect(parseVisaKey(JSON.stringify({ ...jwk, crv: "P-384" }))).rejects.toThrow(/P-256/);
    await expect(parseVisaKey(JSON.stringify({ ...jwk, d: undefined }))).rejects.toThrow(VisaKeyError);
    await expect(parseVisaKey(JSON.stringify({ ...jwk, x: other.x, y: other.y }))).rejects.toThrow(/not the public key of its d/);
  });
});

describe("the development key", () => {
  it("is made once, readable by its owner only, and the same on every later read", async () => {
    const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tl-visa-key-")), "nested");
    const first = await developmentVisaKey(dataDir);
    const file = path.join(dataDir, "visa-signing-key");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect((await parseVisaKey(fs.readFileSync(file, "utf8").trim())).kid).toBe(first.kid);
    expect((await developmentVisaKey(dataDir)).kid).toBe(first.kid);
    // Apart from the log's key (lib/log/signing-key.ts: log-signing-key), and no temporary left.
    expect(fs.readdirSync(dataDir)).toEqual(["visa-signing-key"]);
    fs.writeFileSync(file, "garbage\n");
    await expect(developmentVisaKey(dataDir)).rejects.toThrow(/is not a visa signing key/);
    fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
  });
});

describe("visaSigningKey in development", () => {
  it("generates the key into the data directory and publishes its public half", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-visa-key-"));
    Object.assign(process.env, { APP_ENV: "development", DATA_DIR: dataDir, VISA_SIGNING_KEY: "" });
    const key = await visaSigningKey();
    expect((await parseVisaKey(fs.readFileSync(path.join(dataDir, "visa-signing-key"), "utf8"))).kid).toBe(key.kid);
    expect(await publicJwks()).toEqual({ keys: [key.publicJwk] });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
