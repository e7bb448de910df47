import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/registry/openapi";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** app/api/datasets/trials/[number]/group/route.ts → ["get", "/api/datasets/trials/{number}/group"] for each exported method. */
function datasetOperations(): [string, string][] {
  const dir = path.join(ROOT, "app/api/datasets");
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => /(^|[/\\])route\.tsx?$/.test(file))
    .flatMap((file) => {
      const url = `/api/datasets/${path.dirname(file)}`.split(path.sep).join("/").replace(/\/\.$/, "").replace(/\[([^\]]+)\]/g, "{$1}");
      const source = fs.readFileSync(path.join(dir, file), "utf8");
      return [...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m): [string, string] => [(m[1] ?? "").toLowerCase(), url]);
    });
}

describe("the datasets API in /api/openapi.json", () => {
  it("has an operation for every method of every route under app/api/datasets", () => {
    const operations = datasetOperations();
    expect(operations.length).toBeGreaterThanOrEqual(3);
    const paths = openApiDocument.paths as Record<string, Record<string, unknown>>;
    for (const [method, url] of operations) expect(paths[url], `${method.toUpperCase()} ${url} is not in lib/datasets/openapi.ts`).toHaveProperty([method]);
  });

  it("generates the release's sections from the zod schemas", () => {
    const schemas = openApiDocument.components.schemas as Record<string, { properties?: Record<string, unknown> }>;
    expect(Object.keys(schemas.ReleaseMetadata?.properties ?? {})).toEqual(expect.arrayContaining(["description", "keywords", "licence", "conditions", "releaseNotes"]));
    expect(JSON.stringify(schemas.DataDictionary)).toContain("pseudonym");
    expect(JSON.stringify(schemas.DataUseConditions)).toContain("GRU");
  });
});
