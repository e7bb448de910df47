// GET /api/trials/{number} — public: the trial's registration number, registration time, current
// version and record, and every version with its digest, previous digest, creation time, outcome
// change flags and on-chain status. 404 for an unknown or malformed registration number.
import { AppError } from "@/lib/errors";
import { route } from "@/lib/handler";
import { getPublicTrial } from "@/lib/registry/public/data";
import { registrationNumber } from "@/lib/schema/values";
import { z } from "zod";

export const dynamic = "force-dynamic";

export const GET = route({ name: "trials.get", access: "public", params: z.object({ number: registrationNumber }) }, async ({ params }) => {
  const trial = await getPublicTrial(params.number);
  const current = trial?.versions.at(-1);
  if (!trial || !current) throw new AppError("NOT_FOUND", "No trial has that registration number.");
  return {
    registrationNumber: trial.registrationNumber,
    registeredAt: trial.createdAt,
    currentVersion: current.version,
    record: current.record,
    versions: trial.versions.map(({ record: _record, anchorItemId: _anchorItemId, ...version }) => version),
  };
});
