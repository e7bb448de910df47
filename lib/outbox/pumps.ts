import "server-only";
import { anchoringOptions } from "@/lib/anchoring/config";
import { runAnchoringOnce } from "@/lib/anchoring/worker";
import { runConsentRelayOnce } from "@/lib/consent/relay";
import type { Env } from "@/lib/env";
import { syncTrialsToChain } from "@/lib/registry/chain-sync";
import { type RunningWorker, startOutbox } from "@/lib/outbox/runner";
import { witnessLogOnce } from "@/lib/outbox/witness";

/**
 * Every pump of the portal, started together: the embedded mode (lib/boot.ts) and the standalone
 * worker (scripts/anchoring-worker.ts) run exactly this. Four lanes side by side: anchoring, the
 * registry, consent (its pumps in order: texts, decisions, members, then the indexer) and the log's
 * witness (lib/outbox/witness.ts). Every instance may start them: the outbox lease lets one send at
 * a time.
 * @param holder this instance's name on the lease (default: the process)
 */
export function startPumps(config: Env, holder?: string): RunningWorker {
  const options = { ...anchoringOptions(config), ...(holder ? { holder } : {}) };
  return startOutbox({
    ...options,
    lanes: [
      () => runAnchoringOnce(options),
      () => syncTrialsToChain(options),
      () => runConsentRelayOnce(options),
      () => witnessLogOnce(options),
    ],
  });
}
