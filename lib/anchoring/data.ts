import "server-only";
import { prisma } from "@/lib/db";

/**
 * The batches that need the anchoring pump, oldest first: not confirmed, their retry time reached,
 * and no live lease.
 * @param excluding batches this run already took a step with (one step per batch per run)
 */
export function findWorkableBatches(now: Date, excluding: string[] = []) {
  return prisma().anchorBatch.findMany({
    where: {
      ...(excluding.length > 0 ? { id: { notIn: excluding } } : {}),
      status: { in: ["BUILT", "SENT"] },
      nextAttemptAt: { lte: now },
      OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }],
    },
    orderBy: { createdAt: "asc" },
    // 100 at a time: the pump asks again until none is left (each costs a transaction and its wait).
    take: 100,
  });
}

/** How many items wait for a batch, and since when. */
export async function pendingSummary(): Promise<{ count: number; oldest: Date | null }> {
  const [count, oldest] = await Promise.all([
    prisma().anchorItem.count({ where: { batchId: null } }),
    prisma().anchorItem.findFirst({ where: { batchId: null }, orderBy: { createdAt: "asc" }, select: { createdAt: true } }),
  ]);
  return { count, oldest: oldest?.createdAt ?? null };
}

/** An item with its batch: what a receipt, or a "pending since …" note, is made from. */
export function getItemWithBatch(id: string) {
  return prisma().anchorItem.findUnique({ where: { id }, include: { batch: true } });
}

/** Every batch, oldest first (benchmarks and the operator's overview). */
export function listBatches() {
  return prisma().anchorBatch.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, root: true, treeSize: true, status: true, txHash: true, blockHash: true, settledAt: true, reorgs: true },
  });
}

/** Confirmed anchors whose block is not yet settled: the ones the reconciler re-checks. */
export function listUnsettledAnchors() {
  return prisma().anchorBatch.findMany({
    where: { status: "CONFIRMED", settledAt: null },
    select: { id: true, root: true, txHash: true, chainId: true, contract: true, blockNumber: true, blockHash: true },
    orderBy: { blockNumber: "asc" },
  });
}
