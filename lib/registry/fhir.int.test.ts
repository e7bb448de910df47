// The FHIR export as served (GET /trials/{number}/fhir) for trials registered through the registry,
// checked against the official R4 JSON schema: the interventional example and an observational
// study, which has no arms (it used to export "arm": [], which R4 forbids).
import { describe, expect, it } from "vitest";
import * as fhirRoute from "@/app/(public)/trials/[number]/fhir/route";
import { getSessionUser } from "@/lib/auth/data";
import { signUp } from "@/lib/auth/service";
import { handlerMeta } from "@/lib/handler";
import { createOrganization } from "@/lib/orgs/service";
import { exampleTrialRecord } from "@/lib/registry/example";
import type { TrialRecord } from "@/lib/registry/schema";
import { registerSigned } from "@/scripts/test/signing";
import { expectValidR4 } from "@/scripts/test/fhir-r4";
import { uniqueEmail } from "@/scripts/test/support";

const context = (params: Record<string, string>) => ({ params: Promise.resolve(params) });
// Auth.js reads the request's session only inside Next.js: called with no session, as a visitor.
const getFhir = (request: Request, params: Record<string, string>) => {
  const respond = handlerMeta(fhirRoute.GET)?.respondAs;
  if (!respond) throw new Error("not a wrapped route handler");
  return respond(null, request, context(params));
};

describe("GET /trials/{number}/fhir", () => {
  it("serves R4-valid ResearchStudy resources for interventional and observational trials", async () => {
    const created = await signUp({ name: "FHIR Sponsor", email: uniqueEmail("fhir"), password: "long enough password", accountType: "SPONSOR" });
    const user = await getSessionUser(created.id);
    if (!user) throw new Error("user vanished");
    const org = await createOrganization({ name: "FHIR Test Sponsor", creator: user });
    const observational: TrialRecord = { ...structuredClone(exampleTrialRecord), interventions: [], studyType: { type: "observational", phase: "not-applicable" } };

    for (const record of [structuredClone(exampleTrialRecord), observational]) {
      const { registrationNumber } = await registerSigned({ orgId: org.id, user, input: record });
      const response = await getFhir(new Request(`http://localhost/trials/${registrationNumber}/fhir`), { number: registrationNumber });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("application/fhir+json");
      const study = (await response.json()) as Record<string, unknown>;
      expect(study).toMatchObject({ resourceType: "ResearchStudy", id: registrationNumber });
      expectValidR4(study, `${registrationNumber} (${record.studyType.type})`);
    }
  });
});
