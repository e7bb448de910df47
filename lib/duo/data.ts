import "server-only";
import { type Tx, prisma } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client.ts";

/**
 * Reads of the disease ontology (Mondo, OntologyTerm). The hierarchy is stored as each term's
 * direct parents (`parents`, GIN-indexed); ancestors and descendants are walked in SQL with a
 * recursive query, so nothing loads the 22,000-term tree into memory.
 */

/**
 * The ids and all their ancestors (is-a, transitively), the ids themselves included, sorted.
 * An id the ontology does not know is kept as it is (it still matches itself).
 */
export async function ancestorIds(ids: readonly string[], db: Tx = prisma()): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    WITH RECURSIVE up(id) AS (
      SELECT unnest(${[...ids]}::text[])
      UNION
      SELECT unnest(t."parents") FROM "OntologyTerm" t JOIN up ON t."id" = up.id
    )
    SELECT id FROM up`;
  return [...new Set(rows.map((r) => r.id))].sort();
}

/**
 * Each id's ancestors (is-a, transitively), the id itself included, sorted; one recursive walk for
 * all ids, each row carrying the id it started from. `ancestorIds` gives only the union, which
 * cannot tell which purpose disease a dataset disease is an ancestor of (a DS match needs every
 * purpose disease covered, DUOS). Only ids the ontology knows are keys: an unknown id cannot be
 * placed in the hierarchy, and the matcher must be able to tell it apart from a leaf.
 */
export async function ancestorsById(ids: readonly string[], db: Tx = prisma()): Promise<Map<string, string[]>> {
  if (ids.length === 0) return new Map();
  const rows = await db.$queryRaw<Array<{ origin: string; ancestors: string[] }>>`
    WITH RECURSIVE up(origin, id) AS (
      SELECT t."id", t."id" FROM "OntologyTerm" t WHERE t."id" = ANY(${[...new Set(ids)]}::text[])
      UNION
      SELECT up.origin, unnest(t."parents") FROM "OntologyTerm" t JOIN up ON t."id" = up.id
    )
    SELECT origin, array_agg(DISTINCT id ORDER BY id) AS ancestors FROM up GROUP BY origin`;
  return new Map(rows.map((r) => [r.origin, r.ancestors]));
}

/**
 * The ids and all their descendants, the ids themselves included, sorted. Walked over the
 * (child, parent) edges with a hash join per level: matching `parents @> ARRAY[id]` per row instead
 * took minutes for the root of the 22,382-term release on PGlite (a nested loop over every term at
 * every level).
 */
export async function descendantIds(ids: readonly string[], db: Tx = prisma()): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    WITH RECURSIVE down(id) AS (
      SELECT unnest(${[...ids]}::text[])
      UNION
      SELECT e.child FROM (SELECT t."id" AS child, unnest(t."parents") AS parent FROM "OntologyTerm" t) e JOIN down ON e.parent = down.id
    )
    SELECT id FROM down`;
  return [...new Set(rows.map((r) => r.id))].sort();
}

/** Labels of the known ids (an unknown id is absent from the map). */
export async function termLabels(ids: readonly string[], db: Tx = prisma()): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.ontologyTerm.findMany({ where: { id: { in: [...ids] } }, select: { id: true, label: true } });
  return new Map(rows.map((r) => [r.id, r.label]));
}

/** At most 20 suggestions: a picker shows a screenful, and a longer list means the query is too vague. */
export const TERM_SEARCH_LIMIT = 20;

const likeEscape = (text: string) => text.replace(/[\\%_]/g, "\\$&");
const regexEscape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Non-obsolete terms matching `query`, best first, at most `limit`: the term with that id or that
 * exact label, then labels starting with it, then labels (or synonyms) in which every word of the
 * query starts a word ("type 2 diab" finds "type 2 diabetes mellitus"), then labels holding every
 * word elsewhere, then labels close to it by pg_trgm word similarity (`<%`, threshold 0.6: a typo
 * such as "hypertention").
 *
 * Candidates come from the label's trigram index (ILIKE and `<%` both use it), one UNION branch
 * each. The planner, which prices pg_trgm's operators like a text comparison, prefers scanning
 * the 22,382 rows (on PGlite 120 ms for ILIKE, 550 ms for `<%`) to the index (20 ms each), so the
 * search runs in a transaction of its own with sequential scans off. Synonyms have no index; only
 * terms that have some are scanned (15 ms on PGlite for the 2022-09-06 release, which has none).
 */
export async function searchTerms(query: string, limit: number = TERM_SEARCH_LIMIT): Promise<Array<{ id: string; label: string }>> {
  const q = query.trim().toLowerCase().replace(/\s+/g, " ");
  if (q === "") return [];
  const words = q.split(" ");
  const contains = words.map((w) => `%${likeEscape(w)}%`);
  const starts = words.map((w) => `\\m${regexEscape(w)}`);
  const labelHasAll = Prisma.join(
    contains.map((pattern) => Prisma.sql`t."label" ILIKE ${pattern}`),
    " AND ",
  );
  return prisma().$transaction(async (tx) => {
    await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
    return tx.$queryRaw<Array<{ id: string; label: string }>>`
    WITH candidates AS (
      SELECT t."id", t."label", t."synonyms", t."obsolete" FROM "OntologyTerm" t WHERE t."id" = ${query.trim().toUpperCase()}
      UNION
      SELECT t."id", t."label", t."synonyms", t."obsolete" FROM "OntologyTerm" t WHERE ${labelHasAll}
      UNION
      SELECT t."id", t."label", t."synonyms", t."obsolete" FROM "OntologyTerm" t WHERE ${q} <% t."label"
      UNION
      SELECT t."id", t."label", t."synonyms", t."obsolete" FROM "OntologyTerm" t
      WHERE cardinality(t."synonyms") > 0 AND EXISTS (SELECT 1 FROM unnest(t."synonyms") s WHERE s ILIKE ALL (${contains}::text[]))
    ),
    ranked AS (
      SELECT c."id", c."label",
        CASE
          WHEN lower(c."id") = ${q} OR lower(c."label") = ${q} THEN 0
          WHEN lower(c."label") LIKE ${`${likeEscape(q)}%`} THEN 1
          WHEN NOT EXISTS (SELECT 1 FROM unnest(${starts}::text[]) w WHERE c."label" !~* w) THEN 2
          WHEN EXISTS (
            SELECT 1 FROM unnest(c."synonyms") s WHERE NOT EXISTS (SELECT 1 FROM unnest(${starts}::text[]) w WHERE s !~* w)
          ) THEN 3
          WHEN NOT EXISTS (SELECT 1 FROM unnest(${contains}::text[]) p WHERE c."label" NOT ILIKE p) THEN 4
          ELSE 5
        END AS rank,
        word_similarity(${q}, c."label") AS similarity
      FROM candidates c
      WHERE NOT c."obsolete"
    )
    SELECT "id", "label" FROM ranked
    ORDER BY rank, similarity DESC, length("label"), "id"
    LIMIT ${limit}`;
  });
}

/** The known terms among `ids`, in the order asked (an unknown id is left out). */
export async function termsByIds(ids: readonly string[], db: Tx = prisma()): Promise<Array<{ id: string; label: string }>> {
  const labels = await termLabels(ids, db);
  return [...new Set(ids)].flatMap((id) => {
    const label = labels.get(id);
    return label === undefined ? [] : [{ id, label }];
  });
}

/** The Mondo release the database holds, or null before any import or seed. */
export async function ontologyRelease(db: Tx = prisma()): Promise<{ version: string; terms: number; importedAt: Date } | null> {
  return db.ontologyRelease.findUnique({ where: { ontology: "mondo" }, select: { version: true, terms: true, importedAt: true } });
}
