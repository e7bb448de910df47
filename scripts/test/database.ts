// Whole-database views for tests that assert what a request did not write.
import { migrationTarget } from "@/lib/db";

/** Runs `sql` on the test database below Prisma (tests may not import the Prisma client). */
export async function query(sql: string): Promise<Record<string, unknown>[]> {
  const target = migrationTarget();
  return target.kind === "pglite" ? (await target.pglite.query<Record<string, unknown>>(sql)).rows : (await target.pool.query<Record<string, unknown>>(sql)).rows;
}

const quoted = (table: string) => `"${table.replaceAll('"', '""')}"`;

async function tables(): Promise<string[]> {
  return (await query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")).map((r) => String(r.tablename));
}

/** Every row of every table, as JSON text per table. */
export async function dumpDatabase(): Promise<Record<string, string[]>> {
  const dump: Record<string, string[]> = {};
  for (const table of await tables()) {
    dump[table] = (await query(`SELECT row_to_json(t)::text AS row FROM ${quoted(table)} t`)).map((r) => String(r.row));
  }
  return dump;
}

/**
 * Table name → "row count:md5 of its rows in text form", for tests that assert a refused request
 * changed nothing: equal snapshots mean no row was added, changed or removed (an insert followed by
 * a delete, or an update, shows too). Prisma's migration history is left out.
 */
export async function snapshotTables(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of await tables()) {
    if (table === "_prisma_migrations") continue;
    const [row] = await query(`SELECT count(*)::text || ':' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS fingerprint FROM ${quoted(table)} t`);
    out[table] = typeof row?.fingerprint === "string" ? row.fingerprint : "";
  }
  return out;
}
