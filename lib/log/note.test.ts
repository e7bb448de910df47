import { describe, expect, it } from "vitest";
import {
  NoteError,
  decodeBase64,
  encodeBase64,
  keyIdOf,
  openNote,
  parseVerifierKey,
  signNote,
  splitNote,
  verifierKeyOf,
  type NoteVerifier,
} from "@/lib/log/note";
import { parseSignerKey } from "@/lib/log/signing-key";

// The example of c2sp.org/signed-note ("Verifier keys", "Example"), as STANDARDS §2.1 quotes it.
const SPEC_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
const SPEC_NOTE =
  "This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

// golang.org/x/mod sumdb/note/note_test.go (TestSign, TestOpen): a signer key, two verifier keys
// and their signatures over one text. Ed25519 is deterministic, so signing must give these bytes.
const PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_SIG = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const ENOCH_SIG = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("the specification's example", () => {
  it("verifies, and its key ID recomputes to 530d903a", async () => {
    const verifier = parseVerifierKey(SPEC_VKEY);
    expect(verifier.name).toBe("example.com/foo");
    expect(hex(verifier.keyId)).toBe("530d903a");
    const publicKey = decodeBase64("AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")!.slice(1);
    expect(hex(keyIdOf("example.com/foo", 0x01, publicKey))).toBe("530d903a");
    expect(verifierKeyOf("example.com/foo", publicKey)).toBe(SPEC_VKEY);
    await expect(openNote(SPEC_NOTE, [verifier])).resolves.toEqual({ text: "This is an example message.\n", verifiedBy: ["example.com/foo"] });
  });

  it("fails once any character of the text or the signature changes", async () => {
    const verifier = parseVerifierKey(SPEC_VKEY);
    await expect(openNote(SPEC_NOTE.replace("example message", "example massage"), [verifier])).rejects.toThrow(/invalid signature/);
    // A flipped byte in the signature part (after the 4-byte key ID, which would only make it unknown).
    const sigStart = SPEC_NOTE.lastIndexOf(" ") + 1 + 8;
    const flipped = SPEC_NOTE.slice(0, sigStart) + (SPEC_NOTE[sigStart] === "A" ? "B" : "A") + SPEC_NOTE.slice(sigStart + 1);
    await expect(openNote(flipped, [verifier])).rejects.toThrow(NoteError);
  });
});

describe("golang.org/x/mod's vectors", () => {
  it("signs exactly as Go's note.Sign does", async () => {
    const key = parseSignerKey(PETER_SKEY);
    expect(key.verifierKey).toBe(PETER_VKEY);
    expect(await signNote(GO_TEXT, [key.signer])).toBe(`${GO_TEXT}\n${PETER_SIG}`);
  });

  it("verifies the known key's signature and ignores an unknown one", async () => {
    const peter = parseVerifierKey(PETER_VKEY);
    const enoch = parseVerifierKey(ENOCH_VKEY);
    const note = `${GO_TEXT}\n${PETER_SIG}${ENOCH_SIG}`;
    await expect(openNote(note, [peter])).resolves.toEqual({ text: GO_TEXT, verifiedBy: ["PeterNeumann"] });
    await expect(openNote(note, [peter, enoch])).resolves.toEqual({ text: GO_TEXT, verifiedBy: ["PeterNeumann", "EnochRoot"] });
    await expect(openNote(note, [])).rejects.toThrow(/no signature by a trusted key/);
    await expect(openNote(`${GO_TEXT}\n${ENOCH_SIG}`, [enoch, peter, enoch])).rejects.toThrow(/ambiguous key EnochRoot\+af0cfe78/);
  });

  it("ignores a signature that shares only the name, or only the key ID, with a known key", async () => {
    const peter = parseVerifierKey(PETER_VKEY);
    const renamed = PETER_SIG.replace("PeterNeumann", "PeterNeuman");
    await expect(openNote(`${GO_TEXT}\n${renamed}`, [peter])).rejects.toThrow(/no signature by a trusted key/);
    const otherId: NoteVerifier = { ...peter, keyId: Uint8Array.of(0xc7, 0x4f, 0x20, 0xa4) };
    await expect(openNote(`${GO_TEXT}\n${PETER_SIG}`, [otherId])).rejects.toThrow(/no signature by a trusted key/);
  });

  it("refuses a note whose known key's signature fails, even beside a good one", async () => {
    const peter = parseVerifierKey(PETER_VKEY);
    const bad = `${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`;
    await expect(openNote(`${GO_TEXT}\n${bad}`, [peter])).rejects.toThrow(/invalid signature for key PeterNeumann\+c74f20a3/);
  });

  it("accepts 16 signatures, refuses more than 100", async () => {
    const peter = parseVerifierKey(PETER_VKEY);
    await expect(openNote(`${GO_TEXT}\n${PETER_SIG.repeat(16)}`, [peter])).resolves.toMatchObject({ verifiedBy: ["PeterNeumann"] });
    await expect(openNote(`${GO_TEXT}\n${PETER_SIG.repeat(101)}`, [peter])).rejects.toThrow(/at most 100/);
  });

  it("refuses malformed notes (Go's badMsgs)", async () => {
    const peter = parseVerifierKey(PETER_VKEY);
    const bad = [
      GO_TEXT,
      `${GO_TEXT}\n`,
      `${GO_TEXT}\n${PETER_SIG.slice(0, -1)}`,
      `\u0001${GO_TEXT}\n${PETER_SIG}`,
      `${GO_TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
      `${GO_TEXT}\n${PETER_SIG}Unexpected line.\n`,
      `${GO_TEXT}\n${PETER_SIG.replace("—", "-")}`,
      `${GO_TEXT}\n— PeterNeumann AAAA\n`, // key ID without a signature
      `\uD800${GO_TEXT}\n${PETER_SIG}`, // not UTF-8
      `${GO_TEXT}\r\n${PETER_SIG}`,
    ];
    for (const note of bad) await expect(openNote(note, [peter]), JSON.stringify(note)).rejects.toThrow(NoteError);
  });

  it("takes the last blank line as the separator, so a text may hold empty lines", async () => {
    const key = parseSignerKey(PETER_SKEY);
    const text = "first\n\n— looks like a signature\n";
    const note = await signNote(text, [key.signer]);
    expect(splitNote(note).text).toBe(text);
    await expect(openNote(note, [parseVerifierKey(PETER_VKEY)])).resolves.toMatchObject({ text });
  });
});

describe("verifier keys", () => {
  it("refuses every truncation and every changed character of a valid key", () => {
    expect(() => parseVerifierKey(PETER_VKEY)).not.toThrow();
    for (let i = 0; i < PETER_VKEY.length; i++) {
      for (const j of [i + 1, PETER_VKEY.length]) {
        if (i === 0 && j === PETER_VKEY.length) continue;
        expect(() => parseVerifierKey(PETER_VKEY.slice(i, j)), PETER_VKEY.slice(i, j)).toThrow(NoteError);
      }
      const changed = PETER_VKEY.slice(0, i) + String.fromCharCode(PETER_VKEY.charCodeAt(i) + 1) + PETER_VKEY.slice(i + 1);
      expect(() => parseVerifierKey(changed), changed).toThrow(NoteError);
    }
  });

  it("refuses a wrong length and an unknown type, even with a matching key ID (Go's cases)", () => {
    expect(() => parseVerifierKey("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")).toThrow(NoteError);
    expect(() => parseVerifierKey("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")).toThrow(/not supported/);
  });

  it("never names a key with a space or a plus", () => {
    const key = decodeBase64("ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")!.slice(1);
    expect(() => verifierKeyOf("a b", key)).toThrow(NoteError);
    expect(() => verifierKeyOf("a+b", key)).toThrow(NoteError);
    expect(() => verifierKeyOf("", key)).toThrow(NoteError);
  });
});

describe("signNote", () => {
  it("refuses a text without its final newline or with a control character, and needs a signer", async () => {
    const { signer } = parseSignerKey(PETER_SKEY);
    await expect(signNote("abc", [signer])).rejects.toThrow(/ends with a newline/);
    await expect(signNote("a\tb\n", [signer])).rejects.toThrow(/control character/);
    await expect(signNote("abc\n", [])).rejects.toThrow(/at least one/);
    await expect(signNote("abc\n", [{ ...signer, name: "a b" }])).rejects.toThrow(/key name/);
  });
});

describe("base64", () => {
  it("round-trips and accepts only the canonical encoding", () => {
    for (const n of [0, 1, 2, 3, 32, 33]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff);
      expect(decodeBase64(encodeBase64(bytes))).toEqual(bytes);
    }
    expect(decodeBase64("QQ==")).toEqual(Uint8Array.of(0x41));
    for (const bad of ["QR==", "QQ", "QQ=", " QQ==", "Q-==", "Q_==", "QQ==\n"]) expect(decodeBase64(bad), bad).toBeNull();
  });
});
