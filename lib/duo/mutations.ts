import "server-only";
import { type Tx, prisma } from "@/lib/db";
import { BUILTIN_MONDO, BUILTIN_MONDO_VERSION } from "@/lib/duo/builtin-mondo";
import { MONDO_ID } from "@/lib/duo/conditions";
import type { OboTerm } from "@/lib/duo/obo";
import { appendLogEntry } from "@/lib/log/mutations";

/**
 * Writes of the disease ontology (OntologyTerm, OntologyRelease). Mondo is the only ontology the
 * portal holds; an import replaces the whole of it in one transaction, so a reader sees either the
 * old release or the new one, never half of each.
 */

const ONTOLOGY = "mondo";
/**
 * 1,000 rows a statement, sent as one JSON parameter and expanded by jsonb_to_recordset: one
 * round trip per batch, and no per-row bind parameters (Prisma's createMany of the same rows
 * took about twice as long on PGlite).
 */
const BATCH = 1000;
/**
 * Key of the transaction-scoped advisory lock that serialises imports and the seed: two
 * instances booting on one empty PostgreSQL must not both seed, nor an import race the seed.
 * (ASCII "ONTO".)
 */
const LOCK_KEY = 0x4f4e544f;
/** 10 minutes: the full mondo.obo (about 50,000 terms with synonyms) inserts in well under a minute here. */
const TIMEOUT_MS = 10 * 60_000;

export type ImportedOntology = { version: string; terms: number };

type Row = { id: string; label: string; synonyms: string[]; parents: string[]; obsolete: boolean };

async function replaceTerms(tx: Tx, terms: AsyncIterable<OboTerm>, version: string, source: string): Promise<number> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK_KEY}::bigint)`;
  await tx.ontologyTerm.deleteMany({});
  let count = 0;
  let batch: Row[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await tx.$executeRaw`
      INSERT INTO "OntologyTerm" ("id", "label", "synonyms", "parents", "obsolete", "source")
      SELECT x.id, x.label, x.synonyms, x.parents, x.obsolete, ${source}
      FROM jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) AS x(id text, label text, synonyms text[], parents text[], obsolete boolean)`;
    count += batch.length;
    batch = [];
  };
  for await (const term of terms) {
    if (!MONDO_ID.test(term.id)) throw new Error(`Not a Mondo id: ${term.id}`);
    batch.push({ id: term.id, label: term.label, synonyms: term.synonyms, parents: term.parents, obsolete: term.obsolete });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  // An empty or wrong file must not wipe the ontology: throwing rolls the deletion back.
  if (count === 0) throw new Error("The import holds no Mondo terms; the ontology was left as it was.");
  // Fresh statistics, or the planner guesses from the previous release's (or none) and may scan
  // the table instead of using the label's trigram index (lib/duo/data.ts searchTerms).
  await tx.$executeRaw`ANALYZE "OntologyTerm"`;
  // A GIN index takes bulk inserts into its pending list, which every search then reads through
  // row by row until a vacuum merges it: 300–450 ms a search after an import, 20 ms once merged.
  await tx.$queryRaw`SELECT gin_clean_pending_list('"OntologyTerm_label_idx"'::regclass)::int AS merged, gin_clean_pending_list('"OntologyTerm_parents_idx"'::regclass)::int AS merged_parents`;
  await tx.ontologyRelease.upsert({
    where: { ontology: ONTOLOGY },
    create: { ontology: ONTOLOGY, version, terms: count },
    update: { version, terms: count, importedAt: new Date() },
  });
  await appendLogEntry(tx, {
    kind: "ontology.imported",
    actor: { type: "system", id: "ontology-import" },
    subject: { type: "ontology", id: ONTOLOGY },
    details: { ontology: ONTOLOGY, version, terms: count, source },
  });
  return count;
}

/**
 * Replaces the Mondo terms with `terms`, in one transaction: the old terms go, the new ones are
 * inserted 1,000 at a time, OntologyRelease records `version` and the count, and the transparency
 * log gets an `ontology.imported` entry. `source` is written on each term: the release's
 * data-version, or "builtin" for the seed. Any failure (a duplicate id, a broken stream) rolls the
 * whole import back and leaves the previous release in place.
 * @throws Error on a term id that is not a Mondo id (a caller's bug: readObo keeps only Mondo), or when
 *   `terms` is empty (an empty file must not wipe the ontology)
 */
export async function importOntology(opts: { terms: AsyncIterable<OboTerm>; version: string; source: string }): Promise<ImportedOntology> {
  const terms = await prisma().$transaction((tx) => replaceTerms(tx, opts.terms, opts.version, opts.source), {
    timeout: TIMEOUT_MS,
    maxWait: 30_000,
  });
  return { version: opts.version, terms };
}

async function* builtinTerms(): AsyncGenerator<OboTerm> {
  for (const t of BUILTIN_MONDO) yield { id: t.id, label: t.label, synonyms: [], parents: [...t.parents], obsolete: false };
}

/**
 * Seeds the built-in Mondo subset (lib/duo/builtin-mondo.ts) when the database holds no term, so
 * the embedded default can code conditions at once. Nothing happens once any release is in.
 * @returns the number of terms seeded (0 when the ontology was already there)
 */
export async function seedOntologyIfEmpty(): Promise<number> {
  return prisma().$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK_KEY}::bigint)`;
      if ((await tx.ontologyTerm.count()) > 0) return 0;
      return replaceTerms(tx, builtinTerms(), BUILTIN_MONDO_VERSION, "builtin");
    },
    { timeout: TIMEOUT_MS, maxWait: 30_000 },
  );
}
