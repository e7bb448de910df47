// GET /api/datasets/{number}/releases/{release}/files/{digest}/receipt — public: the anchoring
// receipt of one file of a published release (subject kind "dataset-file"); 200 once anchored,
// 202 { state, since, lastError?, transaction? } until then, 404 for a file the release does not have.
import { anchorStateResponse } from "@/lib/anchoring/response";
import { releaseFileForReceipt } from "@/lib/datasets/data";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/handler";
import { datasetNumber, digest, releaseNumber } from "@/lib/schema/values";
import { z } from "zod";

export const dynamic = "force-dynamic";

export const GET = route(
  { name: "datasets.fileReceipt", access: "public", params: z.object({ number: datasetNumber, release: releaseNumber, digest }) },
  async ({ params }) => {
    const file = await releaseFileForReceipt(params.number, params.release, params.digest);
    if (!file) throw new AppError("NOT_FOUND", "That release has no file with that digest.");
    if (!file.anchorItemId) throw new AppError("NOT_FOUND", "That file was not queued for anchoring.");
    return anchorStateResponse(file.anchorItemId);
  },
);
