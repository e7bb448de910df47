// GET /api/ontology/terms through the route wrapper, on the built-in Mondo subset, signed out.
import { beforeAll, describe, expect, it } from "vitest";
import * as openApiRoute from "@/app/api/openapi.json/route";
import * as termsRoute from "@/app/api/ontology/terms/route";
import { seedOntologyIfEmpty } from "@/lib/duo/mutations";
import { handlerMeta } from "@/lib/handler";

async function get(query: string): Promise<{ status: number; body: { terms?: Array<{ id: string; label: string }>; error?: { fieldErrors?: Record<string, string[]> } } }> {
  const response = await handlerMeta(termsRoute.GET)?.respondAs?.(null, new Request(`http://localhost/api/ontology/terms?${query}`));
  if (!response) throw new Error("not a route");
  return { status: response.status, body: (await response.json()) as never };
}

beforeAll(async () => {
  await seedOntologyIfEmpty();
});

describe("GET /api/ontology/terms", () => {
  it("suggests terms as one types, signed out", async () => {
    const { status, body } = await get("q=cutaneous%20mel");
    expect(status).toBe(200);
    expect(body.terms?.[0]).toEqual({ id: "MONDO:0005012", label: "cutaneous melanoma" });
    expect((await get("q=")).body.terms).toEqual([]);
    expect((await get("")).body.terms).toEqual([]);
  });

  it("gives the labels of ids in the order asked, leaving out unknown ones", async () => {
    const { body } = await get("ids=MONDO:0005148,MONDO:9999999,MONDO:0001134");
    expect(body.terms).toEqual([
      { id: "MONDO:0005148", label: "type 2 diabetes mellitus" },
      { id: "MONDO:0001134", label: "essential hypertension" },
    ]);
  });

  it("refuses a malformed id or an overlong query with 422 naming the field", async () => {
    const bad = await get("ids=MONDO:0005148,DOID:1909");
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.error?.fieldErrors ?? {})[0]).toMatch(/^ids/);
    const long = await get(`q=${"a".repeat(101)}`);
    expect(long.status).toBe(422);
    expect(long.body.error?.fieldErrors).toHaveProperty("q");
  });

  it("is in the OpenAPI document", async () => {
    const response = await handlerMeta(openApiRoute.GET)?.respondAs?.(null, new Request("http://localhost/api/openapi.json"));
    const doc = (await response?.json()) as { paths: Record<string, { get?: { operationId: string } }>; components: { schemas: Record<string, unknown> } };
    expect(doc.paths["/api/ontology/terms"]?.get?.operationId).toBe("searchOntologyTerms");
    expect(doc.components.schemas).toHaveProperty("OntologyTerms");
  });
});
