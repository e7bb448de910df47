import "server-only";
import type { Log } from "ethers";
import { findWorkableBatch, listUnsettledAnchors, pendingSummary } from "@/lib/anchoring/data";
import { auditPaths, fromHex, leafHash, rootOf, toHex } from "@/lib/merkle";
import {
  claimIntoBatch,
  leaseBatch,
  markConfirmed,
  markFailedAttempt,
  markReorganised,
  markSent,
  markSettled,
  markUnsent,
  recordBlockHash,
  releaseBatch,
} from "@/lib/anchoring/mutations";
import { StaleReceipts, judgeAnchor } from "@/lib/anchoring/reconcile";
import type { Chain } from "@/lib/chain/client";
import { waitForReceipt } from "@/lib/chain/receipts";

/**
 * The anchoring worker: turns queued digests into batches (one RFC 6962 Merkle root each), sends
 * one `TrialRegistry.anchorRoot` transaction per batch, waits for confirmations and records what a
 * receipt needs. Every step is recorded before the next starts, so a process killed anywhere
 * resumes without losing or doubling an anchor:
 *
 *   pending items ──claim──▶ BUILT ──send──▶ SENT ──confirmations──▶ CONFIRMED ──deep enough──▶ settled
 *                                              ▲                            │
 *                                              └─── block reorganised away ─┘
 *
 * - A crash after broadcasting but before recording SENT leaves BUILT: the worker then asks the
 *   contract (`anchorOf(root)`) before sending, finds the root anchored and looks up its event.
 * - The contract refuses a root twice (AlreadyAnchored), so a root is never anchored twice; items
 *   whose tree repeats an existing root join that root's batch on the current chain and contract
 *   (see claimIntoBatch).
 * - A transaction the node serves only with a receipt of a block it no longer has is treated as
 *   dropped after a few runs (StaleReceipts).
 * - A dropped transaction (never mined) goes back to BUILT and is sent again.
 * - A chain that is down fails the attempt; the batch is retried with exponential backoff.
 * - A confirmed anchor is re-checked every run until its block is `finalityDepth` deep (and
 *   finalized, where the chain says): when the chain's block at that height has another hash, the
 *   batch goes back to SENT (an RPC with no block there is asked again next run) — receipts are withheld — and is confirmed again wherever
 *   the transaction landed, or anchored anew; the next receipt names the new block.
 */

export type WorkerOptions = {
  /** The chain client; called for every batch, so a chain that comes back is picked up. */
  chain: () => Promise<Chain>;
  /** A batch is built as soon as this many digests wait… */
  batchSize: number;
  /** …or when the oldest waiting digest is this old. */
  maxAgeMs: number;
  confirmations: number;
  /**
   * Re-check a confirmed anchor until its block is this many blocks deep (counting it, like
   * confirmations; never fewer than `confirmations`). Default 64 (ANCHOR_FINALITY_DEPTH).
   */
  finalityDepth?: number;
  /** How long one attempt waits for confirmations before handing the batch back (it stays SENT). */
  confirmTimeoutMs?: number;
  /** How long a worker holds a batch; longer than one attempt, so two workers never send one batch. */
  leaseMs?: number;
  log?: (line: string) => void;
  /** Fault injection for the crash tests: a hook that throws stops the attempt like a killed process. */
  hooks?: { afterBroadcast?: (txHash: string) => Promise<void>; afterRecordSent?: () => Promise<void> };
};

/** What one run did; `reorganised` counts confirmed anchors whose block the chain no longer has. */
export type RunSummary = { built: number; confirmed: number; failed: number; reorganised: number };

/** Thrown by test hooks to stop an attempt dead, as a killed process would: nothing more is recorded. */
export class SimulatedCrash extends Error {
  override name = "SimulatedCrash";
}

/** 1 s, 2 s, 4 s … capped at 5 minutes: a chain that is down for an hour costs a few dozen attempts. */
export function backoffMs(attempts: number): number {
  return Math.min(1000 * 2 ** attempts, 5 * 60_000);
}

export function buildTree(digests: string[]): { root: string; paths: string[][] } {
  const leafHashes = digests.map((d) => leafHash(fromHex(d, 32)));
  return { root: toHex(rootOf(leafHashes)), paths: auditPaths(leafHashes).map((path) => path.map(toHex)) };
}

type Found = { txHash: string; blockNumber: number };

/**
 * The transaction that anchored `root` on the chain as it is now: the contract's state says
 * whether and in which block (state follows reorganisations), and that block's RootAnchored event
 * names the transaction. Null when the root is not anchored. Reading one block's logs, not all
 * since block 0: hosted RPCs limit a log query's range, and a node may still serve logs of blocks
 * it has reorganised away (anvil does after evm_revert).
 */
async function findAnchorEvent(chain: Chain, root: string): Promise<Found | null> {
  const registry = chain.contracts.TrialRegistry;
  const [anchoredAt] = await registry.anchorOf(root);
  if (anchoredAt === 0n) return null;
  const block = Number(anchoredAt);
  const logs = (await registry.queryFilter(registry.getEvent("RootAnchored")(root), block, block)) as Log[];
  const log = logs[0];
  if (!log) throw new Error(`root ${root} is anchored in block ${block} but its event was not found`);
  return { txHash: log.transactionHash, blockNumber: log.blockNumber };
}

/** Stale receipts seen per SENT batch, in this process (see StaleReceipts). */
const staleReceipts = new StaleReceipts();

/** @returns "confirmed", "waiting" (not yet, next run), or "stale" (a receipt of a block the chain no longer has) */
async function confirm(chain: Chain, batchId: string, txHash: string, opts: WorkerOptions): Promise<"confirmed" | "waiting" | "stale"> {
  const receipt = await waitForReceipt(chain.provider, txHash, opts.confirmations, opts.confirmTimeoutMs ?? 20_000);
  if (!receipt) return "waiting";
  if (receipt.status !== 1) throw new Error(`anchoring transaction ${txHash} reverted`);
  const block = await chain.provider.getBlock(receipt.blockNumber);
  // A receipt of a block the chain no longer has (a node may serve it after a reorganisation):
  // not confirmed; the next run finds the transaction again or anchors the root anew.
  if (!block || block.hash !== receipt.blockHash) return "stale";
  await markConfirmed(batchId, {
    txHash,
    chainId: chain.chainId,
    contract: (await chain.contracts.TrialRegistry.getAddress()).toLowerCase(),
    blockNumber: receipt.blockNumber,
    blockHash: receipt.blockHash,
    blockTime: new Date(block.timestamp * 1000),
    confirmations: opts.confirmations,
  });
  return "confirmed";
}

/** 64 blocks: two Ethereum epochs, after which a block is finalized (ANCHOR_FINALITY_DEPTH). */
export const DEFAULT_FINALITY_DEPTH = 64;

/**
 * Compares every confirmed, unsettled anchor on this chain with the chain (judgeAnchor): a block
 * with another hash at that height reopens its batch (back to SENT, receipts withheld); no block
 * at all (an RPC behind) leaves it for the next run; one that is `finalityDepth` deep — and at or below the chain's finalized block, where it reports one — is
 * settled and not read again. One block header per distinct height, fetched in parallel: at most
 * the heights of the last `finalityDepth` blocks, whatever the number of batches.
 * @returns how many batches were reopened
 */
export async function reconcileAnchors(opts: Pick<WorkerOptions, "chain" | "confirmations" | "finalityDepth" | "log">): Promise<number> {
  const unsettled = await listUnsettledAnchors();
  // Nothing to re-check: the chain is not asked (nor its outage logged) on every poll.
  if (unsettled.length === 0) return 0;
  const chain = await opts.chain();
  const contract = (await chain.contracts.TrialRegistry.getAddress()).toLowerCase();
  // Anchors on another chain or contract are left alone: that chain is not the one being read.
  const batches = unsettled.filter((b) => b.chainId === chain.chainId && b.contract === contract);
  if (batches.length === 0) return 0;
  const provider = chain.provider;
  const depth = Math.max(opts.finalityDepth ?? DEFAULT_FINALITY_DEPTH, opts.confirmations);
  const heights = [...new Set(batches.map((b) => b.blockNumber ?? 0))];
  const [head, finalized, ...blocks] = await Promise.all([
    provider.getBlockNumber(),
    // Chains without a finality tag (older nodes) answer with an error: depth alone decides there.
    provider.getBlock("finalized").then((b) => b?.number ?? null, () => null),
    ...heights.map((height) => provider.getBlock(height)),
  ]);
  const canonical = new Map(heights.map((height, i) => [height, blocks[i]?.hash ?? null]));

  let reopened = 0;
  const settled: string[] = [];
  for (const batch of batches) {
    const height = batch.blockNumber ?? 0;
    const onChain = canonical.get(height) ?? null;
    let recorded = batch.blockHash;
    if (recorded === null && batch.txHash && onChain !== null) {
      // Confirmed before block hashes were recorded: the receipt says which block it was.
      recorded = (await provider.getTransactionReceipt(batch.txHash))?.blockHash ?? null;
      if (recorded !== null && recorded === onChain) await recordBlockHash(batch.id, recorded);
    }
    const verdict = judgeAnchor({ height, recorded, onChain, head, finalized, depth });
    if (verdict === "unknown") {
      opts.log?.(`[anchoring] batch ${batch.root}: the RPC has no block ${height} (head ${head}): left as it is, re-checked next run`);
    } else if (verdict === "reorganised") {
      const reason = `block ${height} (${recorded ?? "unknown hash"}) is no longer on chain ${chain.chainId} (now ${onChain}): reorganised away, anchoring again`;
      if (await markReorganised(batch.id, batch.blockHash, reason)) {
        reopened++;
        opts.log?.(`[anchoring] batch ${batch.root}: ${reason}`);
      }
    } else if (verdict === "settled") {
      settled.push(batch.id);
    }
  }
  await markSettled(settled);
  // After a reorganisation the relayer's next nonce may be lower than the one counted locally: a
  // transaction sent with the higher one would wait behind the gap forever.
  if (reopened > 0) chain.relayer.reset();
  return reopened;
}

/** The chain and contract anchoring now, to join only a batch anchored there; null when the chain is down. */
async function currentTarget(opts: WorkerOptions): Promise<{ chainId: number; contract: string } | null> {
  try {
    const chain = await opts.chain();
    return { chainId: chain.chainId, contract: (await chain.contracts.TrialRegistry.getAddress()).toLowerCase() };
  } catch {
    return null; // the send fails and is retried with backoff; building the batch need not wait
  }
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
      // Dropped (or reorganised away and not re-included): look whether the root made it some
      // other way before sending again.
      const found = await findAnchorEvent(chain, batch.root);
      if (!found) {
        await markUnsent(batch.id, `transaction ${txHash} was dropped; sending again`);
        // The dropped transaction's nonce is free again, but the relayer counted it as used: a
        // resend with the next one would wait behind the gap forever (and, known to the node as
        // queued, would keep the batch SENT on every later run). Re-read the nonce from the chain.
        chain.relayer.reset();
        txHash = null;
      } else {
        txHash = found.txHash;
      }
    }
  }

  if (!txHash) {
    const found = await findAnchorEvent(chain, batch.root);
    if (found) {
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

  const state = await confirm(chain, batch.id, txHash, opts);
  if (state === "stale" && staleReceipts.note(batch.id, txHash)) {
    // The node keeps serving the transaction of a block it no longer has: treat it as dropped
    // (the next run asks anchorOf, then sends again with a nonce re-read from the chain).
    await markUnsent(batch.id, `transaction ${txHash} has only a receipt of a block no longer on chain ${chain.chainId}; sending again`);
    chain.relayer.reset();
  }
  if (state !== "stale") staleReceipts.clear(batch.id);
  if (state === "confirmed") opts.log?.(`[anchoring] batch of ${batch.treeSize} confirmed: root ${batch.root}`);
  return state === "confirmed";
}

/**
 * Does all the work there is now: builds the batches that are due and takes each open batch one
 * step further. Returns what it did; failures are recorded on the batch (retried with backoff).
 */
export async function runAnchoringOnce(opts: WorkerOptions): Promise<RunSummary> {
  const summary: RunSummary = { built: 0, confirmed: 0, failed: 0, reorganised: 0 };
  const leaseMs = opts.leaseMs ?? 60_000;
  // First, so that an anchor the chain lost is anchored again in this same run.
  try {
    summary.reorganised = await reconcileAnchors(opts);
  } catch (error) {
    opts.log?.(`[anchoring] re-checking confirmed anchors failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const seen = new Set<string>();
  for (;;) {
    const batch = await findWorkableBatch(new Date(), [...seen]);
    if (batch) {
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
    const built = await claimIntoBatch(opts.batchSize, buildTree, await currentTarget(opts));
    if (!built) return summary;
    if (built.joined) opts.log?.(`[anchoring] ${built.treeSize} digest(s) repeat the tree of root ${built.root}: they share its anchor`);
    else summary.built++;
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
