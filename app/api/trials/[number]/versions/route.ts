// POST /api/trials/{number}/versions — sponsor, member of the trial's organisation: amends the
// trial from { basedOnVersion, record, signature: { password, meaning } }, a signed act (21 CFR
// Part 11): the caller's password re-entered and the meaning "I submit this amendment of <number>,
// “<public title>”, as version <n>, as sponsor on behalf of <organisation>."
// (lib/registry/signature.ts); 201 with { version }. 409 when basedOnVersion is no longer the
// current version, 422 when the record is invalid or unchanged, or naming signature.password or
// signature.meaning when either is wrong (nothing is amended then).
import { z } from "zod";
import { route } from "@/lib/handler";
import { TRIAL_RECORD_BODY_LIMIT, trialRecordInput } from "@/lib/registry/schema";
import { amendTrial } from "@/lib/registry/service";
import { signatureInput } from "@/lib/registry/signature";
import { registrationNumber } from "@/lib/schema/values";

export const dynamic = "force-dynamic";

const amendInput = z.strictObject({
  // 1,000,000: no trial is amended that often; bounds the number to a small integer.
  basedOnVersion: z
    .number({ error: "Give the version you edited, as a number." })
    .int("Give a whole version number.")
    .min(1, "Versions start at 1.")
    .max(1_000_000, "That is not a version of this trial."),
  record: trialRecordInput,
  signature: signatureInput,
});

export const POST = route(
  { name: "trials.amend", access: ["sponsor"], input: amendInput, params: z.object({ number: registrationNumber }), body: { kind: "json", maxBytes: TRIAL_RECORD_BODY_LIMIT } },
  async ({ input, session, params }) => {
    const { version } = await amendTrial({
      registrationNumber: params.number,
      user: session,
      input: input.record,
      basedOnVersion: input.basedOnVersion,
      signature: input.signature,
    });
    return Response.json({ version }, { status: 201, headers: { "cache-control": "no-store" } });
  },
);
