import "server-only";
import { type Tx, prisma } from "@/lib/db";
import { appendLogEntry } from "@/lib/log/mutations";

export type NewAnchorItem = { digest: string; kind: string; subjectId?: string; subjectName?: string };

/**
 * Queues items in the caller's transaction (the change and its anchoring request commit together),
 * or on their own when `tx` is null (one statement, atomic by itself).
 */
export function createAnchorItems(tx: Tx | null, items: NewAnchorItem[]) {
  return (tx ?? prisma()).anchorItem.createManyAndReturn({ data: items, select: { id: true, digest: true } });
}

/**
 * Takes up to `max` unbatched items, oldest first, and fixes them into a batch with their leaf
 * indexes and audit paths — in one transaction, with the rows locked (SKIP LOCKED), so two
 * workers never put one item into two batches.
 *
 * The same digests in the same order give the same root (a record or file registered twice, a
 * repeated form submission): the items then join the batch that already has that root — same
 * tree, so the same leaf indexes and paths — and share its anchor. The contract anchors a root
 * once (AlreadyAnchored), and the earlier anchor is the stronger proof: the digest existed by then.
 * Only a batch on `target`'s chain and contract, or one not sent yet, is joined: an anchor on a
 * chain the portal no longer uses proves nothing to a verifier of this one, so the root then gets
 * a batch of its own (roots are unique per chain and contract). Two workers that build the same
 * root at once are serialised by a lock on the root, and the second joins the first's batch.
 * @param build turns the claimed digests into the tree: root and one path per leaf
 * @param target the chain and TrialRegistry anchoring now; null when the chain cannot be reached
 * @returns the batch (`joined` when it existed already), or null when nothing was pending
 * @throws Error when the root's batch is on a chain and the current one cannot be reached: the
 *   items stay pending until it can be told whether that is the current chain
 */
export async function claimIntoBatch(
  max: number,
  build: (digests: string[]) => { root: string; paths: string[][] },
  target: { chainId: number; contract: string } | null,
): Promise<{ id: string; root: string; treeSize: number; joined: boolean } | null> {
  return prisma().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Array<{ id: string; digest: string }>>`
      SELECT "id", "digest" FROM "AnchorItem" WHERE "batchId" IS NULL
      ORDER BY "createdAt", "id" LIMIT ${max} FOR UPDATE SKIP LOCKED`;
    if (rows.length === 0) return null;
    const { root, paths } = build(rows.map((r) => r.digest));
    const select = { id: true, root: true, treeSize: true } as const;
    // NULLs are distinct in the unique (root, chainId, contract): without this lock two workers
    // could each create an unsent batch for one new root.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${root}))`;
    const here = [{ chainId: null }, ...(target ? [{ chainId: target.chainId, contract: target.contract }] : [])];
    const existing = await tx.anchorBatch.findFirst({ where: { root, OR: here }, select, orderBy: { createdAt: "asc" } });
    if (!existing && target === null && (await tx.anchorBatch.count({ where: { root } })) > 0) {
      throw new Error(`root ${root} is anchored on a chain, and the current chain cannot be reached to tell whether it is that one: retried next run`);
    }
    if (existing && existing.treeSize !== rows.length) {
      throw new Error(`root ${root} is recorded for ${existing.treeSize} leaves, rebuilt from ${rows.length}: SHA-256 collision or a bug`);
    }
    const batch = existing ?? (await tx.anchorBatch.create({ data: { root, treeSize: rows.length }, select }));
    // One statement for the whole batch: 10,000 single-row updates would take seconds.
    const payload = JSON.stringify(rows.map((row, index) => ({ id: row.id, leafIndex: index, path: paths[index] ?? [] })));
    await tx.$executeRaw`
      UPDATE "AnchorItem" AS item SET "batchId" = ${batch.id}, "leafIndex" = data."leafIndex", "path" = data."path"
      FROM jsonb_to_recordset(${payload}::jsonb) AS data("id" text, "leafIndex" int, "path" jsonb)
      WHERE item."id" = data."id"`;
    return { ...batch, joined: existing !== null };
  }, { timeout: 60_000 });
}

/** Takes the batch for `ms`; false when another worker holds it. */
export async function leaseBatch(id: string, ms: number): Promise<boolean> {
  const now = new Date();
  const taken = await prisma().anchorBatch.updateMany({
    where: { id, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
    data: { leaseUntil: new Date(now.getTime() + ms) },
  });
  return taken.count === 1;
}

export async function releaseBatch(id: string): Promise<void> {
  await prisma().anchorBatch.update({ where: { id }, data: { leaseUntil: null } });
}

/** Recorded before waiting for confirmations: a restart then knows the transaction exists. */
export async function markSent(id: string, sent: { txHash: string; chainId: number; contract: string }): Promise<void> {
  await prisma().anchorBatch.update({
    where: { id },
    data: { status: "SENT", ...sent, sentAt: new Date(), lastError: null },
  });
}

/**
 * The anchor has its confirmations; its `anchoring.batch-confirmed` log entry is written in the
 * same transaction. Confirmed again after a reorganisation, the batch gets a second entry naming
 * the new block: the log keeps both, as the chain's history had both.
 */
export async function markConfirmed(
  id: string,
  done: { txHash: string; chainId: number; contract: string; blockNumber: number; blockHash: string; blockTime: Date; confirmations: number },
): Promise<void> {
  await prisma().$transaction(async (tx) => {
    const batch = await tx.anchorBatch.update({
      where: { id },
      data: { status: "CONFIRMED", ...done, confirmedAt: new Date(), lastError: null, leaseUntil: null },
      select: { root: true, treeSize: true },
    });
    await appendLogEntry(tx, {
      kind: "anchoring.batch-confirmed",
      actor: { type: "system", id: "outbox:anchoring" },
      subject: { type: "anchor-batch", id: batch.root },
      details: {
        root: batch.root,
        size: batch.treeSize,
        chainId: done.chainId,
        contract: done.contract,
        txHash: done.txHash,
        blockNumber: done.blockNumber,
      },
    });
  });
}

/** Back to BUILT: the transaction was dropped (never mined), or its receipt is of a lost block, and must be sent again. */
export async function markUnsent(id: string, reason: string): Promise<void> {
  await prisma().anchorBatch.update({ where: { id }, data: { status: "BUILT", txHash: null, sentAt: null, lastError: reason } });
}

export async function markFailed(id: string, error: string, retryAt: Date): Promise<void> {
  await prisma().anchorBatch.update({
    where: { id },
    data: { attempts: { increment: 1 }, lastError: error.slice(0, 500), nextAttemptAt: retryAt, leaseUntil: null },
  });
}

/**
 * The anchoring block is no longer on the chain (reorganised away): back to SENT with the block
 * cleared, so receipts are withheld (202) until the worker has found the transaction again or
 * anchored the root anew, and the next receipt names the new block.
 * Only when the batch is still CONFIRMED in that block: two reconcilers never reopen it twice.
 * @returns whether this call reopened it
 */
export async function markReorganised(id: string, blockHash: string | null, reason: string): Promise<boolean> {
  const reopened = await prisma().anchorBatch.updateMany({
    where: { id, status: "CONFIRMED", settledAt: null, blockHash },
    data: {
      status: "SENT",
      blockNumber: null,
      blockHash: null,
      blockTime: null,
      confirmations: null,
      confirmedAt: null,
      reorgs: { increment: 1 },
      lastError: reason.slice(0, 500),
      nextAttemptAt: new Date(),
      leaseUntil: null,
    },
  });
  return reopened.count === 1;
}

/** Records the block hash of an anchor confirmed before hashes were recorded (first re-check). */
export async function recordBlockHash(id: string, blockHash: string): Promise<void> {
  await prisma().anchorBatch.updateMany({ where: { id, status: "CONFIRMED", blockHash: null }, data: { blockHash } });
}

/** The anchoring blocks are deep (and final) enough: these batches are not re-checked again. */
export async function markSettled(ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await prisma().anchorBatch.updateMany({ where: { id: { in: ids }, status: "CONFIRMED" }, data: { settledAt: new Date() } });
}
