// GET /api/trials/{number}/files/{digest}/receipt — public: the anchoring receipt of a file
// attached to the trial; 200 once anchored, 202 { state, since, lastError? } until then, 404 for
// a file the trial does not have.
import { anchorStateResponse } from "@/lib/anchoring/response";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/handler";
import { findTrialFile } from "@/lib/registry/data";

export const dynamic = "force-dynamic";

export const GET = route({ name: "trials.fileReceipt", access: "public" }, async ({ params }) => {
  const number = typeof params.number === "string" ? params.number.trim().toUpperCase() : "";
  const digest = typeof params.digest === "string" ? params.digest.toLowerCase() : "";
  const file = /^0x[0-9a-f]{64}$/.test(digest) ? await findTrialFile(number, digest) : null;
  if (!file?.anchorItemId) throw new AppError("NOT_FOUND", "That trial has no file with that digest.");
  return anchorStateResponse(file.anchorItemId);
});
