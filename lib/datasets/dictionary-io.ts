import { parse } from "csv-parse/browser/esm/sync";
import type { z } from "zod";
import { csvRow, csvUnguard } from "@/lib/csv";
import { codesFromText, codesToText } from "@/lib/datasets/dictionary-codes";
import { COLUMN_TYPES, type DataDictionary, type DictionaryColumn, dataDictionary } from "@/lib/datasets/dictionary";
import { AppError, type FieldErrors } from "@/lib/errors";

/**
 * A data dictionary as a CSV file (one row per column, the layout sponsors keep in a spreadsheet)
 * and as JSON. Isomorphic: the dictionary editor imports a CSV in the browser with the same code
 * the server runs (csv-parse's self-contained browser build, which needs no Node Buffer).
 *
 * CSV layout, header first (names are matched without case, spaces or underscores):
 *   name,label,type,unit,codes,required,description,pseudonym,direct_identifier
 * - `codes`, for code columns: REDCap's choices layout, `F, Female | M, Male` (lib/datasets/dictionary-codes.ts).
 * - `required`, `pseudonym`, `direct_identifier`: yes/no (also true/false, y/n, 1/0); empty is no.
 * - An empty cell is an absent value; rows whose cells are all empty are skipped.
 */

export const DICTIONARY_CSV_HEADER = ["name", "label", "type", "unit", "codes", "required", "description", "pseudonym", "direct_identifier"] as const;
type CsvKey = (typeof DICTIONARY_CSV_HEADER)[number];

/** 1 MiB: a dictionary of 500 columns with long descriptions and code lists is about 300 KB. */
export const MAX_DICTIONARY_BYTES = 1024 * 1024;
/** Problems listed per import: enough to fix a spreadsheet in one go, never a wall of text. */
const MAX_PROBLEMS = 50;

const normal = (header: string) => header.toLowerCase().replace(/[^a-z]/g, "");
const KEY_OF = new Map<string, CsvKey>(DICTIONARY_CSV_HEADER.map((k) => [normal(k), k]));
/** The CSV column that holds each dictionary field (for error messages). */
const CSV_NAME: Record<keyof DictionaryColumn, CsvKey> = {
  name: "name",
  label: "label",
  type: "type",
  unit: "unit",
  codes: "codes",
  required: "required",
  description: "description",
  pseudonym: "pseudonym",
  directIdentifier: "direct_identifier",
};

const YES = new Set(["yes", "y", "true", "1"]);
const NO = new Set(["no", "n", "false", "0"]);

const yesNo = (value: boolean | undefined) => (value === undefined ? "" : value ? "yes" : "no");

/** The dictionary as CSV (RFC 4180, CRLF), one row per column; `dictionaryFromCsv` reads it back unchanged. */
export function dictionaryToCsv(dictionary: DataDictionary): string {
  const rows = dictionary.columns.map((c) =>
    csvRow([
      c.name,
      c.label,
      c.type,
      c.unit,
      c.codes ? codesToText(c.codes, " | ") : undefined,
      yesNo(c.required),
      c.description,
      yesNo(c.pseudonym),
      yesNo(c.directIdentifier),
    ]),
  );
  return csvRow(DICTIONARY_CSV_HEADER) + rows.join("");
}

/** The dictionary as indented JSON, the form the API serves. */
export function dictionaryToJson(dictionary: DataDictionary): string {
  return `${JSON.stringify(dictionary, null, 2)}\n`;
}

type Problems = { errors: FieldErrors; first: string | null; count: number };

function note(problems: Problems, key: string, message: string): void {
  problems.count++;
  if (problems.count > MAX_PROBLEMS) return;
  (problems.errors[key] ??= []).push(message);
  problems.first ??= message;
}

function fail(problems: Problems, what: string): never {
  const more = problems.count > 1 ? ` (and ${problems.count - 1} more problem${problems.count > 2 ? "s" : ""})` : "";
  throw new AppError("VALIDATION", `${problems.first ?? `The ${what} has a problem.`}${more}`, { fieldErrors: problems.errors });
}

function codesOf(cell: string, at: string, problems: Problems, key: string): DictionaryColumn["codes"] {
  if (cell.trim() === "") return undefined;
  const { codes, unlabelled } = codesFromText(cell);
  for (const entry of unlabelled) {
    note(problems, key, `${at}: write each code as “code, label”, separated by “|” (e.g. “F, Female | M, Male”); “${entry}” has no label.`);
  }
  return codes;
}

function messageAt(issue: z.core.$ZodIssue, row: (i: number) => number): string {
  const [, index, field] = issue.path;
  if (typeof index !== "number") return `Column “pseudonym”: ${issue.message}`;
  const column = typeof field === "string" && field in CSV_NAME ? CSV_NAME[field as keyof DictionaryColumn] : "name";
  return `Row ${row(index)}, column “${column}”: ${issue.message}`;
}

/**
 * Reads a dictionary from CSV (the layout above; the first row is the header).
 * @throws AppError VALIDATION naming the row (the header is row 1) and column of each problem;
 *   `fieldErrors` are keyed by the dictionary path (`columns.2.type`), as the editor shows them
 */
export function dictionaryFromCsv(text: string): DataDictionary {
  const problems: Problems = { errors: {}, first: null, count: 0 };
  if (new TextEncoder().encode(text).length > MAX_DICTIONARY_BYTES) {
    note(problems, "_form", "The dictionary file is larger than 1 MiB: is it the data rather than its dictionary?");
    fail(problems, "dictionary");
  }
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, skip_records_with_empty_values: true });
  } catch (error) {
    const line = (error as { lines?: unknown }).lines;
    note(problems, "_form", `The dictionary is not valid CSV${typeof line === "number" ? ` (line ${line})` : ""}: ${(error as Error).message}`);
    fail(problems, "dictionary");
  }
  const [header, ...rows] = records;
  if (!header) {
    note(problems, "_form", "The dictionary file is empty.");
    fail(problems, "dictionary");
  }
  const keys = header.map((h) => KEY_OF.get(normal(h)));
  header.forEach((h, i) => {
    const key = keys[i];
    if (!key) note(problems, "_form", `Row 1, column ${i + 1}: “${h}” is not a dictionary column (the columns are ${DICTIONARY_CSV_HEADER.join(", ")}).`);
    else if (keys.indexOf(key) !== i) note(problems, "_form", `Row 1: the column “${key}” appears twice.`);
  });
  for (const needed of ["name", "label", "type"] as const) {
    if (!keys.includes(needed)) note(problems, "_form", `Row 1: the header has no “${needed}” column.`);
  }
  if (problems.count) fail(problems, "dictionary");
  if (rows.length === 0) {
    note(problems, "columns", "The dictionary has no columns: add one row per column of the data.");
    fail(problems, "dictionary");
  }

  const rowOf = (i: number) => i + 2;
  const columns = rows.map((record, i) => {
    const cell = (key: CsvKey) => {
      const at = keys.indexOf(key);
      return at === -1 ? "" : csvUnguard(record[at] ?? "");
    };
    const where = (key: CsvKey) => `Row ${rowOf(i)}, column “${key}”`;
    const flag = (key: CsvKey, field: keyof DictionaryColumn): boolean | undefined => {
      const value = cell(key).trim().toLowerCase();
      if (value === "") return undefined;
      if (YES.has(value)) return true;
      if (NO.has(value)) return false;
      note(problems, `columns.${i}.${field}`, `${where(key)}: write yes or no, not “${cell(key)}”.`);
      return undefined;
    };
    const type = cell("type").trim().toLowerCase();
    if (type && !(COLUMN_TYPES as readonly string[]).includes(type)) {
      note(problems, `columns.${i}.type`, `${where("type")}: “${cell("type")}” is not a type; the types are ${COLUMN_TYPES.join(", ")}.`);
    }
    const column: Record<string, unknown> = { name: cell("name").trim(), label: cell("label"), type, required: flag("required", "required") ?? false };
    const optional = { unit: cell("unit"), description: cell("description") };
    for (const [field, value] of Object.entries(optional)) if (value.trim() !== "") column[field] = value;
    const codes = codesOf(cell("codes"), where("codes"), problems, `columns.${i}.codes`);
    if (codes) column.codes = codes;
    const pseudonym = flag("pseudonym", "pseudonym");
    if (pseudonym !== undefined) column.pseudonym = pseudonym;
    const directIdentifier = flag("direct_identifier", "directIdentifier");
    if (directIdentifier !== undefined) column.directIdentifier = directIdentifier;
    return column;
  });
  if (problems.count) fail(problems, "dictionary");

  const parsed = dataDictionary.safeParse({ columns });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.slice(0, 3).map(String).join(".");
      note(problems, path || "columns", messageAt(issue, rowOf));
    }
    fail(problems, "dictionary");
  }
  return parsed.data;
}

/**
 * Reads a dictionary from its JSON form (`{ "columns": [...] }`).
 * @throws AppError VALIDATION naming each problem's column (1 is the first) and field
 */
export function dictionaryFromJson(text: string): DataDictionary {
  const problems: Problems = { errors: {}, first: null, count: 0 };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    note(problems, "_form", `The dictionary is not valid JSON: ${(error as Error).message}`);
    fail(problems, "dictionary");
  }
  const parsed = dataDictionary.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [, index, field] = issue.path;
      const place = typeof index === "number" ? `Column ${index + 1}${typeof field === "string" ? `, “${field}”` : ""}` : "The dictionary";
      note(problems, issue.path.slice(0, 3).map(String).join(".") || "_form", `${place}: ${issue.message}`);
    }
    fail(problems, "dictionary");
  }
  return parsed.data;
}
