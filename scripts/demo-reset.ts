// npm run demo:reset — deletes all data in the configured database and seeds the demo
// organisation and accounts again. The embedded database must not be open in a running portal.
import { migrationTarget } from "@/lib/db";
import { formatDemoAccounts, resetDemo } from "@/lib/demo/service";
import { applyMigrations } from "@/lib/migrate";
import { runScript } from "@/scripts/lib/run-script";

async function main(): Promise<void> {
  await applyMigrations(migrationTarget());
  const accounts = await resetDemo();
  console.log(`Demo data restored.\n${formatDemoAccounts(accounts)}`);
}

runScript(main);
