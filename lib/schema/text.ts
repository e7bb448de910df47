import { z } from "zod";

/**
 * The one definition of "text a person typed", used by every domain schema, so that a new field
 * refuses what no field can store or export:
 *
 * - control characters: C0 (U+0000–U+001F), DEL and C1 (U+007F–U+009F). PostgreSQL refuses U+0000
 *   in text and jsonb (errors 22021 / 22P05, which were 500s); XML 1.0 — and so FHIR's XML form and
 *   the official R4 JSON schema's string pattern — refuses the rest (a form feed in a title broke the
 *   FHIR export). Multi-line text keeps tab, line feed and carriage return, which a pasted paragraph has.
 * - unpaired UTF-16 surrogates (U+D800–U+DFFF alone): no UTF-8 encoding exists for them, so they
 *   cannot be hashed as canonical JSON (RFC 8785 refuses them), stored as UTF-8, or shown.
 *
 * The message names the character and its position, so a person can find it in a long paste.
 */

// Built from code points so that the source holds no control characters itself.
const C0_EXCEPT_TAB_LF_CR = "\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F";
const SINGLE_LINE_FORBIDDEN = new RegExp(`[\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]|\\p{Cs}`, "u");
const MULTI_LINE_FORBIDDEN = new RegExp(`[${C0_EXCEPT_TAB_LF_CR}\\u007F-\\u009F]|\\p{Cs}`, "u");

export type TextKind = "single-line" | "multi-line";

function describe(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  if (code >= 0xd800 && code <= 0xdfff) return `an unpaired surrogate (${hex})`;
  if (char === "\t") return "a tab";
  if (char === "\n" || char === "\r" || code === 0x2028 || code === 0x2029) return `a line break (${hex})`;
  return `a control character (${hex})`;
}

/**
 * Why `value` cannot be stored as text of `kind`, or undefined when it can.
 * Single-line text also refuses tab and line breaks (U+2028/U+2029 included): a title, a name or
 * an identifier is printed on one line in lists, CSV files and FHIR `title`.
 */
export function textProblem(value: string, kind: TextKind): string | undefined {
  const match = (kind === "single-line" ? SINGLE_LINE_FORBIDDEN : MULTI_LINE_FORBIDDEN).exec(value);
  if (!match) return undefined;
  // Positions count characters as people see them (code points), from 1.
  const position = [...value.slice(0, match.index)].length + 1;
  const oneLine = kind === "single-line" && /[\t\n\r\u2028\u2029]/.test(match[0]) ? ": this field is one line" : "";
  return `Remove ${describe(match[0])} at character ${position}${oneLine}.`;
}

/** Adds the text check to a string schema; checks run in order, so add it after `.trim()`. */
export function plainText<S extends z.ZodType<string, string>>(schema: S, kind: TextKind): S {
  return schema.superRefine((value, ctx) => {
    const problem = textProblem(value, kind);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
}

/**
 * A trimmed string of one line (a title, a name, an organisation, an identifier). Trimmed before
 * the check, so a title pasted with a trailing line break is kept rather than refused.
 */
export function singleLine(error?: string): z.ZodString {
  return plainText(z.string(error === undefined ? undefined : { error }).trim(), "single-line");
}

/** A trimmed string that may hold paragraphs (criteria, descriptions, consent texts). */
export function multiLine(error?: string): z.ZodString {
  return plainText(z.string(error === undefined ? undefined : { error }).trim(), "multi-line");
}
