import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

/**
 * The PostgreSQL extensions the schema uses, which PGlite must load when it starts (a PostgreSQL
 * server has them in its contrib package): pg_trgm, for search by parts of words (lib/search).
 * Every PGlite the project opens (the embedded database, the migration tool's shadow database,
 * the tests) is made here, so none lacks one.
 */
export const PGLITE_EXTENSIONS = { pg_trgm };

/** A PGlite with the schema's extensions: in memory without `dataDir`, else in that directory. */
export function createPGlite(dataDir?: string): Promise<PGlite> {
  return PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions: PGLITE_EXTENSIONS });
}

/** The same, synchronously constructed (ready once `waitReady` resolves). */
export function newPGlite(dataDir?: string): PGlite {
  // The options form: `new PGlite(undefined, { extensions })` starts without the extensions.
  return new PGlite({ ...(dataDir ? { dataDir } : {}), extensions: PGLITE_EXTENSIONS });
}
