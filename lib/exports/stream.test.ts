import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { copyTabular, exportTabular, type RowDecision } from "@/lib/exports/stream";

async function collect(output: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of output) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

function chunked(text: string, size = 7): Readable {
  const buf = Buffer.from(text, "utf8");
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size));
  return Readable.from(parts);
}

const decide: RowDecision = (p) => (p === "drop" ? null : `new-${p}`);

const CSV = [
  "pseudonym,note,value,formula",
  'p1,"a, b",-3.2,=SUM(A1)',
  'drop,"say ""hi""",1,x',
  'p2,"line1\nline2",+7,@cmd',
  ',empty,0,y',
  'p3,"with ""quote"", comma\r\nand crlf",-0,-1+1',
  "",
].join("\r\n");

describe("exportTabular", () => {
  it("keeps, drops and re-keys CSV rows, values verbatim", async () => {
    const { output, done } = exportTabular(chunked(CSV), { format: "csv", pseudonymColumn: "pseudonym", decide });
    const bytes = await collect(output);
    const result = await done;
    expect(parse(bytes, { bom: true })).toEqual([
      ["pseudonym", "note", "value", "formula"],
      ["new-p1", "a, b", "-3.2", "=SUM(A1)"],
      ["new-p2", "line1\nline2", "+7", "@cmd"],
      ["new-p3", 'with "quote", comma\r\nand crlf', "-0", "-1+1"],
    ]);
    expect(bytes.toString("utf8").startsWith("pseudonym,note,value,formula\r\nnew-p1,")).toBe(true);
    expect(result).toEqual({ rowsKept: 3, rowsExcluded: 2, bytes: bytes.length, sha256: `0x${createHash("sha256").update(bytes).digest("hex")}` });
  });

  it("exports TSV, reading back with the validator's settings", async () => {
    const tsv = 'id\tpseudonym\tnote\n1\tp1\tsays "hi"\n2\tdrop\tx\n3\tp2\t"tab\there"\n4\tp3\t-3.2\n';
    const { output, done } = exportTabular(chunked(tsv, 5), { format: "tsv", pseudonymColumn: "pseudonym", decide });
    const bytes = await collect(output);
    expect(parse(bytes, { delimiter: "\t", relax_quotes: true })).toEqual([
      ["id", "pseudonym", "note"],
      ["1", "new-p1", 'says "hi"'],
      ["3", "new-p2", "tab\there"],
      ["4", "new-p3", "-3.2"],
    ]);
    expect(bytes.toString("utf8").split("\n")[3]).toBe("4\tnew-p3\t-3.2");
    const result = await done;
    expect([result.rowsKept, result.rowsExcluded, result.bytes]).toEqual([3, 1, bytes.length]);
    expect(result.sha256).toBe(`0x${createHash("sha256").update(bytes).digest("hex")}`);
  });

  it("exports NDJSON", async () => {
    const lines = [{ pseudonym: "p1", v: -3.2, f: "=1+1" }, { pseudonym: "drop", v: 1 }, { v: 2 }, { pseudonym: "", v: 3 }, { pseudonym: "p2", nested: { a: [1] } }];
    const text = `${lines.map((l) => JSON.stringify(l)).join("\r\n")}\n\n`;
    const { output, done } = exportTabular(chunked(text, 3), { format: "ndjson", pseudonymColumn: "pseudonym", decide });
    const bytes = await collect(output);
    const out = bytes.toString("utf8");
    expect(out.endsWith("\n")).toBe(true);
    expect(out.trimEnd().split("\n").map((l) => JSON.parse(l) as unknown)).toEqual([{ pseudonym: "new-p1", v: -3.2, f: "=1+1" }, { pseudonym: "new-p2", nested: { a: [1] } }]);
    expect(await done).toEqual({ rowsKept: 2, rowsExcluded: 3, bytes: bytes.length, sha256: `0x${createHash("sha256").update(bytes).digest("hex")}` });
  });

  it("rejects a file without the pseudonym column, naming it", async () => {
    const { output, done } = exportTabular(chunked("id,x\n1,2\n"), { format: "csv", pseudonymColumn: "participant_pid", decide });
    await expect(collect(output)).rejects.toThrow(/participant_pid/);
    await expect(done).rejects.toThrow(/participant_pid/);
  });

  it("rejects unreadable input (unclosed quote)", async () => {
    const { output, done } = exportTabular(chunked('pseudonym,x\np1,"open\n'), { format: "csv", pseudonymColumn: "pseudonym", decide });
    await expect(collect(output)).rejects.toThrow(/never closed/);
    await expect(done).rejects.toThrow();
  });
});

describe("copyTabular", () => {
  it("re-parses to the input's records", async () => {
    const { output, done } = copyTabular(chunked(CSV), { format: "csv" });
    const bytes = await collect(output);
    expect(parse(bytes)).toEqual(parse(CSV, { skip_empty_lines: true }));
    const result = await done;
    expect(result.rowsKept).toBe(5);
    expect(result.rowsExcluded).toBe(0);
  });
});

describe("backpressure", () => {
  it("a slow consumer of a multi-MB input does not buffer the file", async () => {
    const row = 'p,"some, quoted text",-3.2,2026-01-01,ABC\n';
    const rowsPerChunk = 1000;
    const chunks = 200; // ≈ 8.6 MB
    let produced = 0;
    async function* input(): AsyncGenerator<Uint8Array> {
      yield Buffer.from("pseudonym,t,v,d,c\n");
      for (let i = 0; i < chunks; i++) {
        produced++;
        yield Buffer.from(row.repeat(rowsPerChunk));
      }
    }
    const { output, done } = exportTabular(input(), { format: "csv", pseudonymColumn: "pseudonym", decide: (p) => p });
    let maxBuffered = 0;
    let maxAhead = 0;
    let consumed = 0;
    for await (const chunk of output) {
      consumed += (chunk as Buffer).length;
      maxBuffered = Math.max(maxBuffered, output.readableLength);
      maxAhead = Math.max(maxAhead, produced * rowsPerChunk * row.length - consumed);
      if (consumed < 2e6) await new Promise((r) => setTimeout(r, 1));
    }
    const result = await done;
    expect(result.rowsKept).toBe(chunks * rowsPerChunk);
    expect(result.bytes).toBeGreaterThan(8e6);
    expect(maxBuffered).toBeLessThan(1e6);
    // The reader sets the pace: the input is never read more than a few chunks ahead of the output.
    expect(maxAhead).toBeLessThan(1e6);
  });
});
