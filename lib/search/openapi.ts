import { FILE_FORMATS } from "@/lib/datasets/schema";
import { PERMISSION_CODES } from "@/lib/duo/conditions";
import { error, json, ref } from "@/lib/openapi";
import { PHASES, RECRUITMENT_STATUSES } from "@/lib/registry/schema";
import { FACETS, RESULT_WINDOW, SORTS, type SearchKind, searchQuery } from "@/lib/search/schema";

/**
 * The OpenAPI description of the catalogues' searches, GET /api/trials and GET /api/datasets
 * (merged into /api/openapi.json by lib/registry/openapi.ts). The parameters are keyed by the fields
 * of `searchQuery`, so a field added to the schema without a description here does not compile.
 */

type Parameter = { description: string; schema: Record<string, unknown>; kinds?: SearchKind[] };

const PARAMETERS: Record<keyof typeof searchQuery.shape, Parameter> = {
  q: {
    description: "Words (stemmed: “diabetic” finds “diabetes”; websearch syntax: \"a phrase\", -not, or) or parts of words of 3 or more characters.",
    schema: { type: "string", maxLength: 200 },
  },
  condition: {
    description: "A Mondo disease id: datasets about it or any of its subclasses (letter case ignored).",
    schema: { type: "string", pattern: "^[Mm][Oo][Nn][Dd][Oo]:\\d{7}$" },
    kinds: ["dataset"],
  },
  permission: { description: "The latest release's DUO permission.", schema: { type: "string", enum: [...PERMISSION_CODES] }, kinds: ["dataset"] },
  phase: { description: "The trial's phase.", schema: { type: "string", enum: [...PHASES] } },
  country: { description: "An ISO 3166-1 alpha-2 country of recruitment (letter case ignored).", schema: { type: "string", pattern: "^[A-Za-z]{2}$" } },
  sponsor: { description: "The sponsor's name as in the facet (letter case ignored).", schema: { type: "string", maxLength: 200 } },
  fileType: { description: "A file format of the latest release.", schema: { type: "string", enum: [...FILE_FORMATS] }, kinds: ["dataset"] },
  status: { description: "The recruitment status.", schema: { type: "string", enum: [...RECRUITMENT_STATUSES] }, kinds: ["trial"] },
  sort: { description: "Default: relevance with `q`, else newest.", schema: { type: "string", enum: [...SORTS] } },
  page: { description: `1 or more; only the first ${RESULT_WINDOW} results can be paged through.`, schema: { type: "integer", minimum: 1, default: 1 } },
  pageSize: { description: "Results per page.", schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } },
};

/** The query parameters of one catalogue's search. */
export function searchParameters(kind: SearchKind) {
  return Object.entries(PARAMETERS)
    .filter(([, p]) => !p.kinds || p.kinds.includes(kind))
    .map(([name, p]) => ({ name, in: "query", description: p.description, schema: p.schema }));
}

const facetCounts = {
  type: "object",
  description: "Per facet, value → number of matches (the 30 most frequent values).",
  required: [...FACETS],
  properties: Object.fromEntries(FACETS.map((f) => [f, { type: "object", additionalProperties: { type: "integer" } }])),
};

/** The result of a search whose items are `item` (a components/schemas name). */
function resultSchema(item: string) {
  return {
    type: "object",
    required: ["total", "totalIsExact", "page", "pageSize", "results", "facets"],
    properties: {
      total: { type: "integer", description: `Matches, counted up to ${RESULT_WINDOW.toLocaleString("en")}.` },
      totalIsExact: {
        type: "boolean",
        description: `false when more than ${RESULT_WINDOW.toLocaleString("en")} match: \`total\` is then ${RESULT_WINDOW.toLocaleString("en")}, and the facets count and the relevance and title sorts order the first ${(RESULT_WINDOW + 1).toLocaleString("en")} matches found.`,
      },
      page: { type: "integer", minimum: 1 },
      pageSize: { type: "integer", minimum: 1, maximum: 100 },
      results: { type: "array", items: ref(item) },
      facets: facetCounts,
    },
  };
}

export const searchSchemas = {
  TrialList: resultSchema("TrialSummary"),
  DatasetList: resultSchema("DatasetSummary"),
  DatasetSummary: {
    type: "object",
    required: ["number", "title", "description", "sponsor", "trial", "conditions", "permission", "fileTypes", "release", "publishedAt"],
    properties: {
      number: { type: "string", description: "The dataset's number: /datasets/{number}." },
      title: { type: "string" },
      description: { type: "string", description: "The latest release's description, cut to 300 characters." },
      sponsor: { type: "string" },
      trial: { type: "object", required: ["registrationNumber", "publicTitle"], properties: { registrationNumber: { type: "string" }, publicTitle: { type: "string" } } },
      conditions: { type: "array", items: { type: "object", required: ["id", "label"], properties: { id: { type: "string" }, label: { type: "string" } } } },
      permission: { type: "string", enum: [...PERMISSION_CODES] },
      fileTypes: { type: "array", items: { type: "string", enum: [...FILE_FORMATS] } },
      release: { type: "integer", minimum: 1, description: "The latest published release." },
      publishedAt: { type: "string", format: "date-time" },
    },
  },
};

const validation = error("The query is invalid: `fieldErrors` names each field (like `page` or `country`) with its messages.");

/** GET /api/trials (its POST is described with the registry's paths). */
export const listTrialsOperation = {
  operationId: "listTrials",
  summary: "Search registered trials",
  description: "Filters apply to each trial's current version and combine with AND. Sorted by relevance with `q`, else newest registration first.",
  parameters: searchParameters("trial"),
  responses: { "200": { description: "One page of matching trials, with the count and facet counts.", content: json(ref("TrialList")) }, "422": validation },
};

export const datasetSearchPaths = {
  "/api/datasets": {
    get: {
      operationId: "listDatasets",
      summary: "Search the dataset catalogue",
      description: "Datasets with a published release; filters apply to the latest published release and combine with AND.",
      parameters: searchParameters("dataset"),
      responses: { "200": { description: "One page of matching datasets, with the count and facet counts.", content: json(ref("DatasetList")) }, "422": validation },
    },
  },
};
