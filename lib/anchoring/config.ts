import "server-only";
import type { WorkerOptions } from "@/lib/anchoring/worker";
import { getChain } from "@/lib/chain/client";
import type { Env } from "@/lib/env";

/** The worker's settings from the configuration, for the embedded and the standalone worker alike. */
export function anchoringOptions(config: Env): WorkerOptions & { pollMs: number } {
  return {
    chain: getChain,
    batchSize: config.ANCHOR_BATCH_SIZE,
    maxAgeMs: config.ANCHOR_BATCH_AGE_MS,
    confirmations: Math.max(1, config.CHAIN_CONFIRMATIONS),
    finalityDepth: config.ANCHOR_FINALITY_DEPTH,
    pollMs: config.ANCHOR_POLL_MS,
    log: (line) => console.log(line),
  };
}
