import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { delimitedRecords, ndjsonLines, source, type TabularFormat } from "@/lib/datasets/validate";

/**
 * The streaming core of consent-gated exports: a dataset file (CSV, TSV or NDJSON, parsed exactly as
 * lib/datasets/validate.ts parses it) in, the export file of the same format out, with only the rows
 * whose pseudonym the caller keeps, the pseudonym replaced by the caller's value. Output is produced
 * one parsed input chunk at a time (records joined into one Buffer) and only when the reader asks
 * for it (Readable.from over a generator): memory stays flat in the file's size.
 *
 * Values are written back verbatim (no spreadsheet formula guard, unlike lib/csv.ts's csvField: an
 * export must carry "-3.2" and "=x" unchanged).
 * - CSV: RFC 4180 — a field holding a comma, a quote, CR or LF is quoted, quotes doubled; rows end
 *   with CRLF.
 * - TSV: fields as they are; a field holding a tab, CR, LF or quote is quoted (quotes doubled), which
 *   csv-parse with relax_quotes (the validator's TSV settings) reads back as the same value; rows end
 *   with LF.
 * - NDJSON: each line parsed, the key's value replaced, JSON.stringify'd back, LF-terminated. A line
 *   without the key has an empty pseudonym.
 * A row whose pseudonym cell is empty is excluded (and counted in rowsExcluded).
 */

export type RowDecision = (pseudonym: string) => string | null; // the replacement pseudonym, or null to leave the row out
export type ExportFileResult = { rowsKept: number; rowsExcluded: number; bytes: number; sha256: string /* 0x hex of the output */ };
type Input = AsyncIterable<Uint8Array> | NodeJS.ReadableStream;

/** NDJSON output is flushed once this many characters are pending (one chunk's worth). */
const NDJSON_BATCH_CHARS = 64 * 1024;

const CSV_SPECIAL = /[",\r\n]/;
const TSV_SPECIAL = /[\t"\r\n]/;

function quoted(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

function rowWriter(format: "csv" | "tsv"): (record: string[]) => string {
  const delimiter = format === "csv" ? "," : "\t";
  const special = format === "csv" ? CSV_SPECIAL : TSV_SPECIAL;
  const eol = format === "csv" ? "\r\n" : "\n";
  return (record) => {
    let line = "";
    for (let i = 0; i < record.length; i++) {
      const v = record[i] ?? "";
      if (i > 0) line += delimiter;
      line += special.test(v) ? quoted(v) : v;
    }
    return line + eol;
  };
}

function cellOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return "";
}

/** The export's bytes, one batch at a time; `counts` is filled as it goes. */
async function* rows(input: Input, format: TabularFormat, column: string | null, decide: RowDecision | null, counts: { kept: number; excluded: number }): AsyncGenerator<string> {
  if (format === "ndjson") {
    let batch = "";
    for await (const { line, text } of ndjsonLines(source(input))) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new Error(`Line ${line}: not valid JSON.`);
      }
      if (column !== null && decide) {
        if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`Line ${line}: expected one JSON object per line.`);
        const record = value as Record<string, unknown>;
        const pseudonym = cellOf(record[column]);
        const replacement = pseudonym === "" ? null : decide(pseudonym);
        if (replacement === null) {
          counts.excluded++;
          continue;
        }
        record[column] = replacement;
      }
      counts.kept++;
      batch += `${JSON.stringify(value)}\n`;
      if (batch.length >= NDJSON_BATCH_CHARS) {
        yield batch;
        batch = "";
      }
    }
    if (batch) yield batch;
    return;
  }
  const write = rowWriter(format);
  let index = -1;
  let header = true;
  for await (const records of delimitedRecords(source(input), format === "tsv" ? "\t" : ",")) {
    let out = "";
    for (const record of records) {
      if (header) {
        header = false;
        if (column !== null) {
          index = record.findIndex((name) => name.trim() === column);
          if (index === -1) throw new Error(`The file has no pseudonym column “${column}”.`);
        }
        out += write(record);
        continue;
      }
      if (index !== -1 && decide) {
        const pseudonym = record[index] ?? "";
        const replacement = pseudonym === "" ? null : decide(pseudonym);
        if (replacement === null) {
          counts.excluded++;
          continue;
        }
        record[index] = replacement;
      }
      counts.kept++;
      out += write(record);
    }
    if (out) yield out;
  }
  if (header) throw new Error("The file is empty: it has no header row.");
}

function run(input: Input, format: TabularFormat, column: string | null, decide: RowDecision | null): { output: Readable; done: Promise<ExportFileResult> } {
  const counts = { kept: 0, excluded: 0 };
  const hash = createHash("sha256");
  let bytes = 0;
  let settle!: { resolve: (r: ExportFileResult) => void; reject: (e: unknown) => void };
  const done = new Promise<ExportFileResult>((resolve, reject) => (settle = { resolve, reject }));
  // The caller may await `done` late (after consuming `output`): no unhandled rejection meanwhile.
  done.catch(() => undefined);
  async function* bytesOut(): AsyncGenerator<Buffer> {
    try {
      for await (const text of rows(input, format, column, decide, counts)) {
        const buf = Buffer.from(text, "utf8");
        hash.update(buf);
        bytes += buf.length;
        yield buf;
      }
    } catch (error) {
      settle.reject(error);
      throw error;
    }
    settle.resolve({ rowsKept: counts.kept, rowsExcluded: counts.excluded, bytes, sha256: `0x${hash.digest("hex")}` });
  }
  const output = Readable.from(bytesOut(), { objectMode: false, highWaterMark: 64 * 1024 });
  // Destroyed by its reader before the end: the export did not complete.
  output.once("close", () => settle.reject(new Error("The export's output was closed before its end.")));
  return { output, done };
}

/** Streams `input` → filtered, re-keyed bytes. The returned `output` is a Node Readable of the export file; `done` resolves after the last byte with counts and the SHA-256 of the bytes written, or rejects (and output errors) on unreadable input or a missing pseudonym column. Memory flat in the file's size (backpressure respected: the reader controls the pace). */
export function exportTabular(input: Input, opts: { format: TabularFormat; pseudonymColumn: string; decide: RowDecision }): { output: Readable; done: Promise<ExportFileResult> } {
  return run(input, opts.format, opts.pseudonymColumn, opts.decide);
}

/** The same parse and write with no filter and no re-keying: the benchmark's baseline (and a test oracle). */
export function copyTabular(input: Input, opts: { format: TabularFormat }): { output: Readable; done: Promise<ExportFileResult> } {
  return run(input, opts.format, null, null);
}
