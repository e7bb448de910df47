import "server-only";
import { type Tx, prisma } from "@/lib/db";

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

/** The ids and all their descendants, the ids themselves included, sorted. */
export async function descendantIds(ids: readonly string[], db: Tx = prisma()): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    WITH RECURSIVE down(id) AS (
      SELECT unnest(${[...ids]}::text[])
      UNION
      SELECT t."id" FROM "OntologyTerm" t JOIN down ON t."parents" @> ARRAY[down.id]
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
