/**
 * When a session ends by time. Pure, so the rules are tested without a database or a clock.
 * The numbers and their reasons are in docs/security/sessions.md.
 */

export type SessionLifetimes = {
  /** A session unused this long is over (SESSION_IDLE_MINUTES, default 60). */
  idleMs: number;
  /** A session is over this long after sign-in, however busy (SESSION_ABSOLUTE_HOURS, default 12). */
  absoluteMs: number;
};

/**
 * `lastSeenAt` is written at most once per this interval: a page load makes several requests
 * (the page, its server actions, /api/auth/session), and one write a minute per active session is
 * cheap where one per request is not. The idle limit is therefore exact to within one minute.
 */
export const SESSION_TOUCH_MS = 60_000;

export type SessionTimes = { createdAt: Date; lastSeenAt: Date; expiresAt: Date };

export type SessionVerdict =
  | { live: true; touch: boolean }
  | { live: false; reason: "ended" | "expired" | "idle" };

/** Whether the session row `row` (null: ended by sign-out or a password change) is live at `now`. */
export function judgeSession(row: SessionTimes | null, now: Date, lifetimes: SessionLifetimes): SessionVerdict {
  if (!row) return { live: false, reason: "ended" };
  const at = now.getTime();
  // Both bounds are checked: `expiresAt` was fixed at sign-in, and createdAt + absoluteMs also
  // applies a shortened SESSION_ABSOLUTE_HOURS to sessions that began before the change.
  if (at >= row.expiresAt.getTime() || at >= row.createdAt.getTime() + lifetimes.absoluteMs) return { live: false, reason: "expired" };
  if (at >= row.lastSeenAt.getTime() + lifetimes.idleMs) return { live: false, reason: "idle" };
  return { live: true, touch: at - row.lastSeenAt.getTime() >= SESSION_TOUCH_MS };
}
