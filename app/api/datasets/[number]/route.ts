// GET /api/datasets/{number} — public: a dataset with every published release (metadata, DUO
// conditions, dictionary, and each file's name, format, size, rows and digest — never contents).
// 404 for an unknown or malformed number and for a dataset with no published release (drafts are private).
import { z } from "zod";
import { getDataset } from "@/lib/datasets/data";
import { publicDataset } from "@/lib/datasets/view";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/handler";
import { datasetNumber } from "@/lib/schema/values";

export const dynamic = "force-dynamic";

export const GET = route({ name: "datasets.get", access: "public", params: z.object({ number: datasetNumber }) }, async ({ params }) => {
  const row = await getDataset(params.number, { publishedOnly: true });
  const dataset = row ? publicDataset(row) : null;
  if (!dataset) throw new AppError("NOT_FOUND", "No published dataset has that number.");
  return dataset;
});
