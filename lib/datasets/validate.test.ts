import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { DataDictionary } from "@/lib/datasets/dictionary";
import { validationReport } from "@/lib/datasets/report";
import { MAX_ROW_BYTES, PSEUDONYM_BATCH, validateTabular } from "@/lib/datasets/validate";

const dictionary: DataDictionary = {
  columns: [
    { name: "pseudonym", label: "Participant pseudonym", type: "text", required: true, pseudonym: true },
    { name: "visit", label: "Visit", type: "integer", required: true },
    { name: "visit_date", label: "Visit date", type: "date", required: false },
    { name: "weight_kg", label: "Weight", type: "decimal", unit: "kg", required: false },
    { name: "sex", label: "Sex", type: "code", required: true, codes: [{ code: "F", label: "Female" }, { code: "M", label: "Male" }] },
    { name: "adverse_event", label: "Adverse event", type: "boolean", required: false },
    { name: "note", label: "Note", type: "text", required: false },
  ],
};

const KNOWN = new Set(["p1", "p2", "p3"]);

function lookUp(known = KNOWN) {
  const calls: string[][] = [];
  const fn = (values: string[]) => {
    calls.push(values);
    return Promise.resolve(new Set(values.filter((v) => known.has(v))));
  };
  return { fn, calls };
}

/** `text` as a byte stream cut into `size`-byte chunks, so rows and UTF-8 characters straddle chunks. */
function chunks(text: string, size = 7): AsyncIterable<Uint8Array> {
  const bytes = Buffer.from(text, "utf8");
  return (async function* () {
    for (let i = 0; i < bytes.length; i += size) yield new Uint8Array(bytes.subarray(i, i + size));
  })();
}

async function run(text: string, format: "csv" | "tsv" | "ndjson" = "csv", known = KNOWN, chunkSize = 7) {
  const { fn, calls } = lookUp(known);
  const report = await validateTabular(chunks(text, chunkSize), { format, dictionary, knownPseudonyms: fn, examplesPerKind: 3 });
  // Whatever is found, the report is what DatasetFile.report stores and pages parse back.
  expect(validationReport.parse(report)).toEqual(report);
  return { report, calls };
}

const HEADER = "pseudonym,visit,visit_date,weight_kg,sex,adverse_event,note";

describe("validateTabular", () => {
  it("passes a clean CSV, with quoted fields, line breaks inside quotes, UTF-8 cut across chunks and a BOM", async () => {
    const csv = `\uFEFF${HEADER}\r\np1,1,2026-03-14,72.5,F,false,"Größe, gemessen"\r\np2,2,,80,M,TRUE,"two\nlines"\r\np3,3,2024-02-29,.5,F,1,\r\n\r\n`;
    const { report, calls } = await run(csv);
    expect(report).toMatchObject({ rows: 3, errors: 0, hasErrors: false, fatal: null, problems: [], examples: [] });
    expect(report.columns).toEqual(HEADER.split(","));
    expect(calls).toEqual([["p1", "p2", "p3"]]);
  });

  it("counts each problem kind per column and keeps the first rows of each kind", async () => {
    const rows = [
      "p1,1,2026-02-30,72.5,F,false,", // date that does not exist
      "p2,one,2026-01-01,72,5,X,maybe,", // integer, code (5), boolean (X); and 8 fields
      ",2,2026-01-01,70,M,no,", // missing pseudonym
      "p1,,14/03/2026,7e1,,yes,", // missing visit, date format, decimal, missing sex
      "ghost,5,,,F,,", // unknown pseudonym
      "ghost,6,,,F,,",
      "phantom,7,,,M,,",
    ];
    const { report } = await run([HEADER, ...rows].join("\n"));
    const counts = Object.fromEntries(report.problems.map((p) => [`${p.column ?? "(row)"}/${p.kind}`, p.count]));
    expect(counts).toEqual({
      "visit_date/type": 2,
      "visit/type": 1,
      "weight_kg/type": 1,
      "sex/code": 1,
      "adverse_event/type": 1,
      "(row)/field-count": 1,
      "pseudonym/missing": 1,
      "visit/missing": 1,
      "sex/missing": 1,
      "pseudonym/unknown-pseudonym": 3,
    });
    expect(report.errors).toBe(13);
    expect(report.hasErrors).toBe(true);
    expect(report.examples.filter((e) => e.kind === "type")).toEqual([
      { kind: "type", row: 1, column: "visit_date", value: "2026-02-30" },
      { kind: "type", row: 2, column: "visit", value: "one" },
      { kind: "type", row: 2, column: "adverse_event", value: "X" },
    ]);
    expect(report.examples.filter((e) => e.kind === "unknown-pseudonym").map((e) => [e.row, e.value])).toEqual([[5, "ghost"], [6, "ghost"], [7, "phantom"]]);
    expect(report.unknownPseudonyms).toEqual({ count: 2, rows: 3, examples: ["ghost", "phantom"], countIsLowerBound: false });
    expect(report.problems.find((p) => p.kind === "code")?.message).toBe("Expected one of the allowed codes: F, M.");
  });

  it("reports missing required columns, unknown and repeated ones from the header", async () => {
    const { report } = await run("visit,sex,patient_name,sex\n1,F,Jane Doe,F\n");
    expect(report.header).toEqual({ missing: ["pseudonym"], unknown: ["patient_name"], duplicate: ["sex"] });
    expect(report.errors).toBe(3);
    // Optional columns may be left out of the file.
    expect((await run("pseudonym,visit,sex\np1,1,F\n")).report.hasErrors).toBe(false);
  });

  it("reports an unclosed quote with its line instead of throwing, and keeps what was found before", async () => {
    const { report } = await run(`${HEADER}\np1,x,,,F,,\np2,2,,,F,,"never closed\np3,3,,,F,,\n`);
    expect(report.fatal).toEqual({ message: expect.stringContaining("after line 2 is never closed") as string, line: 3 });
    expect(report.rows).toBe(1);
    expect(report.problems.map((p) => p.kind)).toEqual(["type"]);
    expect(report.errors).toBe(2);
  });

  it("stops at a row over 1 MiB, at invalid UTF-8 and on an empty file, with a reason", async () => {
    const long = await run(`${HEADER}\np1,1,,,F,,${"x".repeat(MAX_ROW_BYTES + 1)}\n`, "csv", KNOWN, 65_536);
    expect(long.report.fatal?.message).toMatch(/Line 2: a row is longer than 1 MiB/);
    const latin1 = Buffer.concat([Buffer.from(`${HEADER}\np1,1,,,F,,caf`), Buffer.from([0xe9, 0x0a])]);
    const bad = await validateTabular(Readable.from([latin1]), { format: "csv", dictionary, knownPseudonyms: lookUp().fn });
    expect(bad.fatal?.message).toMatch(/not UTF-8/);
    expect((await run("")).report.fatal?.message).toBe("The file is empty: it has no header row.");
  });

  it("reads TSV, where a lone quote inside a value is text", async () => {
    const tsv = ["pseudonym\tvisit\tsex\tnote", 'p1\t1\tF\t5" tall', "p2\t2\tQ\t"].join("\n");
    const { report } = await run(tsv, "tsv");
    expect(report.rows).toBe(2);
    expect(report.problems).toEqual([{ column: "sex", kind: "code", count: 1, message: "Expected one of the allowed codes: F, M." }]);
  });

  it("reads NDJSON: JSON types, absent keys, unknown keys, nested values and lines that are not objects", async () => {
    const lines = [
      JSON.stringify({ pseudonym: "p1", visit: 1, sex: "F", weight_kg: 72.5, adverse_event: false }),
      "",
      JSON.stringify({ pseudonym: "p2", visit: 2.5, sex: "M", email: "a@b.test" }),
      JSON.stringify({ pseudonym: "p3", sex: "F", note: { nested: true } }),
      "[1,2]",
      "{not json",
      JSON.stringify({ pseudonym: "ghost", visit: 3, sex: "M" }),
    ];
    const { report } = await run(`${lines.join("\r\n")}\n`, "ndjson");
    expect(report.rows).toBe(6);
    const counts = Object.fromEntries(report.problems.map((p) => [`${p.column ?? "(row)"}/${p.kind}`, p.count]));
    expect(counts).toEqual({
      "visit/type": 1,
      "email/unknown-column": 1,
      "visit/missing": 1,
      "note/type": 1,
      "(row)/json": 2,
      "pseudonym/unknown-pseudonym": 1,
    });
    expect(report.examples.find((e) => e.kind === "json")).toEqual({ kind: "json", row: 4, column: null, value: "[1,2]" });
  });

  it("looks pseudonyms up in batches of 1,000 distinct values, each value once", async () => {
    const values = Array.from({ length: 2500 }, (_, i) => `p${i}`);
    const rows = [...values, ...values].map((p, i) => `${p},${i},F`);
    const known = new Set(values.slice(0, 2400));
    const { report, calls } = await run(["pseudonym,visit,sex", ...rows].join("\n"), "csv", known, 4096);
    // The second pass asks nothing: known and unknown values alike are remembered.
    expect(calls.map((c) => c.length)).toEqual([PSEUDONYM_BATCH, PSEUDONYM_BATCH, 500]);
    expect(new Set(calls.flat()).size).toBe(2500);
    expect(report.unknownPseudonyms).toMatchObject({ count: 100, rows: 200, examples: ["p2400", "p2401", "p2402"] });
    expect(report.examples.filter((e) => e.kind === "unknown-pseudonym").map((e) => e.row)).toEqual([2401, 2402, 2403]);
  });

  it("cuts example values to 80 characters", async () => {
    const { report } = await run(`pseudonym,visit,sex\np1,${"9".repeat(50)}x${"9".repeat(50)},F\n`);
    expect(report.examples[0]?.value).toBe(`${"9".repeat(50)}x${"9".repeat(29)}…`);
  });
});
