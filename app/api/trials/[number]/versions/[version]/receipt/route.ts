// GET /api/trials/{number}/versions/{version}/receipt — public: the anchoring receipt of that
// version's digest (docs/receipt-format.md), 200 once its batch is anchored and confirmed; until
// then 202 with { state: "pending" | "sent", since, lastError?, transaction? }. 404 for an
// unknown or malformed trial or version.
import { anchorStateResponse } from "@/lib/anchoring/response";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/handler";
import { getVersionAnchorItem } from "@/lib/registry/data";
import { registrationNumber, version } from "@/lib/schema/values";
import { z } from "zod";

export const dynamic = "force-dynamic";

export const GET = route({ name: "trials.receipt", access: "public", params: z.object({ number: registrationNumber, version }) }, async ({ params }) => {
  const item = await getVersionAnchorItem(params.number, params.version);
  if (!item) throw new AppError("NOT_FOUND", "That trial has no such version.");
  if (!item.anchorItemId) throw new AppError("NOT_FOUND", "That version was not queued for anchoring.");
  return anchorStateResponse(item.anchorItemId);
});
