import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/registry/openapi";

const ROOT = path.resolve(import.meta.dirname, "../..");
const RELEASE_ROUTES = "app/api/datasets/[number]/releases/[release]";

describe("the dataset receipt routes in /api/openapi.json", () => {
  it("documents every route under app/api/datasets/[number]/releases/[release], with the Receipt schema", () => {
    const files = fs.readdirSync(path.join(ROOT, RELEASE_ROUTES), { recursive: true, encoding: "utf8" }).filter((f) => /(^|[/\\])route\.ts$/.test(f));
    const expected = files.map((f) => `/api/datasets/{number}/releases/{release}/${path.dirname(f).split(path.sep).join("/")}`.replace("[digest]", "{digest}"));
    expect(expected.sort()).toEqual([
      "/api/datasets/{number}/releases/{release}/files/{digest}/receipt",
      "/api/datasets/{number}/releases/{release}/manifest",
      "/api/datasets/{number}/releases/{release}/receipt",
    ]);
    const paths = openApiDocument.paths as Record<string, { get?: { responses: Record<string, unknown> } }>;
    for (const route of expected) expect(paths[route]?.get?.responses).toHaveProperty("200");
    expect(JSON.stringify(paths["/api/datasets/{number}/releases/{release}/receipt"])).toContain("#/components/schemas/Receipt");
    expect(openApiDocument.components.schemas.Receipt).toHaveProperty("properties.subject");
  });
});
