import { z } from "zod";

/**
 * The validation report of one tabular file (DatasetFile.report, stored as JSON): what
 * lib/datasets/validate.ts found when it streamed the file against the release's dictionary.
 * Parsed with this schema when read back, so a page never trusts a stored shape blindly.
 */

/** The kinds of problem a row can have; each is counted per column (null: the row as a whole). */
export const PROBLEM_KINDS = [
  /** A required value is empty (or, in NDJSON, absent or null). */
  "missing",
  /** The value does not parse as the column's type (integer, decimal, date, boolean). */
  "type",
  /** A code column's value is not one of its allowed codes. */
  "code",
  /** A pseudonym the trial's participants have not proved through the handover. */
  "unknown-pseudonym",
  /** A CSV/TSV row with more or fewer fields than the header. */
  "field-count",
  /** An NDJSON line that is not a JSON object. */
  "json",
  /** An NDJSON key, or a nested value, the dictionary does not describe. */
  "unknown-column",
] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

/** Examples keep 80 characters of a value: enough to recognise it, never a whole free-text field. */
export const EXAMPLE_VALUE_CHARS = 80;

const count = z.number().int().nonnegative();

export const problemExample = z
  .object({
    /** 1 is the first data row (the header is not counted; in NDJSON, the first non-blank line). */
    row: z.number().int().positive(),
    column: z.string().nullable(),
    /** At most 80 characters, an ellipsis marking a cut. */
    value: z.string().max(EXAMPLE_VALUE_CHARS + 1),
  })
  .strict();

export const validationReport = z
  .object({
    version: z.literal(1),
    format: z.enum(["csv", "tsv", "ndjson"]),
    /** Data rows read (the header excluded); up to the fatal error when there is one. */
    rows: count,
    /** The columns of the header as read (CSV/TSV); for NDJSON, the dictionary's columns. */
    columns: z.array(z.string()).max(1000),
    header: z
      .object({
        /** Required columns the header lacks (the pseudonym column always counts as required). */
        missing: z.array(z.string()),
        /** Columns the dictionary does not describe: refused, as they may hold anything. */
        unknown: z.array(z.string()),
        /** Column names the header repeats. */
        duplicate: z.array(z.string()),
      })
      .strict(),
    /** Per column and kind: how many rows have the problem, with a sentence saying what is expected. */
    problems: z.array(z.object({ column: z.string().nullable(), kind: z.enum(PROBLEM_KINDS), count: count.min(1), message: z.string() }).strict()),
    /** The first rows of each kind, in file order (`examplesPerKind` of each). */
    examples: z.array(problemExample.extend({ kind: z.enum(PROBLEM_KINDS) }).strict()),
    unknownPseudonyms: z
      .object({
        /** Distinct unknown values. */
        count,
        /** Rows carrying one of them. */
        rows: count,
        /** The first distinct ones, in file order (truncated like example values). */
        examples: z.array(z.string()),
        /** True when there were too many distinct pseudonyms to track them all: `count` is then a lower bound. */
        countIsLowerBound: z.boolean(),
      })
      .strict(),
    /** What stopped the reading (a malformed row, a limit), with its line when known; null when the file was read to the end. */
    fatal: z.object({ message: z.string(), line: z.number().int().positive().nullable() }).strict().nullable(),
    /** Header problems + row problems + the fatal error. */
    errors: count,
    hasErrors: z.boolean(),
  })
  .strict();

export type ValidationReport = z.infer<typeof validationReport>;
export type ProblemExample = z.infer<typeof problemExample>;
