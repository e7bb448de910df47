// npm run demo:reset — deletes all data in the configured database and seeds the demo
// organisation and accounts again. The embedded database must not be open in a running portal.
import { closeDatabase, migrationTarget } from "@/lib/db";
import { formatDemoAccounts, resetDemo } from "@/lib/demo/service";
import { applyMigrations } from "@/lib/migrate";

async function main(): Promise<void> {
  await applyMigrations(migrationTarget());
  const accounts = await resetDemo();
  console.log(`Demo data restored.\n${formatDemoAccounts(accounts)}`);
}

main()
  .then(() => closeDatabase())
  .then(() => process.exit(0))
  .catch(async (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    await closeDatabase().catch(() => undefined);
    process.exit(1);
  });
