// GET /trials/<registration number>/fhir — public: the trial's current record as a FHIR R4
// ResearchStudy (application/fhir+json). 404 for an unknown registration number.
import { AppError } from "@/lib/errors";
import { route } from "@/lib/handler";
import { toResearchStudy } from "@/lib/registry/fhir";
import { getPublicTrial } from "@/lib/registry/public/data";
import { registrationNumber } from "@/lib/schema/values";
import { z } from "zod";

export const dynamic = "force-dynamic";

export const GET = route({ name: "trials.fhir", access: "public", params: z.object({ number: registrationNumber }) }, async ({ params }) => {
  const trial = await getPublicTrial(params.number);
  const current = trial?.versions.at(-1);
  if (!trial || !current) throw new AppError("NOT_FOUND", "No trial has that registration number.");
  const study = toResearchStudy({ registrationNumber: trial.registrationNumber, record: current.record });
  return new Response(JSON.stringify(study, null, 2), {
    headers: { "content-type": "application/fhir+json; charset=utf-8", "cache-control": "no-store" },
  });
});
