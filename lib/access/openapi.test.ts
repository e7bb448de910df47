import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/registry/openapi";
import { operationsUnder } from "@/scripts/test/openapi-routes";

describe("the access-request API in /api/openapi.json", () => {
  it("has an operation for every method of every route of requests, documents and the committee", () => {
    const operations = [...operationsUnder("api/access"), ...operationsUnder("api/committee"), ...operationsUnder("api/uploads/access")];
    expect(operations.length).toBeGreaterThanOrEqual(10);
    const paths = openApiDocument.paths as Record<string, Record<string, unknown>>;
    for (const [method, url] of operations) expect(paths[url], `${method.toUpperCase()} ${url} is not in lib/access/openapi.ts`).toHaveProperty([method]);
  });

  it("generates the request form and the decision from the zod schemas", () => {
    const schemas = openApiDocument.components.schemas as Record<string, unknown>;
    expect(JSON.stringify(schemas.AccessRequestForm)).toContain("laySummary");
    expect(JSON.stringify(schemas.AccessDecision)).toContain("approve-with-conditions");
  });
});
