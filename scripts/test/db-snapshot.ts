// A fingerprint of every table's rows, for tests that assert a refused request changed nothing.
// It reads through the raw connection (as the migration runner does) because it has to see every
// table, whatever domain owns it; tests never write through it.
import { migrationTarget } from "@/lib/db";

/** Tables that change on their own while a test runs, or that are not the application's data. */
const IGNORED = new Set(["_prisma_migrations"]);

async function query<R>(sql: string): Promise<R[]> {
  const target = migrationTarget();
  if (target.kind === "pglite") return (await target.pglite.query<R>(sql)).rows;
  return (await target.pool.query(sql)).rows as R[];
}

/** Table name → "row count:md5 of its rows in text form". Equal snapshots: no row was added, changed or removed. */
export async function snapshotTables(): Promise<Record<string, string>> {
  const tables = await query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    if (IGNORED.has(name) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    const [row] = await query<{ n: number; h: string }>(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM "${name}" t`,
    );
    out[name] = `${row?.n ?? 0}:${row?.h ?? ""}`;
  }
  return out;
}
