// The anchoring worker (and the registry's on-chain registrations and the consent relay) on its own, for deployments with several portal instances: run exactly one
// of these with ANCHOR_WORKER=external set on the servers (so they do not start their own).
// Same configuration as the portal (DATABASE_URL, CHAIN_RPC_URL, RELAYER_PRIVATE_KEY, …).
import { anchoringOptions } from "@/lib/anchoring/config";
import { startAnchoringWorker, startPolling } from "@/lib/anchoring/worker";
import { runConsentRelayOnce } from "@/lib/consent/relay";
import { syncTrialsToChain } from "@/lib/registry/chain-sync";
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
  const options = anchoringOptions(config);
  const worker = startAnchoringWorker(options);
  const registry = startPolling(() => syncTrialsToChain(options), options.pollMs, options.log);
  const consent = startPolling(() => runConsentRelayOnce(options), options.pollMs, options.log);
  console.log(`[anchoring] worker running: batches of up to ${config.ANCHOR_BATCH_SIZE}, or after ${config.ANCHOR_BATCH_AGE_MS} ms`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void Promise.all([worker.stop(), registry.stop(), consent.stop()])
        .then(() => closeDatabase())
        .finally(() => process.exit(0));
    });
  }
}

void main();
