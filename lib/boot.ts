import "server-only";
import { closeDatabaseOnSignals, migrationTarget, onBeforeDatabaseClose } from "@/lib/db";
import { formatDemoAccounts, seedDemoIfEmpty } from "@/lib/demo/service";
import { seedOntologyIfEmpty } from "@/lib/duo/mutations";
import { envOrExit } from "@/lib/env";
import { MigrationError, applyMigrations } from "@/lib/migrate";
import { startPumps } from "@/lib/outbox/pumps";
import { checkChainAtBoot } from "@/lib/chain/service";
import { startUploadCleanup } from "@/lib/storage/cleanup";
import { startGrantExpiry } from "@/lib/access/expiry";
import { startSequencer } from "@/lib/log/sequencer";
import { indexMissingTrials } from "@/lib/search/mutations";

function fail(message: string): never {
  console.error(`\nTrialLedger cannot start.\n${message}\n`);
  process.exit(1);
}

/**
 * Server start-up: configuration, database migrations, the built-in disease ontology on an empty
 * database, demo data on an empty embedded database,
 * the chain's contracts, and the clean-up of abandoned uploads (now, then every 15 minutes). Stops
 * the process with a clear message on a problem that would make the portal misbehave; a chain that is merely unreachable only warns (anchoring waits for it).
 */
export async function boot(): Promise<void> {
  const config = envOrExit();
  closeDatabaseOnSignals();

  try {
    const applied = await applyMigrations(migrationTarget());
    if (applied.length > 0) console.log(`[db] applied ${applied.length} migration(s): ${applied.join(", ")}`);
  } catch (error) {
    if (error instanceof MigrationError) fail(`Database migration failed: ${error.message}`);
    fail(`The ${config.databaseKind} database cannot be opened: ${error instanceof Error ? error.message : String(error)}`);
  }

  // Every database, demo or not: conditions are coded in Mondo, and an empty ontology would
  // leave the release form's disease picker with nothing to offer until someone imports one.
  const seeded = await seedOntologyIfEmpty();
  if (seeded > 0) console.log(`[ontology] seeded ${seeded} built-in Mondo terms; load the full release with npm run ontology:import -- <mondo.obo>.`);

  if (config.demoSeed) {
    try {
      const accounts = await seedDemoIfEmpty();
      if (accounts.length > 0) console.log(`[demo] seeded an empty database.\n${formatDemoAccounts(accounts)}`);
    } catch (error) {
      // Two instances starting on one empty server database: the other one seeded it.
      if ((error as { code?: string }).code !== "P2002") throw error;
    }
  }

  // Trials registered before the search rows existed (lib/search): one cheap query when none is missing.
  const indexed = await indexMissingTrials();
  if (indexed > 0) console.log(`[search] indexed ${indexed} trial(s) that had no search row.`);

  // Whatever runs the workers: every instance that takes uploads cleans up what they leave behind.
  const cleanup = startUploadCleanup();
  onBeforeDatabaseClose(() => cleanup.stop());
  const expiry = startGrantExpiry();
  onBeforeDatabaseClose(() => expiry.stop());
  const sequencer = startSequencer(); // every instance; the lease log:sequencer lets one work at a time
  onBeforeDatabaseClose(() => sequencer.stop());

  const chain = await checkChainAtBoot();
  if (chain.kind === "missing-contracts" || chain.kind === "relayer-not-allowed") fail(chain.message);
  if (chain.kind === "unreachable") console.warn(`[chain] ${chain.message} Anchoring waits until it is reachable.`);

  if (config.ANCHOR_WORKER === "embedded") {
    const pumps = startPumps(config);
    onBeforeDatabaseClose(() => pumps.stop());
  }
}
