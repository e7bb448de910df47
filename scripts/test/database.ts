// Whole-database views for tests that assert what a request did not write.
import { migrationTarget } from "@/lib/db";

async function query(sql: string): Promise<Record<string, unknown>[]> {
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

/** The number of rows in each table: a snapshot to compare before and after. */
export async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await tables()) {
    counts[table] = Number((await query(`SELECT count(*) AS n FROM ${quoted(table)}`))[0]?.n ?? 0);
  }
  return counts;
}
