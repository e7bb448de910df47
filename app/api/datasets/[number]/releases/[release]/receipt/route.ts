// GET /api/datasets/{number}/releases/{release}/receipt — public: the anchoring receipt of the
// release's manifest digest (docs/receipt-format.md, subject kind "dataset-manifest"), 200 once
// its batch is anchored and confirmed; until then 202 with { state: "pending" | "sent", since,
// lastError?, transaction? }. 404 for an unknown, malformed or unpublished release.
import { anchorStateResponse } from "@/lib/anchoring/response";
import { releaseForReceipt } from "@/lib/datasets/data";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/handler";
import { datasetNumber, releaseNumber } from "@/lib/schema/values";
import { z } from "zod";

export const dynamic = "force-dynamic";

export const GET = route(
  { name: "datasets.releaseReceipt", access: "public", params: z.object({ number: datasetNumber, release: releaseNumber }) },
  async ({ params }) => {
    const release = await releaseForReceipt(params.number, params.release);
    if (!release) throw new AppError("NOT_FOUND", "That dataset has no such published release.");
    if (!release.anchorItemId) throw new AppError("NOT_FOUND", "That release was not queued for anchoring.");
    return anchorStateResponse(release.anchorItemId);
  },
);
