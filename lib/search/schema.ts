import { z } from "zod";
import { mondoId, PERMISSION_CODES } from "@/lib/duo/conditions";
import { FILE_FORMATS } from "@/lib/datasets/schema";
import { PHASES, RECRUITMENT_STATUSES } from "@/lib/registry/schema";
import { singleLine } from "@/lib/schema/text";

/**
 * The one search query of both catalogues (the registry, /trials and GET /api/trials; the dataset
 * catalogue, /datasets and GET /api/datasets). Pages parse their searchParams with it and the API
 * routes take it as their input, so a link copied from a page means the same search in the API.
 */

export const SEARCH_KINDS = ["trial", "dataset"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export const SORTS = ["relevance", "newest", "oldest", "title"] as const;
export type Sort = (typeof SORTS)[number];

/**
 * How many matches a search counts, facets and orders: 1,000 (the page says "1,000+" beyond), and
 * so how far anyone may page. Each counted match is a row read from the table: at 1,000,000 trials,
 * counting 10,000 matches of "diabetes" took 560 ms and 1,000 took 150 ms on the bench machine
 * (bench/catalogue.ts). No one reads 1,000 results; a narrower search is one facet away.
 */
export const RESULT_WINDOW = 1_000;

/** Blank means absent: a GET form sends every field, filled or not. */
const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
/** A page's searchParams may repeat a key (?phase=a&phase=b): the first one counts, as the old parser did. */
const firstValue = (value: unknown): unknown => (Array.isArray(value) ? (value as unknown[])[0] : value);
const param = <S extends z.ZodType>(schema: S) => z.preprocess((value) => blankToUndefined(firstValue(value)), schema.optional());
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `Use one of: ${values.join(", ")}.` });

const wholeNumber = z.coerce.number({ error: "Use a whole number." }).int("Use a whole number.");

export const searchQuery = z
  .object({
    // 200: the longest title a record holds is 600 characters, and a search term is far shorter.
    q: param(singleLine().trim().max(200, "Use at most 200 characters.")),
    /** A Mondo disease id: matches records about it or about any of its descendants. */
    condition: param(z.string().trim().toUpperCase().pipe(mondoId)),
    permission: param(oneOf(PERMISSION_CODES)),
    phase: param(oneOf(PHASES)),
    country: param(
      z
        .string()
        .trim()
        .toUpperCase()
        .regex(/^[A-Z]{2}$/, "Use a two-letter ISO country code, like GB."),
    ),
    /** The sponsor's name as the facet lists it (letter case ignored). 200: an organisation's longest name. */
    sponsor: param(singleLine().trim().max(200, "Use at most 200 characters.")),
    fileType: param(oneOf(FILE_FORMATS)),
    status: param(oneOf(RECRUITMENT_STATUSES)),
    sort: param(oneOf(SORTS)),
    page: param(wholeNumber.min(1, "Use 1 or more.")).transform((value) => value ?? 1),
    // 100 per page: a page of summaries stays well under 100 KB of HTML; 20 fills a screen or two.
    pageSize: param(wholeNumber.min(1, "Use at least 1.").max(100, "Use at most 100.")).transform((value) => value ?? 20),
  })
  .superRefine((query, ctx) => {
    if ((query.page - 1) * query.pageSize >= RESULT_WINDOW) {
      ctx.addIssue({
        code: "custom",
        path: ["page"],
        message: `Only the first ${RESULT_WINDOW.toLocaleString("en")} results can be paged through: narrow the search.`,
      });
    }
  });

export type SearchQuery = z.output<typeof searchQuery>;
export type SearchQueryInput = z.input<typeof searchQuery>;

/** The sort used when none is given: relevance when there is text to rank by, else newest. */
export function effectiveSort(query: Pick<SearchQuery, "q" | "sort">): Sort {
  if (query.sort && !(query.sort === "relevance" && !query.q)) return query.sort;
  return query.q ? "relevance" : "newest";
}

/** The filters of a query that narrow it (everything but sort and paging), for "Clear filters". */
export function isFiltered(query: SearchQuery): boolean {
  const { sort: _sort, page: _page, pageSize: _pageSize, ...filters } = query;
  return Object.values(filters).some((value) => value !== undefined);
}

/** What a trial's result card shows (SearchDocument.summary of a trial; GET /api/trials items). */
export type TrialSummary = {
  registrationNumber: string;
  publicTitle: string;
  primarySponsor: string;
  conditions: Array<{ name: string; code?: string | undefined }>;
  phase: (typeof PHASES)[number];
  recruitmentStatus: (typeof RECRUITMENT_STATUSES)[number];
  countries: string[];
  currentVersion: number;
  /** ISO 8601. */
  registeredAt: string;
};

/** What a dataset's result card shows (SearchDocument.summary of a dataset; GET /api/datasets items). */
export type DatasetSummary = {
  number: string;
  title: string;
  /** The latest published release's description, cut to 300 characters. */
  description: string;
  /** The organisation that publishes it. */
  sponsor: string;
  trial: { registrationNumber: string; publicTitle: string };
  /** The release's Mondo conditions with their labels (the id again when the ontology lacks it). */
  conditions: Array<{ id: string; label: string }>;
  permission: (typeof PERMISSION_CODES)[number];
  fileTypes: string[];
  /** The latest published release's number. */
  release: number;
  /** ISO 8601: when that release was published. */
  publishedAt: string;
};

export const FACETS = ["phase", "country", "sponsor", "status", "permission", "fileType"] as const;
export type Facet = (typeof FACETS)[number];

export type SearchResult<S> = {
  /** Matches counted, up to RESULT_WINDOW; `totalIsExact` false when there are more. */
  total: number;
  totalIsExact: boolean;
  page: number;
  pageSize: number;
  results: S[];
  /** Per facet, value → count among the matches (among the first RESULT_WINDOW + 1 when `totalIsExact` is false). */
  facets: Record<Facet, Record<string, number>>;
};

type Params = Record<string, string | string[] | undefined>;

/**
 * A page's search from its query string, with the problems of the fields that are not valid: those
 * fields are dropped (the search runs without them) and the page says why, rather than failing
 * the whole page or silently matching nothing.
 */
export function parseSearchParams(params: Params): { query: SearchQuery; problems: Record<string, string> } {
  const parsed = searchQuery.safeParse(params);
  if (parsed.success) return { query: parsed.data, problems: {} };
  const problems: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? "q");
    problems[field] ??= issue.message;
  }
  const rest = Object.fromEntries(Object.entries(params).filter(([key]) => !(key in problems)));
  return { query: searchQuery.parse(rest), problems };
}

/** The query string of a search (defaults left out), e.g. for the pagination links. */
export function searchHref(path: string, query: SearchQuery, changes: Partial<SearchQuery> = {}): string {
  const next = { ...query, ...changes };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(next)) {
    if (value === undefined) continue;
    if ((key === "page" && value === 1) || (key === "pageSize" && value === 20)) continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}
