// GET /api/trials — public: registered trials, newest first, as { trials, total, limit, offset };
// each trial is its registration number, public title, primary sponsor, conditions, phase,
// recruitment status, countries, current version and registration time. Filters: q, condition,
// phase, status, country, sponsor, limit (1–100, default 50), offset.
// POST /api/trials — sponsor, member of the organisation: registers a trial from
// { orgId, record, signature: { password, meaning } }, a signed act (21 CFR Part 11): the caller's
// password re-entered and the meaning "I submit this registration of “<public title>” as sponsor
// on behalf of <organisation>." (lib/registry/signature.ts); 201 with { registrationNumber }. 422
// naming signature.password or signature.meaning when either is wrong, and nothing is registered.
import { z } from "zod";
import { route } from "@/lib/handler";
import { searchTrials } from "@/lib/registry/public/data";
import { PHASES, RECRUITMENT_STATUSES, TRIAL_RECORD_BODY_LIMIT, trialRecordInput } from "@/lib/registry/schema";
import { singleLine } from "@/lib/schema/text";
import { recordId } from "@/lib/schema/values";
import { registerTrial } from "@/lib/registry/service";
import { signatureInput } from "@/lib/registry/signature";

export const dynamic = "force-dynamic";

/** A text filter: blank means no filter. 200: the longest title or condition name a record holds is 600; a search term is far shorter. */
const searchText = singleLine()
  .max(200, "Use at most 200 characters.")
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const listInput = z.object({
  q: searchText,
  condition: searchText,
  phase: z.enum(PHASES, { error: `Use one of: ${PHASES.join(", ")}.` }).optional(),
  status: z.enum(RECRUITMENT_STATUSES, { error: `Use one of: ${RECRUITMENT_STATUSES.join(", ")}.` }).optional(),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "Use a two-letter ISO country code, like GB.")
    .optional(),
  sponsor: searchText,
  // 100 per page: a page of summaries stays well under 100 KB; 50 fills a screen or two.
  limit: z.coerce.number().int("Use a whole number.").min(1, "Use at least 1.").max(100, "Use at most 100.").default(50),
  // 1,000,000: far past any registry's size, and keeps the number a small integer.
  offset: z.coerce.number().int("Use a whole number.").min(0, "Use 0 or more.").max(1_000_000, "Use at most 1,000,000.").default(0),
});

export const GET = route({ name: "trials.list", access: "public", input: listInput }, async ({ input }) => {
  const { limit, offset, ...search } = input;
  // The same search as the registry page; only the fields listed above leave the portal.
  const matching = await searchTrials(search);
  const trials = matching.slice(offset, offset + limit).map((t) => ({
    registrationNumber: t.registrationNumber,
    publicTitle: t.record.publicTitle,
    primarySponsor: t.record.primarySponsor,
    conditions: t.record.conditions,
    phase: t.record.studyType.phase,
    recruitmentStatus: t.record.recruitmentStatus,
    countries: t.record.countries,
    currentVersion: t.version,
    registeredAt: t.registeredOn,
  }));
  return { trials, total: matching.length, limit, offset };
});

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
