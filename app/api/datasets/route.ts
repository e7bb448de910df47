// GET /api/datasets — public: the dataset catalogue's search (lib/search/schema.ts `searchQuery`, the
// same as the /datasets page): { total, totalIsExact, page, pageSize, results, facets } over the
// datasets with a published release; each result is the dataset's number, title, description,
// sponsor, trial, conditions (Mondo ids with labels), DUO permission, file types and latest release.
// Filters q, condition (a Mondo id: its descendants match too), permission, phase, country,
// sponsor, fileType; sort; page and pageSize (1–100, default 20).
import { route } from "@/lib/handler";
import { searchCatalogue } from "@/lib/search/data";
import { searchQuery } from "@/lib/search/schema";

export const dynamic = "force-dynamic";

export const GET = route({ name: "datasets.list", access: "public", input: searchQuery }, ({ input }) => searchCatalogue("dataset", input));
