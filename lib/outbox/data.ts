import "server-only";
import { prisma } from "@/lib/db";

/**
 * What the witness pump needs of the log's checkpoints (lib/log's LogCheckpoint rows): the newest,
 * the newest anchored, and when the oldest one not yet anchored was signed (how long the log has
 * gone unwitnessed).
 */
export async function findWitnessState() {
  const [latest, anchored] = await Promise.all([
    prisma().logCheckpoint.findFirst({ orderBy: { size: "desc" }, select: { size: true, root: true, anchoredTx: true, anchoredBlock: true } }),
    prisma().logCheckpoint.findFirst({ where: { anchoredBlock: { not: null } }, orderBy: { size: "desc" }, select: { size: true } }),
  ]);
  const anchoredSize = anchored?.size ?? 0n;
  const oldestWaiting = await prisma().logCheckpoint.findFirst({
    where: { size: { gt: anchoredSize }, anchoredBlock: null },
    orderBy: { size: "asc" },
    select: { createdAt: true },
  });
  return { latest, anchoredSize: Number(anchoredSize), waitingSince: oldestWaiting?.createdAt ?? null };
}
