import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NoteError, openNote, parseVerifierKey, signNote } from "@/lib/log/note";
import { developmentKey, formatSignerKey, generateSignerKey, logSigner, parseSignerKey } from "@/lib/log/signing-key";

// golang.org/x/mod sumdb/note/note_test.go (TestNewSigner).
const PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";

describe("signer keys", () => {
  it("reads Go's signer key and writes it back", () => {
    const key = parseSignerKey(PETER_SKEY);
    expect(key.verifierKey).toBe("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
    const seed = Buffer.from("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", "base64").subarray(1);
    expect(formatSignerKey("PeterNeumann", seed)).toBe(PETER_SKEY);
  });

  it("generates keys whose signatures verify under their verifier key, and only theirs", async () => {
    const a = generateSignerKey("trials.example/log");
    const b = generateSignerKey("trials.example/log");
    expect(a.signerKey).not.toBe(b.signerKey);
    const note = await signNote("hello\n", [parseSignerKey(a.signerKey).signer]);
    await expect(openNote(note, [parseVerifierKey(a.verifierKey)])).resolves.toMatchObject({ verifiedBy: ["trials.example/log"] });
    await expect(openNote(note, [parseVerifierKey(b.verifierKey)])).rejects.toThrow(NoteError);
  });
});

describe("the development key", () => {
  it("is made once, readable by its owner only, and the same on every later read", () => {
    const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tl-log-key-")), "nested");
    const first = developmentKey(dataDir, "localhost:3000/log");
    const file = path.join(dataDir, "log-signing-key");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(parseSignerKey(fs.readFileSync(file, "utf8").trim()).verifierKey).toBe(first.verifierKey);
    expect(developmentKey(dataDir, "localhost:3000/log").verifierKey).toBe(first.verifierKey);
    expect(fs.readdirSync(dataDir)).toEqual(["log-signing-key"]);
    fs.writeFileSync(file, "garbage\n");
    expect(() => developmentKey(dataDir, "localhost:3000/log")).toThrow(/not a signer key/);
  });
});

describe("logSigner in development", () => {
  it("generates the key once into the data directory, named after the origin", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-log-key-"));
    // A key left by an earlier run under another origin: its seed is kept, re-named.
    const seed = new Uint8Array(32).fill(7);
    fs.writeFileSync(path.join(dataDir, "log-signing-key"), `${formatSignerKey("old.localhost/log", seed)}\n`);
    Object.assign(process.env, { APP_ENV: "development", DATA_DIR: dataDir, PORT: "3456", LOG_SIGNING_KEY: "", LOG_ORIGIN: "", AUTH_URL: "" });
    const first = await logSigner();
    expect(first.origin).toBe("localhost/log");
    expect(first.verifierKey).toBe(parseSignerKey(formatSignerKey("localhost/log", seed)).verifierKey);
    expect(first.signer.name).toBe("localhost/log");
    const note = await signNote("localhost/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", [first.signer]);
    await expect(openNote(note, [parseVerifierKey(first.verifierKey)])).resolves.toBeTruthy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
