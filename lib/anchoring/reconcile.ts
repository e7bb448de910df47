/**
 * What re-checking one confirmed anchor against the chain means (the decision of
 * `reconcileAnchors` in lib/anchoring/worker.ts, pure so that it can be tested without a chain).
 *
 * - `reorganised`: the chain has a block at the anchor's height with another hash (or none can be
 *   recorded): the batch is reopened and its receipts withheld.
 * - `unknown`: the RPC has no block at that height. Not a reorganisation: one backend of a
 *   load-balanced RPC that is a few blocks behind answers `getBlock(height)` with null for a recent
 *   block, and a node whose head is past the height always has a block there, so a null is an RPC
 *   that cannot say. A chain that really got shorter grows back past the height within blocks (12 s
 *   each on Ethereum), and the block then at that height has another hash: `reorganised` next run.
 *   The batch is left as it is this run — receipts stay out, nothing is reopened or counted.
 * - `settled`: deep enough (`depth` blocks counting its own) and at or below the finalized block,
 *   where the chain reports one: not read again.
 * - `shallow`: as recorded, not deep enough yet: re-checked next run.
 */
export type AnchorVerdict = "reorganised" | "unknown" | "settled" | "shallow";

export function judgeAnchor(a: {
  height: number;
  /** The block hash recorded when the anchor was confirmed (null: not known). */
  recorded: string | null;
  /** The hash of the chain's block at `height` now; null when the RPC returned no block. */
  onChain: string | null;
  head: number;
  finalized: number | null;
  depth: number;
}): AnchorVerdict {
  if (a.onChain === null) return "unknown";
  if (a.recorded !== a.onChain) return "reorganised";
  return a.head - a.height + 1 >= a.depth && (a.finalized === null || a.finalized >= a.height) ? "settled" : "shallow";
}

/**
 * A SENT anchor whose receipt names a block the chain no longer has, run after run: a node may keep
 * serving a reorganised-away transaction and its receipt, so the transaction never looks dropped
 * and the batch would stay SENT forever. After `limit` such looks in a row (5 by default: at the
 * 2 s poll about 10 s, nearly a block on Ethereum, in which a transaction that is really pending
 * again is usually re-included) the caller treats it as dropped and sends again — safe, since the
 * contract anchors a root once and the worker asks `anchorOf` before sending.
 * Counted in memory: a restart starts the count again, which can only delay the resend.
 */
export class StaleReceipts {
  readonly #seen = new Map<string, number>();
  constructor(private readonly limit = 5) {}

  /** One more stale receipt for `txHash` of batch `batchId`. @returns whether to treat it as dropped now */
  note(batchId: string, txHash: string): boolean {
    const key = `${batchId}:${txHash}`;
    const seen = (this.#seen.get(key) ?? 0) + 1;
    if (seen < this.limit) {
      this.#seen.set(key, seen);
      return false;
    }
    this.#seen.delete(key);
    return true;
  }

  /** The receipt was good (or the batch moved on): the count starts again. */
  clear(batchId: string): void {
    for (const key of this.#seen.keys()) if (key.startsWith(`${batchId}:`)) this.#seen.delete(key);
  }
}
