import "server-only";
import { prisma } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client.ts";
import {
  type DatasetSummary,
  RESULT_WINDOW,
  type Facet,
  FACETS,
  type SearchKind,
  type SearchQuery,
  type SearchResult,
  type Sort,
  type TrialSummary,
  effectiveSort,
} from "@/lib/search/schema";

/**
 * Search over the catalogues' search rows (SearchDocument, written by lib/search/mutations.ts).
 *
 * Bounded work per search, whatever the number of matches — at 1,000,000 trials a search that
 * counted, ranked and faceted every match took 845 ms:
 * - one statement reads the first COUNT_CAP matches (1,001: "1,000+" beyond), counts them, counts
 *   the facets over them and orders the page within them (exact whenever fewer match);
 * - with more matches, "newest" and "oldest" walk the (kind, registeredAt) index and stay exact;
 *   "relevance" and "title" order the first COUNT_CAP found (a person narrows a 1,000-result
 *   search rather than page through it);
 * - `q` is matched as words first (full-text, the tsv GIN index); only when the words match
 *   nothing are they matched as parts of words (pg_trgm), which costs a trigram scan of every row
 *   holding common trigrams (“trial” is in every row: 1.3 s when both ran on every search).
 * Measured by bench/catalogue.ts (docs/decisions.md has the figures).
 */

export const COUNT_CAP = RESULT_WINDOW + 1;
/** Values listed per facet, most frequent first: a select of 30 is still scannable. */
export const FACET_VALUES = 30;

/** `%`, `_` and `\` are LIKE's own characters: a search for "10%" means the text "10%". */
const likeEscape = (word: string) => word.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Words of the query to match as parts of words (pg_trgm's GIN index on `text` serves ILIKE
 * '%word%'). Trigrams need 3 characters, so shorter words are left out; a query with a negated
 * word ("-placebo") is not matched by parts, which could not honour the negation.
 */
function partialWords(q: string): string[] {
  const words = q
    .split(/\s+/)
    .map((w) => w.replace(/^"+|"+$/g, ""))
    .filter((w) => w !== "" && w.toLowerCase() !== "or");
  if (words.some((w) => w.startsWith("-"))) return [];
  return words.filter((w) => w.length >= 3);
}

const tsQuery = (q: string) => Prisma.sql`websearch_to_tsquery('english', ${q})`;

/** How `q` is matched: as (stemmed) words, or as parts of words. */
type TextMatch = "words" | "parts";

function whereOf(kind: SearchKind, query: SearchQuery, match: TextMatch): Prisma.Sql {
  const parts = [Prisma.sql`d."kind" = ${kind}`];
  if (query.q) {
    parts.push(
      match === "words"
        ? Prisma.sql`d."tsv" @@ ${tsQuery(query.q)}`
        : Prisma.join(
            partialWords(query.q).map((w) => Prisma.sql`d."text" ILIKE ${`%${likeEscape(w)}%`}`),
            " AND ",
          ),
    );
  }
  if (query.condition) parts.push(Prisma.sql`d."conditionIds" @> ARRAY[${query.condition}]::text[]`);
  if (query.permission) parts.push(Prisma.sql`d."permission" = ${query.permission}`);
  if (query.phase) parts.push(Prisma.sql`d."phase" = ${query.phase}`);
  if (query.status) parts.push(Prisma.sql`d."status" = ${query.status}`);
  if (query.country) parts.push(Prisma.sql`d."countries" @> ARRAY[${query.country}]::text[]`);
  if (query.sponsor) {
    // SearchDocument has no index on sponsor (a scan of 1,000,000 rows took 2.5 s): the name's
    // words are also in `tsv`, whose GIN index narrows the rows to compare. A name of stopwords
    // only ("The") has no words to narrow by and is compared on every row.
    const phrase = Prisma.sql`phraseto_tsquery('english', ${query.sponsor})`;
    parts.push(Prisma.sql`(numnode(${phrase}) = 0 OR d."tsv" @@ ${phrase}) AND lower(d."sponsor") = lower(${query.sponsor})`);
  }
  if (query.fileType) parts.push(Prisma.sql`d."fileTypes" @> ARRAY[${query.fileType}]::text[]`);
  return Prisma.join(parts, " AND ");
}

/** One facet's counts among the capped matches `m`, most frequent first. */
function facetSql(facet: Facet): Prisma.Sql {
  const column: Record<Facet, Prisma.Sql> = {
    phase: Prisma.sql`m."phase"`,
    status: Prisma.sql`m."status"`,
    sponsor: Prisma.sql`m."sponsor"`,
    permission: Prisma.sql`m."permission"`,
    country: Prisma.sql`unnest(m."countries")`,
    fileType: Prisma.sql`unnest(m."fileTypes")`,
  };
  return Prisma.sql`(SELECT ${facet}::text AS facet, v::text AS value, count(*)::int AS n
    FROM (SELECT ${column[facet]} AS v FROM m) f WHERE v IS NOT NULL
    GROUP BY v ORDER BY n DESC, v LIMIT ${FACET_VALUES})`;
}

type Figures = { counted: number; facets: FacetRow[]; results: unknown[] };
type FacetRow = { facet: Facet; value: string; n: number };

function orderOf(sort: Sort, alias: string): Prisma.Sql {
  const a = Prisma.raw(alias);
  switch (sort) {
    case "newest":
      return Prisma.sql`${a}."registeredAt" DESC, ${a}."id" DESC`;
    case "oldest":
      return Prisma.sql`${a}."registeredAt" ASC, ${a}."id" ASC`;
    case "title":
      return Prisma.sql`${a}."title" ASC, ${a}."registeredAt" DESC, ${a}."id" DESC`;
    case "relevance":
      return Prisma.sql`${a}."rank" DESC, ${a}."registeredAt" DESC, ${a}."id" DESC`;
  }
}

/**
 * One statement: the first COUNT_CAP matches (m), their count, the facet counts over them and the
 * requested page ordered within them — exact whenever fewer than COUNT_CAP match.
 */
async function figures(where: Prisma.Sql, query: SearchQuery, sort: Sort, match: TextMatch): Promise<Figures> {
  const rank =
    sort !== "relevance" || !query.q
      ? Prisma.sql`0::real`
      : match === "words"
        ? Prisma.sql`ts_rank(d."tsv", ${tsQuery(query.q)})`
        : Prisma.sql`word_similarity(${query.q}, d."text")`;
  const order = orderOf(sort, "m");
  const [row] = await prisma().$queryRaw<Figures[]>`
    WITH m AS MATERIALIZED (
      SELECT d."id", d."title", d."registeredAt", ${rank} AS "rank",
        d."phase", d."status", d."sponsor", d."permission", d."countries", d."fileTypes"
      FROM "SearchDocument" d WHERE ${where} LIMIT ${COUNT_CAP}
    ), p AS (
      SELECT m."id", row_number() OVER (ORDER BY ${order}) AS position FROM m
      ORDER BY ${order} LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}
    )
    SELECT (SELECT count(*)::int FROM m) AS counted,
      (SELECT coalesce(json_agg(f), '[]'::json) FROM (${Prisma.join(FACETS.map(facetSql), " UNION ALL ")}) f) AS facets,
      (SELECT coalesce(json_agg(d."summary" ORDER BY p.position), '[]'::json) FROM p JOIN "SearchDocument" d ON d."id" = p."id") AS results`;
  if (!row) throw new Error("the search statement returned no row");
  return row;
}

/**
 * The page in date order over all matches, for a search with more than COUNT_CAP of them: the
 * (kind, registeredAt) index is walked in order and stops after the page (many matches make it short).
 */
async function pageByDate(where: Prisma.Sql, query: SearchQuery, sort: "newest" | "oldest"): Promise<unknown[]> {
  const rows = await prisma().$queryRaw<Array<{ summary: unknown }>>`
    SELECT d."summary" FROM "SearchDocument" d WHERE ${where}
    ORDER BY ${orderOf(sort, "d")} LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`;
  return rows.map((r) => r.summary);
}

/**
 * One page of a catalogue's search, with the number of matches and the facet counts.
 * Each filter of `query` narrows the search (AND); `q` matches stemmed words of the title and text
 * (PostgreSQL full-text search, websearch syntax: "quoted phrase", -not, or) or, when those match
 * nothing, its words of 3 or more characters as parts of words (pg_trgm). A page past the last one
 * has no results.
 */
export async function searchCatalogue(kind: "trial", query: SearchQuery): Promise<SearchResult<TrialSummary>>;
export async function searchCatalogue(kind: "dataset", query: SearchQuery): Promise<SearchResult<DatasetSummary>>;
export async function searchCatalogue(kind: SearchKind, query: SearchQuery): Promise<SearchResult<TrialSummary | DatasetSummary>> {
  const sort = effectiveSort(query);
  let where = whereOf(kind, query, "words");
  let found = await figures(where, query, sort, "words");
  if (found.counted === 0 && query.q && partialWords(query.q).length > 0) {
    where = whereOf(kind, query, "parts");
    found = await figures(where, query, sort, "parts");
  }
  const capped = found.counted >= COUNT_CAP;
  const results = capped && (sort === "newest" || sort === "oldest") ? await pageByDate(where, query, sort) : found.results;
  const facets = Object.fromEntries(FACETS.map((f) => [f, {}])) as Record<Facet, Record<string, number>>;
  for (const row of found.facets) facets[row.facet][row.value] = row.n;
  return {
    total: Math.min(found.counted, COUNT_CAP - 1),
    totalIsExact: !capped,
    page: query.page,
    pageSize: query.pageSize,
    // Written only by indexTrial / indexDataset, from these types (lib/search/mutations.ts).
    results: results as Array<TrialSummary | DatasetSummary>,
    facets,
  };
}

/** Ids of trials without a search row (registered before lib/search existed), at most `take`. */
export async function trialsWithoutDocument(take: number): Promise<string[]> {
  const rows = await prisma().$queryRaw<Array<{ id: string }>>`
    SELECT t."id" FROM "Trial" t
    WHERE NOT EXISTS (SELECT 1 FROM "SearchDocument" d WHERE d."id" = 'trial:' || t."id")
    ORDER BY t."id" LIMIT ${take}`;
  return rows.map((r) => r.id);
}
