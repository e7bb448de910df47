import { describe, expect, it } from "vitest";
import { CheckpointError, formatCheckpoint, openCheckpoint, parseCheckpoint, type Checkpoint } from "@/lib/log/checkpoint";
import { decodeBase64, parseVerifierKey, signNote } from "@/lib/log/note";
import { generateSignerKey, parseSignerKey } from "@/lib/log/signing-key";

// The example text of c2sp.org/tlog-checkpoint.
const SPEC_TEXT = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
const ROOT = decodeBase64("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")!;

describe("checkpoint text", () => {
  it("reads the specification's example and writes it back byte for byte", () => {
    const checkpoint = parseCheckpoint(SPEC_TEXT);
    expect(checkpoint).toEqual({ origin: "example.com/behind-the-sofa", size: 20852163, root: ROOT, extensions: [] });
    expect(formatCheckpoint(checkpoint)).toBe(SPEC_TEXT);
  });

  it("round-trips the empty tree, extension lines and 2^53 − 1", () => {
    const cases: Checkpoint[] = [
      { origin: "trials.example/log", size: 0, root: new Uint8Array(32), extensions: [] },
      { origin: "trials.example/log", size: 7, root: ROOT, extensions: ["— not a signature", "x"] },
      { origin: "trials.example/log", size: Number.MAX_SAFE_INTEGER, root: ROOT, extensions: [] },
    ];
    for (const c of cases) expect(parseCheckpoint(formatCheckpoint(c))).toEqual(c);
  });

  it("refuses sizes with a leading zero, a sign, or beyond 2^53, and a root that is not 32 bytes", () => {
    const withSize = (size: string) => `o\n${size}\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n`;
    for (const size of ["01", "-1", "+1", "1.0", "1e3", " 1", "", "9007199254740992", "99999999999999999"]) {
      expect(() => parseCheckpoint(withSize(size)), size).toThrow(CheckpointError);
    }
    expect(parseCheckpoint(withSize("0")).size).toBe(0);
    const withRoot = (root: string) => `o\n1\n${root}\n`;
    for (const root of ["", "AAAA", `${"A".repeat(43)}=`.replace(/A=$/, "B="), "CsUYapGGPo4dkMgIAUqom_Xajj7h2fB2MPA3j2jxq2I="]) {
      expect(() => parseCheckpoint(withRoot(root)), root).toThrow(CheckpointError);
    }
  });

  it("refuses too few lines, empty lines and a missing final newline", () => {
    for (const text of ["o\n1\n", "o\n1", SPEC_TEXT.slice(0, -1), `\n${SPEC_TEXT}`, `${SPEC_TEXT}\n`, `${SPEC_TEXT}ext\n\n`]) {
      expect(() => parseCheckpoint(text), JSON.stringify(text)).toThrow(CheckpointError);
    }
  });

  it("writes only origins with no space or plus, sizes that are integers, 32-byte roots", () => {
    const good: Checkpoint = { origin: "o", size: 1, root: ROOT, extensions: [] };
    expect(() => formatCheckpoint({ ...good, origin: "a b" })).toThrow(CheckpointError);
    expect(() => formatCheckpoint({ ...good, origin: "a+b" })).toThrow(CheckpointError);
    expect(() => formatCheckpoint({ ...good, origin: "" })).toThrow(CheckpointError);
    expect(() => formatCheckpoint({ ...good, size: -1 })).toThrow(CheckpointError);
    expect(() => formatCheckpoint({ ...good, size: 1.5 })).toThrow(CheckpointError);
    expect(() => formatCheckpoint({ ...good, root: ROOT.slice(1) })).toThrow(CheckpointError);
    expect(() => formatCheckpoint({ ...good, extensions: [""] })).toThrow(CheckpointError);
    expect(() => formatCheckpoint({ ...good, extensions: ["a\nb"] })).toThrow(CheckpointError);
  });
});

describe("openCheckpoint", () => {
  it("opens a signed checkpoint of the expected origin, refuses another origin or key", async () => {
    const { signerKey, verifierKey } = generateSignerKey("trials.example/log");
    const { signer } = parseSignerKey(signerKey);
    const checkpoint: Checkpoint = { origin: "trials.example/log", size: 5, root: ROOT, extensions: [] };
    const note = await signNote(formatCheckpoint(checkpoint), [signer]);
    await expect(openCheckpoint(note, [parseVerifierKey(verifierKey)], "trials.example/log")).resolves.toEqual(checkpoint);
    await expect(openCheckpoint(note, [parseVerifierKey(verifierKey)], "trials.example/other")).rejects.toThrow(/not of "trials.example\/other"/);
    const stranger = generateSignerKey("trials.example/log").verifierKey;
    await expect(openCheckpoint(note, [parseVerifierKey(stranger)], "trials.example/log")).rejects.toThrow(/no signature by a trusted key/);
  });
});
