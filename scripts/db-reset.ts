// npm run db:reset — drops every table of the configured database (embedded or DATABASE_URL)
// and applies all migrations again. The embedded database must not be open in a running portal.
import { migrationTarget } from "@/lib/db";
import { env } from "@/lib/env";
import { runScript } from "@/scripts/lib/run-script";
import { applyMigrations, resetSchema } from "@/lib/migrate";

async function main(): Promise<void> {
  const config = env();
  const where = config.databaseKind === "pglite" ? config.pgliteDir : "the DATABASE_URL server";
  console.log(`Resetting ${config.databaseKind} database (${where})…`);
  const target = migrationTarget();
  await resetSchema(target);
  const applied = await applyMigrations(target);
  console.log(`Applied ${applied.length} migration(s). The database is empty; npm start seeds the demo again.`);
}

runScript(main);
