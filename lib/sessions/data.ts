import "server-only";
import { prisma } from "@/lib/db";

/** The session row behind a token's `sid`, or null when it was ended (or never existed). */
export function findSession(id: string) {
  return prisma().session.findUnique({
    where: { id },
    select: { id: true, userId: true, createdAt: true, lastSeenAt: true, expiresAt: true },
  });
}

/** How many live-or-not-yet-swept sessions a user has; for the account page. */
export function countUserSessions(userId: string): Promise<number> {
  return prisma().session.count({ where: { userId } });
}
