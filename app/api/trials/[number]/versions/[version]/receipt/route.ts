// GET /api/trials/{number}/versions/{version}/receipt — public: the anchoring receipt of that
// version's digest (docs/receipt-format.md), 200 once its batch is anchored and confirmed; until
// then 202 with { state: "pending" | "sent", since, lastError?, transaction? }. 404 for an
// unknown or malformed trial or version.
import { anchorStateResponse } from "@/lib/anchoring/response";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/handler";
import { getVersionAnchorItem } from "@/lib/registry/data";
import { parseRegistrationNumber } from "@/lib/registry/schema";

export const dynamic = "force-dynamic";

// Up to 9 digits without a leading zero: a version number as the API prints it, nothing else.
const VERSION = /^[1-9]\d{0,8}$/;

export const GET = route({ name: "trials.receipt", access: "public" }, async ({ params }) => {
  const number = typeof params.number === "string" ? params.number : "";
  const version = typeof params.version === "string" ? params.version : "";
  const item =
    parseRegistrationNumber(number) && VERSION.test(version) ? await getVersionAnchorItem(number.trim().toUpperCase(), Number(version)) : null;
  if (!item) throw new AppError("NOT_FOUND", "That trial has no such version.");
  if (!item.anchorItemId) throw new AppError("NOT_FOUND", "That version was not queued for anchoring.");
  return anchorStateResponse(item.anchorItemId);
});
