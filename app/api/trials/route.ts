// GET /api/trials — public: the registry's search (lib/search/schema.ts `searchQuery`, the same as
// the /trials page): { total, totalIsExact, page, pageSize, results, facets }; each result is the
// trial's registration number, public title, primary sponsor, conditions, phase, recruitment status,
// countries, current version and registration time. Filters q, phase, status, country, sponsor;
// sort; page (≥ 1) and pageSize (1–100, default 20). The count stops at 1,000 ("totalIsExact": false).
// POST /api/trials — sponsor, member of the organisation: registers a trial from
// { orgId, record, signature: { password, meaning } }, a signed act (21 CFR Part 11): the caller's
// password re-entered and the meaning "I submit this registration of “<public title>” as sponsor
// on behalf of <organisation>." (lib/registry/signature.ts); 201 with { registrationNumber }. 422
// naming signature.password or signature.meaning when either is wrong, and nothing is registered.
import { z } from "zod";
import { route } from "@/lib/handler";
import { TRIAL_RECORD_BODY_LIMIT, trialRecordInput } from "@/lib/registry/schema";
import { recordId } from "@/lib/schema/values";
import { registerTrial } from "@/lib/registry/service";
import { signatureInput } from "@/lib/registry/signature";
import { searchCatalogue } from "@/lib/search/data";
import { searchQuery } from "@/lib/search/schema";

export const dynamic = "force-dynamic";

export const GET = route({ name: "trials.list", access: "public", input: searchQuery }, ({ input }) => searchCatalogue("trial", input));

const registerInput = z.strictObject({
  orgId: recordId,
  record: trialRecordInput,
  signature: signatureInput,
});

export const POST = route(
  { name: "trials.register", access: ["sponsor"], input: registerInput, body: { kind: "json", maxBytes: TRIAL_RECORD_BODY_LIMIT } },
  async ({ input, session }) => {
    const trial = await registerTrial({ orgId: input.orgId, user: session, input: input.record, signature: input.signature });
    return Response.json({ registrationNumber: trial.registrationNumber }, { status: 201, headers: { "cache-control": "no-store" } });
  },
);
