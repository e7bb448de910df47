import "server-only";
import { randomBytes } from "node:crypto";
import { countOtherLiveSessions, findSession } from "@/lib/sessions/data";
import { type SignInEvent, createSession, deleteSession, deleteUserSessions, signOutSession, touchSession } from "@/lib/sessions/mutations";
import { type SessionLifetimes, judgeSession } from "@/lib/sessions/lifetime";
import { env } from "@/lib/env";

/** The configured lifetimes (validated in lib/env.ts). */
export function sessionLifetimes(): SessionLifetimes {
  const config = env();
  return { idleMs: config.SESSION_IDLE_MINUTES * 60_000, absoluteMs: config.SESSION_ABSOLUTE_HOURS * 3_600_000 };
}

/**
 * Starts a session for a user who has just proven who they are (`signIn`: how), logged as a sign-in.
 * @returns the session id the JWT carries (`sid`): 32 random bytes, unguessable and unlinkable
 */
export async function startSession(userId: string, now = new Date(), signIn: SignInEvent = { method: "password" }): Promise<string> {
  const lifetimes = sessionLifetimes();
  const id = randomBytes(32).toString("base64url");
  await createSession({
    id,
    userId,
    now,
    expiresAt: new Date(now.getTime() + lifetimes.absoluteMs),
    idleBefore: new Date(now.getTime() - lifetimes.idleMs),
  }, signIn);
  return id;
}

/**
 * Checks the session `sid` of a presented token at `now`, deleting it when it has ended by time
 * and recording the activity (at most once a minute) when it is live.
 * @returns the user id of a live session; null when the session was ended, expired or idle
 */
export async function resumeSession(sid: string, now = new Date()): Promise<{ userId: string } | null> {
  const row = await findSession(sid);
  const verdict = judgeSession(row, now, sessionLifetimes());
  if (!row) return null;
  if (!verdict.live) {
    await deleteSession(row.id);
    return null;
  }
  if (verdict.touch) await touchSession(row.id, now);
  return { userId: row.userId };
}

/** Ends one session (sign-out), logged. */
export function endSession(sid: string): Promise<void> {
  return signOutSession(sid);
}

/** Ends every session of `userId` but `keepSid`, the one asking ("sign out everywhere else"). */
export function endOtherSessions(userId: string, keepSid: string | undefined): Promise<number> {
  return deleteUserSessions(userId, keepSid);
}

/** How many other live sessions `userId` has besides `sid`: what "sign out everywhere else" would end. */
export function otherLiveSessions(userId: string, sid: string | undefined, now = new Date()): Promise<number> {
  const { idleMs } = sessionLifetimes();
  return countOtherLiveSessions({ userId, exceptId: sid, now, idleBefore: new Date(now.getTime() - idleMs) });
}
