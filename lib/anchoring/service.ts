import "server-only";
import { CURRENT_RECEIPT_VERSION, type SubjectKind, parseReceipt, type Receipt } from "@/lib/anchoring/receipt";
import { getItemWithBatch } from "@/lib/anchoring/data";
import { createAnchorItems } from "@/lib/anchoring/mutations";
import type { Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { SHA256_DIGEST } from "@/lib/schema/values";

export type AnchorRequest = { digest: string; kind: SubjectKind; subjectId?: string; subjectName?: string };

/**
 * Queues digests for anchoring (the outbox). Returns at once: the anchoring pump anchors them in
 * its next batch, whether or not the chain is up now. Given the caller's transaction, the items
 * commit with the caller's change or not at all (a registration and its anchor); alone, they are
 * one statement of their own (a file checked by the CLI, the tests).
 * @throws AppError VALIDATION for a digest that is not 0x + 64 lowercase hex digits (rolling the
 *   caller's transaction back)
 */
export async function queueForAnchoring(tx: Tx, requests: AnchorRequest[]): Promise<Array<{ id: string; digest: string }>>;
export async function queueForAnchoring(requests: AnchorRequest[]): Promise<Array<{ id: string; digest: string }>>;
export async function queueForAnchoring(
  txOrRequests: Tx | AnchorRequest[],
  maybeRequests?: AnchorRequest[],
): Promise<Array<{ id: string; digest: string }>> {
  const [tx, requests] = Array.isArray(txOrRequests) ? [null, txOrRequests] : [txOrRequests, maybeRequests ?? []];
  for (const r of requests) {
    if (!SHA256_DIGEST.test(r.digest)) throw new AppError("VALIDATION", `Not a SHA-256 digest: ${r.digest.slice(0, 80)}`);
  }
  return createAnchorItems(tx, requests);
}

export type AnchorState =
  | { state: "pending"; since: Date; lastError?: string | undefined; nextAttemptAt?: Date | undefined }
  | { state: "sent"; since: Date; transaction: string; lastError?: string | undefined }
  | { state: "anchored"; receipt: Receipt };

/**
 * Where an item stands: waiting (with the last error while the chain is down), sent, or anchored
 * with its receipt. @throws AppError NOT_FOUND
 */
export async function anchorState(itemId: string): Promise<AnchorState> {
  const item = await getItemWithBatch(itemId);
  if (!item) throw new AppError("NOT_FOUND", "No such anchoring request.");
  const batch = item.batch;
  if (!batch || batch.status === "BUILT") {
    return { state: "pending", since: item.createdAt, lastError: batch?.lastError ?? undefined, nextAttemptAt: batch?.nextAttemptAt };
  }
  // SENT again after a reorganisation took the anchoring block away: lastError says so, and the
  // receipt issued before is withheld until the root is confirmed in a block the chain has.
  if (batch.status === "SENT") {
    return { state: "sent", since: batch.sentAt ?? item.createdAt, transaction: batch.txHash ?? "", lastError: batch.lastError ?? undefined };
  }
  if (item.leafIndex === null || !batch.chainId || !batch.contract || !batch.txHash || batch.blockNumber === null || !batch.blockTime) {
    throw new Error(`anchored batch ${batch.id} lacks its chain data`);
  }
  const receipt = parseReceipt({
    format: "trialledger-receipt",
    version: CURRENT_RECEIPT_VERSION,
    digest: item.digest,
    subject: {
      kind: item.kind,
      ...(item.subjectId ? { id: item.subjectId } : {}),
      ...(item.subjectName ? { name: item.subjectName } : {}),
    },
    leafIndex: item.leafIndex,
    treeSize: batch.treeSize,
    path: item.path,
    root: batch.root,
    chain: {
      chainId: batch.chainId,
      contract: batch.contract.toLowerCase(),
      transaction: batch.txHash,
      blockNumber: batch.blockNumber,
      blockTime: new Date(Math.floor(batch.blockTime.getTime() / 1000) * 1000).toISOString().replace(".000Z", "Z"),
    },
    confirmations: batch.confirmations ?? 1,
    issuedAt: new Date().toISOString(),
  });
  return { state: "anchored", receipt };
}
