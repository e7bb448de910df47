import { z } from "zod";

/**
 * Building blocks of the portal's OpenAPI 3.1 document (/api/openapi.json), shared by the domains
 * that describe their routes (lib/registry/openapi.ts, lib/consent/openapi.ts). OpenAPI 3.1 schemas
 * are JSON Schema 2020-12, which is what `z.toJSONSchema` emits; `io: "input"` describes what a
 * client sends, before trimming.
 */

/** A zod schema as the JSON Schema the document embeds. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return rest;
}

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: unknown) => ({ "application/json": { schema } });
export const error = (description: string) => ({ description, content: json(ref("Error")) });

/** The `{number}` path parameter: a registration number. */
export const registrationNumberParam = {
  name: "number",
  in: "path",
  required: true,
  description: "The registration number, like TLR-2026-00042 (letter case and surrounding spaces are ignored).",
  schema: { type: "string", pattern: "^TLR-\\d{4}-(\\d{5}|[1-9]\\d{5,15})$" },
};
