import "server-only";
import { prisma } from "@/lib/db";

/**
 * Records a new session, and in the same transaction sweeps the user's sessions that have already
 * ended by time (idle since `idleBefore`, or past their absolute end), so the table holds about
 * one row per device in use without a separate clean-up job.
 */
export async function createSession(session: { id: string; userId: string; now: Date; expiresAt: Date; idleBefore: Date }) {
  await prisma().$transaction([
    prisma().session.deleteMany({
      where: { userId: session.userId, OR: [{ expiresAt: { lte: session.now } }, { lastSeenAt: { lte: session.idleBefore } }] },
    }),
    prisma().session.create({
      data: { id: session.id, userId: session.userId, createdAt: session.now, lastSeenAt: session.now, expiresAt: session.expiresAt },
    }),
  ]);
}

/** Ends one session. Ending one that is already gone is not an error (sign-out twice, two tabs). */
export async function deleteSession(id: string): Promise<void> {
  await prisma().session.deleteMany({ where: { id } });
}

/** Ends every session of a user except `keepId` (the one asking), or all of them without it. */
export async function deleteUserSessions(userId: string, keepId?: string): Promise<number> {
  const result = await prisma().session.deleteMany({ where: { userId, ...(keepId ? { id: { not: keepId } } : {}) } });
  return result.count;
}

/** Moves `lastSeenAt` forward; a row deleted meanwhile stays deleted (updateMany, not upsert). */
export async function touchSession(id: string, now: Date): Promise<void> {
  await prisma().session.updateMany({ where: { id, lastSeenAt: { lt: now } }, data: { lastSeenAt: now } });
}

/**
 * Replaces a password hash and ends the user's other sessions in one transaction: a stolen
 * session must not outlive the password change that was meant to lock its thief out.
 */
export async function setPasswordEndingOtherSessions(opts: { userId: string; passwordHash: string; keepSessionId?: string | undefined }) {
  const others = opts.keepSessionId ? { id: { not: opts.keepSessionId } } : {};
  await prisma().$transaction([
    prisma().user.update({ where: { id: opts.userId }, data: { passwordHash: opts.passwordHash } }),
    prisma().session.deleteMany({ where: { userId: opts.userId, ...others } }),
  ]);
}
