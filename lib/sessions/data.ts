import "server-only";
import { prisma } from "@/lib/db";

/** The session row behind a token's `sid`, or null when it was ended (or never existed). */
export function findSession(id: string) {
  return prisma().session.findUnique({
    where: { id },
    select: { id: true, userId: true, createdAt: true, lastSeenAt: true, expiresAt: true },
  });
}

/** How many of a user's sessions other than `exceptId` are still live at `now`; for the account page. */
export function countOtherLiveSessions(opts: { userId: string; exceptId: string | undefined; now: Date; idleBefore: Date }): Promise<number> {
  return prisma().session.count({
    where: {
      userId: opts.userId,
      ...(opts.exceptId ? { id: { not: opts.exceptId } } : {}),
      expiresAt: { gt: opts.now },
      lastSeenAt: { gt: opts.idleBefore },
    },
  });
}
