import "server-only";
import type { Log } from "ethers";
import { findWorkableBatch, pendingSummary } from "@/lib/anchoring/data";
import { auditPaths, fromHex, merkleRoot, toHex } from "@/lib/anchoring/merkle";
import {
  claimIntoBatch,
  leaseBatch,
  markConfirmed,
  markFailedAttempt,
  markSent,
  markUnsent,
  releaseBatch,
} from "@/lib/anchoring/mutations";
import type { Chain } from "@/lib/chain/client";
import { waitForReceipt } from "@/lib/chain/receipts";

/**
 * The anchoring worker: turns queued digests into batches (one RFC 6962 Merkle root each), sends
 * one `TrialRegistry.anchorRoot` transaction per batch, waits for confirmations and records what a
 * receipt needs. Every step is recorded before the next starts, so a process killed anywhere
 * resumes without losing or doubling an anchor:
 *
 *   pending items ──claim──▶ BUILT ──send──▶ SENT ──confirmations──▶ CONFIRMED
 *
 * - A crash after broadcasting but before recording SENT leaves BUILT: the worker then asks the
 *   contract (`anchorOf(root)`) before sending, finds the root anchored and looks up its event.
 * - The contract refuses a root twice (AlreadyAnchored), so a root is never anchored twice.
 * - A dropped transaction (never mined) goes back to BUILT and is sent again.
 * - A chain that is down fails the attempt; the batch is retried with exponential backoff.
 */

export type WorkerOptions = {
  /** The chain client; called for every batch, so a chain that comes back is picked up. */
  chain: () => Promise<Chain>;
  /** A batch is built as soon as this many digests wait… */
  batchSize: number;
  /** …or when the oldest waiting digest is this old. */
  maxAgeMs: number;
  confirmations: number;
  /** How long one attempt waits for confirmations before handing the batch back (it stays SENT). */
  confirmTimeoutMs?: number;
  /** How long a worker holds a batch; longer than one attempt, so two workers never send one batch. */
  leaseMs?: number;
  log?: (line: string) => void;
  /** Fault injection for the crash tests: a hook that throws stops the attempt like a killed process. */
  hooks?: { afterBroadcast?: (txHash: string) => Promise<void>; afterRecordSent?: () => Promise<void> };
};

export type RunSummary = { built: number; confirmed: number; failed: number };

/** Thrown by test hooks to stop an attempt dead, as a killed process would: nothing more is recorded. */
export class SimulatedCrash extends Error {
  override name = "SimulatedCrash";
}

/** 1 s, 2 s, 4 s … capped at 5 minutes: a chain that is down for an hour costs a few dozen attempts. */
export function backoffMs(attempts: number): number {
  return Math.min(1000 * 2 ** attempts, 5 * 60_000);
}

export function buildTree(digests: string[]): { root: string; paths: string[][] } {
  const leaves = digests.map((d) => fromHex(d, 32));
  return { root: toHex(merkleRoot(leaves)), paths: auditPaths(leaves).map((path) => path.map(toHex)) };
}

type Found = { txHash: string; blockNumber: number };

/** The transaction that anchored `root`, from the contract's RootAnchored event. */
async function findAnchorEvent(chain: Chain, root: string): Promise<Found | null> {
  const registry = chain.contracts.TrialRegistry;
  const logs = (await registry.queryFilter(registry.getEvent("RootAnchored")(root), 0)) as Log[];
  const log = logs[0];
  return log ? { txHash: log.transactionHash, blockNumber: log.blockNumber } : null;
}

async function confirm(chain: Chain, batchId: string, txHash: string, opts: WorkerOptions): Promise<boolean> {
  const receipt = await waitForReceipt(chain.provider, txHash, opts.confirmations, opts.confirmTimeoutMs ?? 20_000);
  if (!receipt) return false;
  if (receipt.status !== 1) throw new Error(`anchoring transaction ${txHash} reverted`);
  const block = await chain.provider.getBlock(receipt.blockNumber);
  if (!block) throw new Error(`block ${receipt.blockNumber} not found`);
  await markConfirmed(batchId, {
    txHash,
    chainId: chain.chainId,
    contract: (await chain.contracts.TrialRegistry.getAddress()).toLowerCase(),
    blockNumber: receipt.blockNumber,
    blockTime: new Date(block.timestamp * 1000),
    confirmations: opts.confirmations,
  });
  return true;
}

type Batch = NonNullable<Awaited<ReturnType<typeof findWorkableBatch>>>;

/** One attempt at one batch. @returns whether it reached CONFIRMED */
async function processBatch(batch: Batch, opts: WorkerOptions): Promise<boolean> {
  const chain = await opts.chain();
  const registry = chain.contracts.TrialRegistry;
  const contract = (await registry.getAddress()).toLowerCase();
  let txHash = batch.status === "SENT" ? batch.txHash : null;

  if (txHash) {
    const known = await chain.provider.getTransaction(txHash);
    if (!known) {
      // Dropped: look whether the root made it some other way before sending again.
      const found = await findAnchorEvent(chain, batch.root);
      if (!found) {
        await markUnsent(batch.id, `transaction ${txHash} was dropped; sending again`);
        txHash = null;
      } else {
        txHash = found.txHash;
      }
    }
  }

  if (!txHash) {
    const [anchoredAt] = await registry.anchorOf(batch.root);
    if (anchoredAt > 0n) {
      const found = await findAnchorEvent(chain, batch.root);
      if (!found) throw new Error(`root ${batch.root} is anchored but its event was not found`);
      txHash = found.txHash;
    } else {
      const tx = await registry.anchorRoot(batch.root, batch.treeSize);
      await opts.hooks?.afterBroadcast?.(tx.hash);
      txHash = tx.hash;
    }
    await markSent(batch.id, { txHash, chainId: chain.chainId, contract });
    await opts.hooks?.afterRecordSent?.();
    opts.log?.(`[anchoring] batch of ${batch.treeSize} sent: root ${batch.root}, tx ${txHash}`);
  }

  const done = await confirm(chain, batch.id, txHash, opts);
  if (done) opts.log?.(`[anchoring] batch of ${batch.treeSize} confirmed: root ${batch.root}`);
  return done;
}

/**
 * Does all the work there is now: builds the batches that are due and takes each open batch one
 * step further. Returns what it did; failures are recorded on the batch (retried with backoff).
 */
export async function runAnchoringOnce(opts: WorkerOptions): Promise<RunSummary> {
  const summary: RunSummary = { built: 0, confirmed: 0, failed: 0 };
  const leaseMs = opts.leaseMs ?? 60_000;
  const seen = new Set<string>();
  for (;;) {
    const batch = await findWorkableBatch(new Date());
    if (batch && !seen.has(batch.id)) {
      seen.add(batch.id);
      if (!(await leaseBatch(batch.id, leaseMs))) continue;
      try {
        if (await processBatch(batch, opts)) summary.confirmed++;
        else await releaseBatch(batch.id); // still waiting for confirmations: next run
      } catch (error) {
        if (error instanceof SimulatedCrash) throw error;
        summary.failed++;
        const message = error instanceof Error ? error.message : String(error);
        opts.log?.(`[anchoring] batch ${batch.root} failed (attempt ${batch.attempts + 1}): ${message}`);
        await markFailedAttempt(batch.id, message, new Date(Date.now() + backoffMs(batch.attempts)));
      }
      continue;
    }
    const pending = await pendingSummary();
    const due =
      pending.count >= opts.batchSize ||
      (pending.count > 0 && pending.oldest !== null && Date.now() - pending.oldest.getTime() >= opts.maxAgeMs);
    if (!due) return summary;
    const built = await claimIntoBatch(opts.batchSize, buildTree);
    if (!built) return summary;
    summary.built++;
  }
}

export type RunningWorker = { stop(): Promise<void> };

/** Runs `run` every `pollMs` (after the previous run ends) until stopped; failures are logged. */
export function startPolling(run: () => Promise<unknown>, pollMs: number, log?: (line: string) => void): RunningWorker {
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    current = run()
      .catch((error: unknown) => log?.(`[worker] run failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, pollMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}

/** Runs the anchoring worker every `pollMs` until stopped; one run at a time. */
export function startAnchoringWorker(opts: WorkerOptions & { pollMs: number }): RunningWorker {
  return startPolling(() => runAnchoringOnce(opts), opts.pollMs, opts.log);
}
