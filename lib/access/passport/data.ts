import "server-only";
import { prisma } from "@/lib/db";

/**
 * The researcher's GA4GH passport: the stored visas of their grants active now. Read live on every
 * request, never cached: an issued JWT cannot be recalled, so a revoked grant (endedAt set) must
 * leave the passport at once, and an expired one with its end, whether or not the expiry job has
 * run yet to mark it.
 *
 * In lib/access/passport/ rather than lib/access/data.ts only because the decision code that writes
 * grants is being built beside it; the lead may move `activeVisas` there.
 */

/**
 * The visas of `userId`'s grants with start ≤ `now` < end and not ended, oldest grant first.
 * A grant that starts later (a renewal decided ahead) is not in the passport before its start.
 */
export async function activeVisas(opts: { userId: string; now?: Date }): Promise<string[]> {
  const now = opts.now ?? new Date();
  const grants = await prisma().accessGrant.findMany({
    where: { userId: opts.userId, endedAt: null, start: { lte: now }, end: { gt: now } },
    select: { visa: true },
    orderBy: [{ start: "asc" }, { id: "asc" }],
  });
  return grants.map((grant) => grant.visa);
}
