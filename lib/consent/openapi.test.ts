import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { consentPaths } from "@/lib/consent/openapi";
import { openApiDocument } from "@/lib/registry/openapi";

const ROOT = path.resolve(import.meta.dirname, "../..");
type Operation = { requestBody?: { content: { "application/json": { schema: Record<string, unknown> } } } };

/** app/api/consent/trials/[number]/group/route.ts → ["get", "/api/consent/trials/{number}/group"] for each exported method. */
function consentOperations(): [string, string][] {
  const dir = path.join(ROOT, "app/api/consent");
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => /(^|[/\\])route\.tsx?$/.test(file))
    .flatMap((file) => {
      const url = `/api/consent/${path.dirname(file)}`.split(path.sep).join("/").replace(/\/\.$/, "").replace(/\[([^\]]+)\]/g, "{$1}");
      const source = fs.readFileSync(path.join(dir, file), "utf8");
      return [...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m): [string, string] => [(m[1] ?? "").toLowerCase(), url]);
    });
}

describe("the consent API in /api/openapi.json", () => {
  it("has an operation for every method of every route under app/api/consent", () => {
    const operations = consentOperations();
    expect(operations.length).toBeGreaterThanOrEqual(9);
    const paths = openApiDocument.paths as Record<string, Record<string, unknown>>;
    for (const [method, url] of operations) expect(paths[url], `${method.toUpperCase()} ${url} is not in lib/consent/openapi.ts`).toHaveProperty([method]);
  });

  it("describes request bodies from the zod schemas: a depth of exactly 20 and a commitment in the field", () => {
    const decision = (consentPaths["/api/consent/trials/{number}/decisions"].post as Operation).requestBody?.content["application/json"].schema;
    expect(decision).toMatchObject({ required: ["proof"], properties: { proof: { properties: { merkleTreeDepth: { minimum: 20, maximum: 20 } } } } });
    const enrolment = (consentPaths["/api/consent/enrolment"].post as Operation).requestBody?.content["application/json"].schema;
    expect(enrolment).toMatchObject({ required: ["code", "commitment"], properties: { commitment: { description: expect.stringContaining("0 < c < 2188824287") as string } } });
    // Every $ref points at a schema the document has.
    const text = JSON.stringify(openApiDocument);
    const schemas = openApiDocument.components.schemas as Record<string, unknown>;
    for (const [, name] of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) expect(schemas, name).toHaveProperty([name ?? ""]);
  });
});
