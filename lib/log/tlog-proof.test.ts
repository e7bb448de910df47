import { describe, expect, it } from "vitest";
import { formatCheckpoint } from "@/lib/log/checkpoint";
import { decodeBase64, signNote } from "@/lib/log/note";
import { parseSignerKey } from "@/lib/log/signing-key";
import { TlogProofError, formatTlogProof, parseTlogProof } from "@/lib/log/tlog-proof";

const SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";

// The proof lines and extra of the example in c2sp.org/tlog-proof (its signatures are elided
// there, so the checkpoint below is signed here).
const SPEC_EXTRA = "YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ";
const SPEC_HASHES = [
  "gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=",
  "B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=",
  "EKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=",
  "RoopEkOdqkYqMB4MJXrbt/hMjOxsVn0IrWjpz1ZMMes=",
  "AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=",
];

async function checkpointNote(): Promise<string> {
  const root = decodeBase64("sFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=")!;
  return signNote(formatCheckpoint({ origin: "example.com/fancylog", size: 109482, root, extensions: [] }), [parseSignerKey(SKEY).signer]);
}

describe("tlog-proof", () => {
  it("writes the specification's layout and reads it back", async () => {
    const checkpoint = await checkpointNote();
    const text = formatTlogProof({ index: 73894, proof: SPEC_HASHES.map((h) => decodeBase64(h)!), checkpoint, extra: decodeBase64(SPEC_EXTRA)! });
    expect(text).toBe(`c2sp.org/tlog-proof@v1\nextra ${SPEC_EXTRA}\nindex 73894\n${SPEC_HASHES.join("\n")}\n\n${checkpoint}`);
    expect(parseTlogProof(text)).toEqual({ index: 73894, proof: SPEC_HASHES.map((h) => decodeBase64(h)!), checkpoint, extra: decodeBase64(SPEC_EXTRA)! });
  });

  it("round-trips without extra and with an empty proof (a tree of one entry)", async () => {
    const checkpoint = await checkpointNote();
    const text = formatTlogProof({ index: 0, proof: [], checkpoint });
    expect(text).toBe(`c2sp.org/tlog-proof@v1\nindex 0\n\n${checkpoint}`);
    expect(parseTlogProof(text)).toEqual({ index: 0, proof: [], checkpoint });
  });

  it("refuses a wrong header, index, hash, missing blank line or checkpoint", async () => {
    const checkpoint = await checkpointNote();
    const good = formatTlogProof({ index: 5, proof: [decodeBase64(SPEC_HASHES[0]!)!], checkpoint });
    expect(() => parseTlogProof(good)).not.toThrow();
    const bad = [
      good.replace("tlog-proof@v1", "tlog-proof@v2"),
      good.replace("index 5", "index 05"),
      good.replace("index 5", "index -5"),
      good.replace("index 5", "index 9007199254740993"),
      good.replace("index 5\n", ""),
      good.replace("index 5", "extra !!\nindex 5"),
      good.replace(SPEC_HASHES[0]!, SPEC_HASHES[0]!.slice(4)),
      good.replace(`${SPEC_HASHES[0]!}\n`, `${SPEC_HASHES[0]!}\n\n`),
      good.slice(0, good.indexOf("\n\n") + 2),
      good.slice(0, -1),
      good.replace("\n\n", "\n"),
    ];
    for (const text of bad) expect(() => parseTlogProof(text), JSON.stringify(text)).toThrow(TlogProofError);
    const tooLong = formatTlogProof({ index: 5, proof: Array.from({ length: 63 }, () => new Uint8Array(32)), checkpoint });
    expect(parseTlogProof(tooLong).proof).toHaveLength(63);
    expect(() => parseTlogProof(tooLong.replace("index 5\n", `index 5\n${"A".repeat(43)}=\n`))).toThrow(/at most 63/);
  });

  it("writes only valid receipts", async () => {
    const checkpoint = await checkpointNote();
    expect(() => formatTlogProof({ index: -1, proof: [], checkpoint })).toThrow(TlogProofError);
    expect(() => formatTlogProof({ index: 1.5, proof: [], checkpoint })).toThrow(TlogProofError);
    expect(() => formatTlogProof({ index: 1, proof: [new Uint8Array(31)], checkpoint })).toThrow(TlogProofError);
    expect(() => formatTlogProof({ index: 1, proof: Array.from({ length: 64 }, () => new Uint8Array(32)), checkpoint })).toThrow(TlogProofError);
    expect(() => formatTlogProof({ index: 1, proof: [], checkpoint: "example.com/fancylog\n1\n" })).toThrow(/not a signed checkpoint/);
  });
});
