import { termSearchInput } from "@/lib/duo/schema";
import { error, json, jsonSchemaOf, ref } from "@/lib/openapi";

/**
 * The ontology API (app/api/ontology/**) in the portal's OpenAPI document (lib/registry/openapi.ts
 * merges it). The query parameters are generated from the zod schema the route validates with.
 */

const query = jsonSchemaOf(termSearchInput) as { properties: Record<string, Record<string, unknown>> };

export const ontologyPaths = {
  "/api/ontology/terms": {
    get: {
      operationId: "searchOntologyTerms",
      summary: "Search disease terms (Mondo), or look up their labels",
      description:
        "With `q`: at most 20 non-obsolete terms whose label or synonym matches — an exact label or id first, then labels starting with `q`, then labels in which every word of `q` starts a word, then near spellings (pg_trgm). With `ids`: the labels of the known ids, in the order asked. With neither: no terms.",
      parameters: [
        { name: "q", in: "query", required: false, description: "Words to search for, e.g. `type 2 diab`.", schema: query.properties.q },
        { name: "ids", in: "query", required: false, description: "Comma-separated Mondo ids, e.g. `MONDO:0005105,MONDO:0005012` (at most 50).", schema: { type: "string" } },
      ],
      responses: {
        "200": { description: "The terms.", content: json(ref("OntologyTerms")) },
        "422": error("`q` or `ids` is invalid: `fieldErrors` names it."),
      },
    },
  },
};

export const ontologySchemas = {
  OntologyTerms: {
    type: "object",
    required: ["terms"],
    properties: {
      terms: {
        type: "array",
        maxItems: 50,
        items: {
          type: "object",
          required: ["id", "label"],
          properties: { id: { type: "string", pattern: "^MONDO:\\d{7}$" }, label: { type: "string" } },
        },
      },
    },
  },
};
