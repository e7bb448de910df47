// The outbox's pumps (anchoring, the registry's on-chain registrations, the consent relay) on their
// own, for deployments that keep chain writes off the web servers: set ANCHOR_WORKER=external on the
// servers (so they do not start their own). Several of these may run: the outbox lease in the
// database lets one send at a time, and another takes over within a minute when it dies.
// Same configuration as the portal (DATABASE_URL, CHAIN_RPC_URL, RELAYER_PRIVATE_KEY, …).
import { startPumps } from "@/lib/outbox/pumps";
import { closeDatabase, migrationTarget } from "@/lib/db";
import { envOrExit } from "@/lib/env";
import { migrationState } from "@/lib/migrate";

async function main(): Promise<void> {
  const config = envOrExit("The anchoring worker cannot start.");
  const state = await migrationState(migrationTarget());
  if (state.pending.length > 0) {
    console.error(`The database lacks migrations (${state.pending.join(", ")}): start the portal once first.`);
    process.exit(1);
  }
  const pumps = startPumps(config);
  console.log(`[anchoring] worker running: batches of up to ${config.ANCHOR_BATCH_SIZE}, or after ${config.ANCHOR_BATCH_AGE_MS} ms`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void pumps.stop()
        .then(() => closeDatabase())
        .finally(() => process.exit(0));
    });
  }
}

void main();
