// GET /api/trials/{number}/files/{digest}/receipt — public: the anchoring receipt of a file
// attached to the trial; 200 once anchored, 202 { state, since, lastError? } until then, 404 for
// a file the trial does not have.
import { anchorStateResponse } from "@/lib/anchoring/response";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/handler";
import { findTrialFile } from "@/lib/registry/data";
import { digest, registrationNumber } from "@/lib/schema/values";
import { z } from "zod";

export const dynamic = "force-dynamic";

const fileParams = z.object({ number: registrationNumber, digest });

export const GET = route({ name: "trials.fileReceipt", access: "public", params: fileParams }, async ({ params }) => {
  const file = await findTrialFile(params.number, params.digest);
  if (!file?.anchorItemId) throw new AppError("NOT_FOUND", "That trial has no file with that digest.");
  return anchorStateResponse(file.anchorItemId);
});
