// GET /api/ontology/terms — public: disease terms (Mondo) as { terms: [{ id, label }] }. With
// `q`, at most 20 non-obsolete terms whose label or synonym matches (start of the label, starts of
// words, or a near spelling), best first; with `ids` (comma-separated Mondo ids), the labels of
// those the portal knows, in the order asked. Neither: no terms. The release form's disease
// picker calls it as the sponsor types.
import { route } from "@/lib/handler";
import { searchTerms, termsByIds } from "@/lib/duo/data";
import { termSearchInput } from "@/lib/duo/schema";

export const dynamic = "force-dynamic";

export const GET = route({ name: "ontology.terms", access: "public", input: termSearchInput }, async ({ input }) => {
  const terms = input.ids ? await termsByIds(input.ids) : input.q ? await searchTerms(input.q) : [];
  // 5 minutes: the ontology changes only with an import; suggestions may lag one that much.
  return Response.json({ terms }, { headers: { "cache-control": "public, max-age=300" } });
});
