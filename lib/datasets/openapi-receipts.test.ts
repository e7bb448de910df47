import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/registry/openapi";

// That every route under app/api/datasets has a path is lib/datasets/openapi.test.ts's check;
// this one checks what the receipt routes promise: the version 2 Receipt schema.
describe("the dataset receipt routes in /api/openapi.json", () => {
  it("documents the manifest and both receipts, the receipts with the Receipt schema", () => {
    const paths = openApiDocument.paths as Record<string, { get?: { responses: Record<string, unknown> } }>;
    for (const route of ["files/{digest}/receipt", "manifest", "receipt"]) {
      expect(paths[`/api/datasets/{number}/releases/{release}/${route}`]?.get?.responses).toHaveProperty("200");
    }
    expect(JSON.stringify(paths["/api/datasets/{number}/releases/{release}/receipt"])).toContain("#/components/schemas/Receipt");
    expect(JSON.stringify(paths["/api/datasets/{number}/releases/{release}/files/{digest}/receipt"])).toContain("#/components/schemas/Receipt");
    expect(openApiDocument.components.schemas.Receipt).toHaveProperty("properties.subject");
  });
});
