import type { DictionaryColumn } from "@/lib/datasets/dictionary";

/**
 * A code column's allowed codes as text, the way people write them: `code, label` entries (REDCap's
 * choices layout), separated by `|` in a CSV cell and by line breaks in the editor. A `,` or `|`
 * inside a code, or a `|` inside a label, is written `\,` or `\|` (and `\` as `\\`). Isomorphic.
 */

export type AllowedCodes = NonNullable<DictionaryColumn["codes"]>;

const escapeCode = (text: string) => text.replace(/[\\,|]/g, (c) => `\\${c}`);
const escapeLabel = (text: string) => text.replace(/[\\|]/g, (c) => `\\${c}`);

export function codesToText(codes: AllowedCodes, separator: " | " | "\n"): string {
  return codes.map((x) => `${escapeCode(x.code)}, ${escapeLabel(x.label)}`).join(separator);
}

/** Splits at unescaped `|` and line breaks, keeping the escapes (each entry unescapes its own parts). */
function entries(text: string): string[] {
  const out: string[] = [];
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? "";
    if (c === "\\" && i + 1 < text.length) current += c + (text[++i] ?? "");
    else if (c === "|" || c === "\n") {
      out.push(current);
      current = "";
    } else current += c;
  }
  out.push(current);
  return out.filter((e) => e.trim() !== "");
}

/** `code, label` at the first unescaped comma, both unescaped and trimmed; null without a comma. */
function entry(text: string): { code: string; label: string } | null {
  let code = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? "";
    if (c === "\\" && i + 1 < text.length) code += text[++i];
    else if (c === ",") return { code: code.trim(), label: text.slice(i + 1).replace(/\\(.)/g, "$1").trim() };
    else code += c;
  }
  return null;
}

/** @returns the codes read, and each entry that has no `, label` (in the order written) */
export function codesFromText(text: string): { codes: AllowedCodes; unlabelled: string[] } {
  const codes: AllowedCodes = [];
  const unlabelled: string[] = [];
  for (const raw of entries(text)) {
    const read = entry(raw);
    if (read) codes.push(read);
    else unlabelled.push(raw.trim());
  }
  return { codes, unlabelled };
}
