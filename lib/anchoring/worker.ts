import "server-only";
import type { Log } from "ethers";
import { findWorkableBatches, listUnsettledAnchors, pendingSummary } from "@/lib/anchoring/data";
import { auditPaths, fromHex, leafHash, rootOf, toHex } from "@/lib/merkle";
import {
  claimIntoBatch,
  leaseBatch,
  markConfirmed,
  markFailed,
  markReorganised,
  markSent,
  markSettled,
  markUnsent,
  recordBlockHash,
  releaseBatch,
} from "@/lib/anchoring/mutations";
import { StaleReceipts, judgeAnchor } from "@/lib/anchoring/reconcile";
import type { Chain } from "@/lib/chain/client";
import { type OutboxOptions, type Pump, holdOutbox, messageOf, runPump } from "@/lib/outbox/runner";

/**
 * The anchoring pump: turns queued digests into batches (one RFC 6962 Merkle root each) and sends
 * one `TrialRegistry.anchorRoot` transaction per batch through the outbox runner
 * (lib/outbox/runner.ts: already on chain? → send → confirmations → mark), recording what a
 * receipt needs. Every step is recorded before the next starts, so a process killed anywhere
 * resumes without losing or doubling an anchor:
 *
 *   pending items ──claim──▶ BUILT ──send──▶ SENT ──confirmations──▶ CONFIRMED ──deep enough──▶ settled
 *                                              ▲                            │
 *                                              └─── block reorganised away ─┘
 *
 * - A crash after broadcasting but before recording SENT leaves BUILT: the pump then asks the
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
 *   batch goes back to SENT (an RPC with no block there is asked again next run) — receipts are
 *   withheld — and is confirmed again wherever the transaction landed, or anchored anew; the next
 *   receipt names the new block.
 */

export type WorkerOptions = OutboxOptions & {
  /** A batch is built as soon as this many digests wait… */
  batchSize: number;
  /** …or when the oldest waiting digest is this old. */
  maxAgeMs: number;
  /**
   * Re-check a confirmed anchor until its block is this many blocks deep (counting it, like
   * confirmations; never fewer than `confirmations`). Default 64 (ANCHOR_FINALITY_DEPTH).
   */
  finalityDepth?: number;
};

/** What one run did; `reorganised` counts confirmed anchors whose block the chain no longer has. */
export type RunSummary = { built: number; confirmed: number; failed: number; reorganised: number };

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

type Batch = Awaited<ReturnType<typeof findWorkableBatches>>[number];

const contractOf = async (chain: Chain) => (await chain.contracts.TrialRegistry.getAddress()).toLowerCase();

/**
 * The outbox pump of the batches: due are the workable batches this run has not taken a step with
 * yet (`seen`, one step per batch per run), each leased on its row so that two runs in one
 * instance never send one batch.
 */
function anchoringPump(opts: WorkerOptions, seen: Set<string>): Pump<Batch> {
  const leaseMs = opts.leaseMs ?? 60_000;
  return {
    name: "anchoring",
    async due(now) {
      const batches = await findWorkableBatches(now, [...seen]);
      for (const batch of batches) seen.add(batch.id);
      return batches;
    },
    describe: (batch) => ({ label: `batch of ${batch.treeSize} (root ${batch.root})`, attempts: batch.attempts }),
    sentTx: (batch) => (batch.status === "SENT" ? batch.txHash : null),
    claim: (batch) => leaseBatch(batch.id, leaseMs),
    release: (batch) => releaseBatch(batch.id),
    findOnChain: (chain, batch) => findAnchorEvent(chain, batch.root),
    send: async (chain, batch) => (await chain.contracts.TrialRegistry.anchorRoot(batch.root, batch.treeSize)).hash,
    markSent: async (chain, batch, txHash) => markSent(batch.id, { txHash, chainId: chain.chainId, contract: await contractOf(chain) }),
    markUnsent: (batch, reason) => markUnsent(batch.id, reason),
    async markConfirmed(chain, batch, receipt) {
      const block = await chain.provider.getBlock(receipt.blockNumber);
      // A receipt of a block the chain no longer has (a node may serve it after a reorganisation):
      // not confirmed; the next run finds the transaction again or anchors the root anew.
      if (!block || block.hash !== receipt.blockHash) {
        if (staleReceipts.note(batch.id, receipt.hash)) {
          // The node keeps serving the transaction of a block it no longer has: treat it as dropped
          // (the next run asks anchorOf, then sends again with a nonce re-read from the chain).
          await markUnsent(batch.id, `transaction ${receipt.hash} has only a receipt of a block no longer on chain ${chain.chainId}; sending again`);
          chain.relayer.reset();
        }
        return "waiting";
      }
      staleReceipts.clear(batch.id);
      await markConfirmed(batch.id, {
        txHash: receipt.hash,
        chainId: chain.chainId,
        contract: await contractOf(chain),
        blockNumber: receipt.blockNumber,
        blockHash: receipt.blockHash,
        blockTime: new Date(block.timestamp * 1000),
        confirmations: opts.confirmations,
      });
      return "confirmed";
    },
    markFailed: (batch, error, retryAt) => markFailed(batch.id, error, retryAt),
  };
}

/**
 * Does all the work there is now: builds the batches that are due and takes each open batch one
 * step further. Returns what it did; failures are recorded on the batch (retried with backoff).
 * Does nothing while another instance holds the outbox lease.
 */
export async function runAnchoringOnce(opts: WorkerOptions): Promise<RunSummary> {
  const summary: RunSummary = { built: 0, confirmed: 0, failed: 0, reorganised: 0 };
  if (!(await holdOutbox(opts))) return summary;
  // First, so that an anchor the chain lost is anchored again in this same run.
  try {
    summary.reorganised = await reconcileAnchors(opts);
  } catch (error) {
    opts.log?.(`[anchoring] re-checking confirmed anchors failed: ${messageOf(error)}`);
  }
  const seen = new Set<string>();
  const pump = anchoringPump(opts, seen);
  for (;;) {
    const before = seen.size;
    const step = await runPump(pump, opts);
    summary.confirmed += step.confirmed;
    summary.failed += step.failed;
    if (seen.size > before) continue; // more may be workable (over 100 at once): ask until none is left
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
