import { isUtf8 } from "node:buffer";
import { Readable } from "node:stream";
import { CsvError, parse } from "csv-parse";
import type { DataDictionary, DictionaryColumn } from "@/lib/datasets/dictionary";
import { EXAMPLE_VALUE_CHARS, type ProblemKind, type ValidationReport } from "@/lib/datasets/report";

/**
 * Validates a dataset file against its data dictionary while it streams: CSV and TSV through
 * csv-parse's streaming parser, NDJSON line by line. Memory stays flat in the file's size: one row
 * at a time, bounded counters, at most `examplesPerKind` examples of each kind, one batch of
 * pseudonyms awaiting lookup, and a bounded cache of pseudonyms already looked up.
 */

/** A row is at most 1 MiB: a wide clinical row (500 columns of 2 KiB text) fits, and one row never holds much memory. */
export const MAX_ROW_BYTES = 1024 * 1024;
/** At most 1,000 columns: twice the dictionary's own limit of 500, so a file that can match any dictionary is read. */
export const MAX_COLUMNS = 1000;
/** Pseudonyms are looked up 1,000 distinct values at a time: one indexed query per batch, well under PostgreSQL's 65,535 parameters. */
export const PSEUDONYM_BATCH = 1000;
/** Pseudonyms remembered after their lookup (≈ 100 bytes each, ≤ 20 MB): more than any trial's participants, so each is asked once. */
const MAX_TRACKED_PSEUDONYMS = 200_000;
/** Distinct unknown NDJSON keys counted by name; beyond, they are counted together (column null). */
const MAX_UNKNOWN_KEYS = 100;
const DEFAULT_EXAMPLES = 5;

export type TabularFormat = "csv" | "tsv" | "ndjson";

export type ValidateOptions = {
  format: TabularFormat;
  dictionary: DataDictionary;
  /** Which of `values` (≤ 1,000 distinct) are pseudonyms the trial's participants proved. */
  knownPseudonyms: (values: string[]) => Promise<Set<string>>;
  /** Examples kept of each problem kind (default 5). */
  examplesPerKind?: number;
};

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** R writes TRUE/FALSE, SAS and Stata 1/0, questionnaires yes/no: all read as booleans. */
const BOOLEANS = new Set(["true", "false", "yes", "no", "1", "0"]);

function isDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2026-02-30 over to March: a real calendar date survives the round trip.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const TYPE_MESSAGE: Record<DictionaryColumn["type"], string> = {
  integer: "Expected a whole number (digits with an optional sign, e.g. 42).",
  decimal: "Expected a decimal number with a point (e.g. 72.5).",
  date: "Expected a calendar date written yyyy-mm-dd (e.g. 2026-03-14).",
  boolean: "Expected true or false (also yes/no or 1/0).",
  code: "Expected one of the column's allowed codes.",
  text: "Expected text, not a JSON object or array.",
};

function truncate(value: string): string {
  return value.length > EXAMPLE_VALUE_CHARS ? `${value.slice(0, EXAMPLE_VALUE_CHARS)}…` : value;
}

/** A value NDJSON gave as an object or array: no column holds one. */
const NESTED = Symbol("nested");
type Cell = string | typeof NESTED;

type Checked = { column: DictionaryColumn; codes: Set<string> | null; required: boolean };

class Collector {
  readonly problems = new Map<string, ValidationReport["problems"][number]>();
  readonly examples: ValidationReport["examples"] = [];
  readonly perKind = new Map<ProblemKind, number>();
  errors = 0;

  constructor(readonly examplesPerKind: number) {}

  add(kind: ProblemKind, column: string | null, message: string, row: number, value: string, times = 1): void {
    const key = `${kind}\u0000${column ?? ""}`;
    const entry = this.problems.get(key);
    if (entry) entry.count += times;
    else this.problems.set(key, { column, kind, count: times, message });
    this.errors += times;
    this.example(kind, column, row, value);
  }

  example(kind: ProblemKind, column: string | null, row: number, value: string): void {
    const seen = this.perKind.get(kind) ?? 0;
    if (seen >= this.examplesPerKind) return;
    this.perKind.set(kind, seen + 1);
    this.examples.push({ kind, row, column, value: truncate(value) });
  }
}

/**
 * Looks pseudonyms up in batches of 1,000 distinct values. A row's verdict waits for its batch, so
 * rows are resolved in file order and the first examples are the first rows.
 */
class Pseudonyms {
  private readonly known = new Set<string>();
  private readonly unknown = new Set<string>();
  /** value → rows carrying it in this batch (count, and the first few row numbers). */
  private pending = new Map<string, { count: number; rows: number[] }>();
  private toLookUp = 0;
  unknownRows = 0;
  countIsLowerBound = false;
  readonly unknownExamples: string[] = [];

  constructor(
    private readonly column: string,
    private readonly lookUp: (values: string[]) => Promise<Set<string>>,
    private readonly collector: Collector,
  ) {}

  /** Notes `value` at `row`. @returns true when the batch is full: call `flush` before the next row. */
  see(value: string, row: number): boolean {
    if (this.known.has(value)) return false;
    let entry = this.pending.get(value);
    if (!entry) {
      entry = { count: 0, rows: [] };
      this.pending.set(value, entry);
      if (!this.unknown.has(value)) this.toLookUp++;
    }
    entry.count++;
    if (entry.rows.length < this.collector.examplesPerKind) entry.rows.push(row);
    return this.toLookUp >= PSEUDONYM_BATCH || this.pending.size >= 2 * PSEUDONYM_BATCH;
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.toLookUp = 0;
    const ask = [...batch.keys()].filter((v) => !this.unknown.has(v));
    const proven = ask.length ? await this.lookUp(ask) : new Set<string>();
    const unknownRows: Array<{ row: number; value: string }> = [];
    const message = "Not a pseudonym this trial's participants proved through the handover.";
    for (const [value, { count, rows }] of batch) {
      if (proven.has(value)) {
        this.remember(this.known, value);
        continue;
      }
      if (!this.unknown.has(value)) {
        if (this.remember(this.unknown, value)) {
          if (this.unknownExamples.length < this.collector.examplesPerKind) this.unknownExamples.push(truncate(value));
        }
      }
      this.unknownRows += count;
      for (const row of rows) unknownRows.push({ row, value });
      const key = `unknown-pseudonym\u0000${this.column}`;
      const entry = this.collector.problems.get(key);
      if (entry) entry.count += count;
      else this.collector.problems.set(key, { column: this.column, kind: "unknown-pseudonym", count, message });
      this.collector.errors += count;
    }
    // Examples in file order (the batch's map is in order of first appearance, not of rows).
    unknownRows.sort((a, b) => a.row - b.row);
    for (const { row, value } of unknownRows) this.collector.example("unknown-pseudonym", this.column, row, value);
  }

  /** @returns false when the cache is full (the value is then looked up again when it recurs). */
  private remember(set: Set<string>, value: string): boolean {
    if (this.known.size + this.unknown.size >= MAX_TRACKED_PSEUDONYMS) {
      if (set === this.unknown) this.countIsLowerBound = true;
      return false;
    }
    set.add(value);
    return true;
  }

  get unknownCount(): number {
    return this.unknown.size;
  }
}

/** The fatal error of a file that cannot be read on. */
class Unreadable extends Error {
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(message);
  }
}

/** The length of `buf` without a UTF-8 sequence cut off at its end (which the next chunk completes). */
function completeLength(buf: Uint8Array): number {
  for (let i = buf.length - 1; i >= Math.max(0, buf.length - 4); i--) {
    const b = buf[i] ?? 0;
    if ((b & 0xc0) === 0x80) continue;
    const needs = b < 0x80 ? 1 : (b & 0xe0) === 0xc0 ? 2 : (b & 0xf0) === 0xe0 ? 3 : (b & 0xf8) === 0xf0 ? 4 : 1;
    return buf.length - i < needs ? i : buf.length;
  }
  return buf.length;
}

/**
 * Fails on the first invalid UTF-8, chunk by chunk: csv-parse would otherwise turn bad bytes into
 * U+FFFD silently, and the release would carry corrupted values. `isUtf8` is Node's simdutf check
 * (GB/s); a character cut at a chunk's end is carried into the next chunk.
 */
class Utf8Guard {
  private carry: Buffer = Buffer.alloc(0);
  private offset = 0;

  check(chunk: Buffer): void {
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = completeLength(buf);
    if (!isUtf8(buf.subarray(0, cut))) {
      throw new Unreadable(`The file is not UTF-8 text (invalid bytes within bytes ${this.offset + 1}–${this.offset + cut}). Save it as UTF-8 and upload it again.`, null);
    }
    this.offset += cut;
    this.carry = Buffer.from(buf.subarray(cut));
  }

  end(): void {
    if (this.carry.length) throw new Unreadable("The file ends in the middle of a UTF-8 character.", null);
  }
}

export function source(input: AsyncIterable<Uint8Array> | NodeJS.ReadableStream): Readable {
  return input instanceof Readable ? input : Readable.from(input as AsyncIterable<Uint8Array>, { objectMode: false });
}

function csvFatal(error: CsvError, lastRecordLine: number): Unreadable {
  const line = typeof (error as { lines?: unknown }).lines === "number" ? (error as unknown as { lines: number }).lines : null;
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return new Unreadable(`A quoted field that starts after line ${lastRecordLine} is never closed: add the closing quote (").`, lastRecordLine + 1);
    case "CSV_MAX_RECORD_SIZE":
      return new Unreadable(`Line ${line ?? "?"}: a row is longer than 1 MiB, the limit per row.`, line);
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return new Unreadable(`Line ${line ?? "?"}: a closing quote is followed by other characters. Quote the whole field and double the quotes inside it ("").`, line);
    case "INVALID_OPENING_QUOTE":
      return new Unreadable(`Line ${line ?? "?"}: a quote inside an unquoted field. Quote the whole field and double the quotes inside it ("").`, line);
    default:
      return new Unreadable(`Line ${line ?? "?"}: the file is not valid CSV (${error.message}).`, line);
  }
}

/**
 * CSV/TSV records as arrays of strings, header first, one chunk's records at a time. The parser is
 * fed one chunk at a time and its records are taken as it finds them; the next chunk is read only
 * once they are checked. Memory holds one chunk's records, and a parse error (an unclosed quote at
 * the end) does not lose the rows read before it, as a stream destroyed by its error would.
 */
export async function* delimitedRecords(input: Readable, delimiter: string): AsyncGenerator<string[][]> {
  let queue: string[][] = [];
  let lastRecordLine = 0;
  let failure: unknown = null;
  const parser = parse({
    delimiter,
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    // TSV writers (pandas, Excel) quote a field holding a tab or a line break, yet a lone quote inside
    // a TSV value is ordinary text (IANA text/tab-separated-values has no quoting at all).
    relax_quotes: delimiter === "\t",
    max_record_size: MAX_ROW_BYTES,
  });
  // A flowing parser emits each record as it finds it, while the chunk is parsed; `info.lines` is
  // then the line the record ends on. (csv-parse's on_record hook does the same but builds a
  // context object per record: 40 % slower on the benchmark's file.)
  parser.on("data", (record: string[]) => {
    queue.push(record);
    lastRecordLine = parser.info.lines;
  });
  parser.on("error", (error: unknown) => (failure ??= error));
  const fatal = () => (failure instanceof CsvError ? csvFatal(failure, lastRecordLine) : failure);
  const guard = new Utf8Guard();
  try {
    for await (const chunk of input) {
      guard.check(chunk as Buffer);
      await new Promise<void>((resolve) => parser.write(chunk, () => resolve()));
      const records = queue;
      queue = [];
      if (records.length) yield records;
      if (failure) throw fatal();
    }
    guard.end();
    // "end": every record has been emitted (after the parser's flush, which finds an unclosed quote).
    await new Promise<void>((resolve) => {
      parser.once("end", resolve).once("error", () => resolve());
      parser.end();
    });
    if (queue.length) yield queue;
    if (failure) throw fatal();
  } finally {
    parser.destroy();
  }
}

/** NDJSON lines as `{ line, text }`, blank lines skipped; a line over 1 MiB is fatal. */
export async function* ndjsonLines(input: Readable): AsyncGenerator<{ line: number; text: string }> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let line = 0;
  let parts: Buffer[] = [];
  let partBytes = 0;
  const emit = (bytes: Buffer): { line: number; text: string } | null => {
    line++;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      throw new Unreadable(`Line ${line}: not UTF-8 text. Save the file as UTF-8 and upload it again.`, line);
    }
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.endsWith("\r")) text = text.slice(0, -1);
    return text.trim() === "" ? null : { line, text };
  };
  for await (const chunk of input) {
    let buf = chunk as Buffer;
    for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10)) {
      const piece = buf.subarray(0, nl);
      if (partBytes + piece.length > MAX_ROW_BYTES) throw new Unreadable(`Line ${line + 1}: a row is longer than 1 MiB, the limit per row.`, line + 1);
      const whole = parts.length ? Buffer.concat([...parts, piece]) : piece;
      parts = [];
      partBytes = 0;
      const next = emit(whole);
      if (next) yield next;
      buf = buf.subarray(nl + 1);
    }
    if (buf.length) {
      partBytes += buf.length;
      if (partBytes > MAX_ROW_BYTES) throw new Unreadable(`Line ${line + 1}: a row is longer than 1 MiB, the limit per row.`, line + 1);
      parts.push(Buffer.from(buf));
    }
  }
  if (parts.length) {
    const last = emit(Buffer.concat(parts));
    if (last) yield last;
  }
}

function cellOf(value: unknown): Cell {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return NESTED;
}

/**
 * Streams `input` and checks it against `opts.dictionary`: the header (missing required columns,
 * unknown and repeated ones), then every row — required values, the column types, allowed codes,
 * and the pseudonym column, whose values must be pseudonyms `knownPseudonyms` confirms.
 * Never throws for a bad file: a malformed or oversized one gives a report with a `fatal` error
 * and its line. Errors reading `input` itself (a storage failure) and from `knownPseudonyms` are thrown.
 */
export async function validateTabular(input: AsyncIterable<Uint8Array> | NodeJS.ReadableStream, opts: ValidateOptions): Promise<ValidationReport> {
  const collector = new Collector(opts.examplesPerKind ?? DEFAULT_EXAMPLES);
  const byName = new Map(opts.dictionary.columns.map((c) => [c.name, c]));
  const pseudonymColumn = opts.dictionary.columns.find((c) => c.pseudonym);
  const pseudonyms = pseudonymColumn ? new Pseudonyms(pseudonymColumn.name, opts.knownPseudonyms, collector) : null;
  const checked = (column: DictionaryColumn): Checked => ({
    column,
    codes: column.type === "code" ? new Set((column.codes ?? []).map((c) => c.code)) : null,
    required: column.required || Boolean(column.pseudonym),
  });
  const codeMessage = (column: DictionaryColumn) => {
    const codes = (column.codes ?? []).map((c) => c.code);
    return `Expected one of the allowed codes: ${codes.slice(0, 10).join(", ")}${codes.length > 10 ? `, … (${codes.length} in all)` : ""}.`;
  };

  const header: ValidationReport["header"] = { missing: [], unknown: [], duplicate: [] };
  let columns: string[] = opts.dictionary.columns.map((c) => c.name);
  let rows = 0;
  let fatal: ValidationReport["fatal"] = null;

  /**
   * Checks one value of a known column; empty values are checked for being required only.
   * Synchronous (an await per value would cost more than the checks): @returns true when a batch of
   * pseudonyms awaits its lookup.
   */
  function check(c: Checked, cell: Cell, row: number): boolean {
    const name = c.column.name;
    if (cell === NESTED) {
      collector.add("type", name, TYPE_MESSAGE[c.column.type], row, "(a JSON object or array)");
      return false;
    }
    if (cell.trim() === "") {
      if (c.required) collector.add("missing", name, c.column.pseudonym ? `“${name}” is the participant pseudonym: every row needs one.` : `“${name}” is required.`, row, "");
      return false;
    }
    let ok = true;
    switch (c.column.type) {
      case "integer":
        ok = INTEGER.test(cell);
        break;
      case "decimal":
        ok = DECIMAL.test(cell);
        break;
      case "date":
        ok = isDate(cell);
        break;
      case "boolean":
        ok = BOOLEANS.has(cell.toLowerCase());
        break;
      case "code":
        if (!c.codes?.has(cell)) collector.add("code", name, codeMessage(c.column), row, cell);
        break;
      case "text":
        break;
    }
    if (!ok) collector.add("type", name, TYPE_MESSAGE[c.column.type], row, cell);
    return c.column.pseudonym && pseudonyms ? pseudonyms.see(cell, row) : false;
  }

  try {
    if (opts.format === "ndjson") {
      const all = opts.dictionary.columns.map(checked);
      const unknownKeys = new Set<string>();
      for await (const { text } of ndjsonLines(source(input))) {
        rows++;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          value = undefined;
        }
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
          collector.add("json", null, "Expected one JSON object per line.", rows, text);
          continue;
        }
        const record = value as Record<string, unknown>;
        for (const key of Object.keys(record)) {
          if (byName.has(key)) continue;
          if (unknownKeys.size < MAX_UNKNOWN_KEYS) unknownKeys.add(key);
          const named = unknownKeys.has(key);
          collector.add("unknown-column", named ? key : null, "The dictionary does not describe this key.", rows, named ? "" : key);
        }
        let due = false;
        for (const c of all) due = check(c, cellOf(record[c.column.name]), rows) || due;
        if (due) await pseudonyms?.flush();
      }
    } else {
      let layout: Array<Checked | null> = [];
      let width = 0;
      for await (const records of delimitedRecords(source(input), opts.format === "tsv" ? "\t" : ",")) {
        for (const record of records) {
          if (width === 0) {
            if (record.length > MAX_COLUMNS) throw new Unreadable(`The header has ${record.length} columns; at most ${MAX_COLUMNS} are read.`, 1);
            columns = record.map((name) => name.trim());
            width = record.length;
            const seen = new Set<string>();
            layout = columns.map((name) => {
              if (seen.has(name)) {
                if (!header.duplicate.includes(name)) header.duplicate.push(name);
                return null;
              }
              seen.add(name);
              const column = byName.get(name);
              if (!column) header.unknown.push(name);
              return column ? checked(column) : null;
            });
            for (const column of opts.dictionary.columns) {
              if ((column.required || column.pseudonym) && !seen.has(column.name)) header.missing.push(column.name);
            }
            continue;
          }
          rows++;
          if (record.length !== width) {
            collector.add("field-count", null, `Expected ${width} fields per row, as in the header.`, rows, `${record.length} fields`);
          }
          let due = false;
          for (let i = 0; i < layout.length; i++) {
            const c = layout[i];
            if (c) due = check(c, record[i] ?? "", rows) || due;
          }
          if (due) await pseudonyms?.flush();
        }
      }
      if (width === 0) throw new Unreadable("The file is empty: it has no header row.", null);
    }
    await pseudonyms?.flush();
  } catch (error) {
    if (!(error instanceof Unreadable)) throw error;
    fatal = { message: error.message, line: error.line };
    await pseudonyms?.flush();
  }

  const headerErrors = header.missing.length + header.unknown.length + header.duplicate.length;
  const errors = headerErrors + collector.errors + (fatal ? 1 : 0);
  return {
    version: 1,
    format: opts.format,
    rows,
    columns: columns.slice(0, MAX_COLUMNS),
    header,
    problems: [...collector.problems.values()],
    examples: collector.examples.sort((a, b) => a.row - b.row),
    unknownPseudonyms: {
      count: pseudonyms?.unknownCount ?? 0,
      rows: pseudonyms?.unknownRows ?? 0,
      examples: pseudonyms?.unknownExamples ?? [],
      countIsLowerBound: pseudonyms?.countIsLowerBound ?? false,
    },
    fatal,
    errors,
    hasErrors: errors > 0,
  };
}
