// GET /api/datasets/{number}/releases/{release} — public: one published release (metadata, DUO
// conditions, dictionary, files' metadata and digests, manifest digest). 404 for a draft.
import { z } from "zod";
import { getDataset } from "@/lib/datasets/data";
import { publicDataset } from "@/lib/datasets/view";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/handler";
import { datasetNumber, releaseNumber } from "@/lib/schema/values";

export const dynamic = "force-dynamic";

export const GET = route(
  { name: "datasets.release", access: "public", params: z.object({ number: datasetNumber, release: releaseNumber }) },
  async ({ params }) => {
    const row = await getDataset(params.number, { publishedOnly: true });
    const release = (row ? publicDataset(row) : null)?.releases.find((r) => r.number === params.release);
    if (!release) throw new AppError("NOT_FOUND", "No published release of that dataset has that number.");
    return { dataset: params.number, ...release };
  },
);
