// GET /api/datasets/{number}/releases/{release}/dictionary[?format=csv] — public: the release's
// data dictionary as JSON (the default) or CSV (one row per column, the layout the sponsor's
// editor imports). 404 for a draft.
import { z } from "zod";
import { getDataset } from "@/lib/datasets/data";
import { dictionaryToCsv } from "@/lib/datasets/dictionary-io";
import { publicDataset } from "@/lib/datasets/view";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/handler";
import { datasetNumber, releaseNumber } from "@/lib/schema/values";

export const dynamic = "force-dynamic";

export const GET = route(
  {
    name: "datasets.dictionary",
    access: "public",
    params: z.object({ number: datasetNumber, release: releaseNumber }),
    query: z.object({ format: z.enum(["json", "csv"], { error: "The format is json or csv." }).default("json") }),
  },
  async ({ params, query }) => {
    const row = await getDataset(params.number, { publishedOnly: true });
    const release = (row ? publicDataset(row) : null)?.releases.find((r) => r.number === params.release);
    if (!release) throw new AppError("NOT_FOUND", "No published release of that dataset has that number.");
    const name = `${params.number}-r${params.release}-dictionary`;
    if (query.format === "csv") {
      return new Response(dictionaryToCsv(release.dictionary), {
        headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}.csv"` },
      });
    }
    return new Response(JSON.stringify(release.dictionary, null, 2), {
      headers: { "content-type": "application/json; charset=utf-8", "content-disposition": `attachment; filename="${name}.json"` },
    });
  },
);
