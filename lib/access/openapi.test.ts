import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/registry/openapi";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Every exported method of every route under `dir` (app-relative), as [method, OpenAPI path]. */
function operationsUnder(dir: string): [string, string][] {
  const base = path.join(ROOT, "app", dir);
  return fs
    .readdirSync(base, { recursive: true, encoding: "utf8" })
    .filter((file) => /(^|[/\\])route\.tsx?$/.test(file))
    .flatMap((file) => {
      const url = `/${dir}/${path.dirname(file)}`.split(path.sep).join("/").replace(/\/\.$/, "").replace(/\[([^\]]+)\]/g, "{$1}");
      const source = fs.readFileSync(path.join(base, file), "utf8");
      return [...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m): [string, string] => [(m[1] ?? "").toLowerCase(), url]);
    });
}

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
