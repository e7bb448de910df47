import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/registry/openapi";

describe("the GA4GH Passport routes in /api/openapi.json", () => {
  it("documents the passport (researchers' session, 401 and 403) and the JWKS its visas point at", () => {
    const paths = openApiDocument.paths as Record<string, { get?: { operationId: string; security?: unknown; responses: Record<string, unknown> } }>;
    const passport = paths["/api/ga4gh/passport"]?.get;
    expect(passport?.operationId).toBe("getPassport");
    expect(passport?.security).toEqual([{ session: [] }]);
    expect(Object.keys(passport?.responses ?? {}).sort()).toEqual(["200", "401", "403"]);
    expect(JSON.stringify(passport?.responses["200"])).toContain("#/components/schemas/Passport");
    expect(paths["/.well-known/jwks.json"]?.get?.operationId).toBe("getVisaKeys");
    expect(openApiDocument.components.schemas).toHaveProperty("Passport.properties.ga4gh_passport_v1");
    expect(openApiDocument.components.schemas).toHaveProperty("VisaKeySet.properties.keys");
  });
});
