import "server-only";
import { type Tx, prisma } from "@/lib/db";
import { appendLogEntry } from "@/lib/log/mutations";

/** How someone proved who they are, and from where (private in the log). */
export type SignInEvent = { method: "password" | "email-link"; clientAddress?: string | undefined };

/**
 * Records a new session and its `auth.signed-in` log entry, and in the same transaction sweeps the
 * user's sessions that have already ended by time (idle since `idleBefore`, or past their absolute
 * end), so the table holds about one row per device in use without a separate clean-up job.
 */
export async function createSession(
  session: { id: string; userId: string; now: Date; expiresAt: Date; idleBefore: Date },
  signIn: SignInEvent,
) {
  await prisma().$transaction(async (tx) => {
    await tx.session.deleteMany({
      where: { userId: session.userId, OR: [{ expiresAt: { lte: session.now } }, { lastSeenAt: { lte: session.idleBefore } }] },
    });
    await tx.session.create({
      data: { id: session.id, userId: session.userId, createdAt: session.now, lastSeenAt: session.now, expiresAt: session.expiresAt },
    });
    // The entry's time is the server's clock, not `now` (the sessions' clock, which tests move).
    await appendLogEntry(tx, {
      kind: "auth.signed-in",
      actor: { type: "user", id: session.userId },
      subject: { type: "user", id: session.userId },
      details: { method: signIn.method },
      private: signIn.clientAddress ? { clientAddress: signIn.clientAddress } : {},
    });
  });
}

/** Ends one session that ended by time (idle or too old): not an act of anyone's, so not logged. */
export async function deleteSession(id: string): Promise<void> {
  await prisma().session.deleteMany({ where: { id } });
}

/**
 * Signs one session out, with its `auth.signed-out` entry. A session already gone (sign-out twice,
 * two tabs) is not an error, and logs nothing: nothing changed.
 */
export async function signOutSession(id: string): Promise<void> {
  await prisma().$transaction(async (tx) => {
    const row = await tx.session.findUnique({ where: { id }, select: { userId: true } });
    if (!row) return;
    const { count } = await tx.session.deleteMany({ where: { id } });
    if (count === 0) return;
    await appendLogEntry(tx, { kind: "auth.signed-out", actor: { type: "user", id: row.userId }, subject: { type: "user", id: row.userId }, details: {} });
  });
}

function logRevoked(tx: Tx, userId: string, count: number, reason: "sign-out-everywhere" | "password-change") {
  return appendLogEntry(tx, {
    kind: "sessions.revoked",
    actor: { type: "user", id: userId },
    subject: { type: "user", id: userId },
    details: { count, reason },
  });
}

/**
 * Ends every session of a user except `keepId` (the one asking), or all of them without it, and
 * logs `sessions.revoked` with how many ended (0 included: the person asked).
 */
export async function deleteUserSessions(userId: string, keepId?: string): Promise<number> {
  return prisma().$transaction(async (tx) => {
    const result = await tx.session.deleteMany({ where: { userId, ...(keepId ? { id: { not: keepId } } : {}) } });
    await logRevoked(tx, userId, result.count, "sign-out-everywhere");
    return result.count;
  });
}

/** Moves `lastSeenAt` forward; a row deleted meanwhile stays deleted (updateMany, not upsert). */
export async function touchSession(id: string, now: Date): Promise<void> {
  await prisma().session.updateMany({ where: { id, lastSeenAt: { lt: now } }, data: { lastSeenAt: now } });
}

/**
 * Replaces a password hash and ends the user's other sessions in one transaction: a stolen
 * session must not outlive the password change that was meant to lock its thief out. Logs
 * `account.password-changed`, and `sessions.revoked` when other sessions ended.
 */
export async function setPasswordEndingOtherSessions(opts: {
  userId: string;
  passwordHash: string;
  keepSessionId?: string | undefined;
  clientAddress?: string | undefined;
}) {
  const others = opts.keepSessionId ? { id: { not: opts.keepSessionId } } : {};
  await prisma().$transaction(async (tx) => {
    await tx.user.update({ where: { id: opts.userId }, data: { passwordHash: opts.passwordHash } });
    const ended = await tx.session.deleteMany({ where: { userId: opts.userId, ...others } });
    await appendLogEntry(tx, {
      kind: "account.password-changed",
      actor: { type: "user", id: opts.userId },
      subject: { type: "user", id: opts.userId },
      details: {},
      private: opts.clientAddress ? { clientAddress: opts.clientAddress } : {},
    });
    if (ended.count > 0) await logRevoked(tx, opts.userId, ended.count, "password-change");
  });
}
