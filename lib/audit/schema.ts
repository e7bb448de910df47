import { z } from "zod";
import { isLogKind } from "@/lib/log/kinds";
import { singleLine } from "@/lib/schema/text";

/**
 * The audit trail's filters, as a page's query string or the CSV route's sends them. Every one is
 * optional; a blank one (an empty form field) does not narrow the search. A value that is present
 * but names nothing (an unknown e-mail address, an unknown organisation) matches nothing — it never
 * widens to "everything" (STYLE §6).
 */

/** 50 entries a page: a screen or two of the trail; the CSV export has no page size. */
export const AUDIT_PAGE_SIZE = 50;

const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
/** One line of plain text: a NUL or lone surrogate never reaches a query (PostgreSQL 22021). */
const optionalText = (max: number) => z.preprocess(blankToUndefined, singleLine().max(max).optional());

/**
 * A point in time, read as UTC: a day (`2026-12-02`, from a date field) or a local date-time
 * without zone (`2026-12-02T04:26`, from a datetime-local field), or a full ISO 8601 instant.
 * `end` makes a bare day mean its last millisecond, so `to=2026-12-02` includes that day.
 */
function instant(end: boolean) {
  return z.preprocess(
    blankToUndefined,
    z
      .string()
      .max(40)
      .transform((text, ctx) => {
        const day = /^\d{4}-\d{2}-\d{2}$/.test(text);
        const local = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(text);
        const date = new Date(day ? `${text}T00:00:00.000Z` : local ? `${text}Z` : text);
        if (Number.isNaN(date.getTime()) || !/^\d{4}-/.test(text)) {
          ctx.addIssue({ code: "custom", message: "Enter a date like 2026-12-02, or a date and time like 2026-12-02T14:30 (UTC)." });
          return z.NEVER;
        }
        return day && end ? new Date(date.getTime() + 86_400_000 - 1) : date;
      })
      .optional(),
  );
}

const MAX_BIGINT = 2n ** 63n - 1n;

/** A row id as the paging links carry it: decimal, at most 19 digits (PostgreSQL bigint). */
const cursor = z.preprocess(
  blankToUndefined,
  z
    .string()
    .regex(/^\d{1,19}$/, "Not a page of the trail.")
    .transform((text) => BigInt(text))
    .refine((id) => id <= MAX_BIGINT, "Not a page of the trail.")
    .optional(),
);

export const auditFilterInput = z.object({
  /**
   * Who acted: an account's e-mail address or id, `system:<name>` for a portal process,
   * `participant` or `anonymous`. 320: the longest e-mail address, with room for a prefix.
   */
  actor: optionalText(320),
  kind: z.preprocess(
    blankToUndefined,
    z
      .string()
      .max(80)
      .refine((value) => isLogKind(value), "Not a kind of entry.")
      .optional(),
  ),
  /** What the event was about: a type (`trial`), or a type and id (`trial:TL-2026-000001`). 240: type (40) + id (200). */
  subject: optionalText(240),
  from: instant(false),
  to: instant(true),
  /** Site administrators only: an organisation's address (slug). */
  org: optionalText(64),
  /** Older than this row id (the "older" paging link). */
  before: cursor,
  /** Newer than this row id (the "newer" paging link). */
  after: cursor,
});

export type AuditFilterInput = z.input<typeof auditFilterInput>;
export type AuditFilter = z.output<typeof auditFilterInput>;

/** The query-string keys of a filter, without the paging cursors (for the CSV link and "newest"). */
export const FILTER_KEYS = ["actor", "kind", "subject", "from", "to", "org"] as const;

/**
 * Reads a filter from a page's search params. A field that does not parse (a hand-edited URL) is
 * reported and dropped, so the page shows the error beside the field instead of failing.
 */
export function auditFilterFrom(params: Record<string, string | string[] | undefined>): { filter: AuditFilter; errors: Record<string, string[]> } {
  return filterFrom(auditFilterInput, params);
}

function filterFrom<S extends z.ZodType<object>>(schema: S, params: Record<string, string | string[] | undefined>): { filter: z.output<S>; errors: Record<string, string[]> } {
  const raw: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(params)) raw[key] = Array.isArray(value) ? value[0] : value;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { filter: parsed.data, errors: {} };
  const errors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? "");
    (errors[key] ??= []).push(issue.message);
    delete raw[key];
  }
  // Every field is optional, so without the fields at fault the rest parses.
  return { filter: schema.parse(raw), errors };
}

/** The subject filter split into its type and optional id: `trial:TL-1` → { type: "trial", id: "TL-1" }. */
export function subjectFilterOf(subject: string): { type: string; id?: string } {
  const colon = subject.indexOf(":");
  if (colon < 0) return { type: subject };
  const id = subject.slice(colon + 1).trim();
  return id ? { type: subject.slice(0, colon).trim(), id } : { type: subject.slice(0, colon).trim() };
}

/** 25 entries a page on /transparency: each shows its public details in full. */
export const PUBLIC_PAGE_SIZE = 25;

const logIndexText = z.preprocess(
  blankToUndefined,
  z
    .string()
    .regex(/^(0|[1-9]\d{0,15})$/, "An entry's index is a whole number, like 42.")
    .transform(Number)
    .refine(Number.isSafeInteger, "An entry's index is a whole number, like 42.")
    .optional(),
);

/**
 * The public entry search on /transparency: only what entries say in clear. An actor is an account
 * id (public in every entry) or a kind of actor, never an e-mail address: resolving addresses to
 * accounts for anyone would publish which addresses have accounts.
 */
export const publicEntryFilterInput = z.object({
  index: logIndexText,
  kind: auditFilterInput.shape.kind,
  subject: optionalText(240),
  actor: z.preprocess(blankToUndefined, singleLine().max(200).refine((value) => !value.includes("@"), "Search by account id: e-mail addresses are not public.").optional()),
  /** Entries with an index below this one (the "older" link). */
  below: logIndexText,
});

export type PublicEntryFilter = z.output<typeof publicEntryFilterInput>;

/** Like auditFilterFrom, for the public search: fields that do not parse are named and dropped. */
export function publicEntryFilterFrom(params: Record<string, string | string[] | undefined>): { filter: PublicEntryFilter; errors: Record<string, string[]> } {
  return filterFrom(publicEntryFilterInput, params);
}
