import { z } from "zod";
import { LOG_KINDS } from "@/lib/log/kinds";

/**
 * The table of entry kinds in docs/transparency-log.md, made from lib/log/kinds.ts, so the document
 * says exactly what the code lets into the public log. lib/audit/kinds-doc.test.ts fails when the
 * two differ; `UPDATE_DOCS=1 npx vitest run --project unit lib/audit/kinds-doc.test.ts` rewrites it.
 */

export const KINDS_START = "<!-- kinds:start (generated from lib/log/kinds.ts; see lib/audit/kinds-doc.ts) -->";
export const KINDS_END = "<!-- kinds:end -->";

type JsonSchema = {
  type?: string;
  pattern?: string;
  maxLength?: number;
  minimum?: number;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
};

/** Patterns people read more easily by name. A digest and a transaction hash share one (0x + 64 hex): the field's name tells them apart. */
function patternName(pattern: string, field: string): string {
  if (pattern === "^0x[0-9a-f]{64}$") return /tx/i.test(field) ? "transaction hash, 0x hex" : "SHA-256, 0x hex";
  if (pattern === "^[0-9a-f]{64}$") return "SHA-256, hex";
  if (pattern === "^0x[0-9a-f]{40}$") return "address, 0x hex";
  return `string /${pattern}/`;
}

function typeOf(schema: JsonSchema, field: string): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" or ");
  if (schema.type === "string") return schema.pattern ? patternName(schema.pattern, field) : "string";
  if (schema.type === "integer") return schema.minimum !== undefined ? `integer ≥ ${schema.minimum}` : "integer";
  if (schema.type === "object") return `{ ${fieldsOf(schema).join(", ")} }`;
  return schema.type ?? "value";
}

function fieldsOf(schema: JsonSchema): string[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, field]) => `${name}${required.has(name) ? "" : "?"}: ${typeOf(field, name)}`);
}

function cell(schema: z.ZodType | undefined): string {
  if (!schema) return "—";
  const fields = fieldsOf(z.toJSONSchema(schema, { io: "input" }) as JsonSchema);
  return fields.length ? fields.map((f) => `\`${f.replaceAll("|", "\\|")}\``).join("<br>") : "(none)";
}

/** The Markdown table of every kind: its label, its public fields and its committed private fields. */
export function kindsTable(): string {
  const rows = Object.entries(LOG_KINDS).map(([kind, spec]) => `| \`${kind}\` | ${spec.label} | ${cell(spec.public)} | ${cell(spec.private)} |`);
  return ["| Kind | Event | Public fields (in clear) | Private fields (only committed to) |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

/** `doc` with the generated table between its markers. @throws Error when the markers are missing */
export function withKindsTable(doc: string): string {
  const start = doc.indexOf(KINDS_START);
  const end = doc.indexOf(KINDS_END);
  if (start < 0 || end < start) throw new Error("docs/transparency-log.md has lost its kinds table markers");
  return `${doc.slice(0, start + KINDS_START.length)}\n${kindsTable()}\n${doc.slice(end)}`;
}
