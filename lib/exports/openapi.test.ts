import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/registry/openapi";
import { operationsUnder } from "@/scripts/test/openapi-routes";

describe("the export API in /api/openapi.json", () => {
  it("has an operation for every method of every export and account route", () => {
    const operations = [...operationsUnder("api/exports"), ...operationsUnder("api/account")];
    expect(operations.length).toBeGreaterThanOrEqual(7);
    const paths = openApiDocument.paths as Record<string, Record<string, unknown>>;
    for (const [method, url] of operations) expect(paths[url], `${method.toUpperCase()} ${url} is not in lib/exports/openapi.ts`).toHaveProperty([method]);
  });
});
