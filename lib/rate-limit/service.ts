import "server-only";
import { AppError } from "@/lib/errors";
import { readCounter } from "@/lib/rate-limit/data";
import { bumpCounter, clearCounter } from "@/lib/rate-limit/mutations";

export type Limit = { name: string; max: number; windowMs: number };

/**
 * Sign-in limits. Failed password attempts are counted, per account and per address: 5 per
 * account in 15 minutes stops online guessing of one password (with 12-character minimum
 * passwords that is hopeless anyway) without locking out someone who mistypes twice; 50 per
 * address allows a shared office or NAT. Magic links count every request: each sends mail.
 * Overridable for tests that sign in many times from one address.
 */
export const SIGN_IN_LIMITS = {
  account: { name: "signin-account", max: intFromEnv("SIGNIN_LIMIT_ACCOUNT", 5), windowMs: 15 * 60_000 },
  address: { name: "signin-ip", max: intFromEnv("SIGNIN_LIMIT_IP", 50), windowMs: 15 * 60_000 },
  magicLink: { name: "magic-link", max: intFromEnv("MAGIC_LINK_LIMIT", 5), windowMs: 15 * 60_000 },
} satisfies Record<string, Limit>;

function intFromEnv(name: string, fallback: number): number {
  const value = Number.parseInt(process.env[name] ?? "", 10);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

function keyOf(limit: Limit, subject: string): string {
  return `${limit.name}:${subject}`;
}

function limited(limit: Limit, windowStart: Date): AppError {
  const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + limit.windowMs - Date.now()) / 1000));
  const minutes = Math.ceil(retryAfter / 60);
  return new AppError(
    "RATE_LIMITED",
    `Too many attempts. Please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`,
    { retryAfter },
  );
}

/** @throws AppError RATE_LIMITED when any of the subjects has used up its limit. Counts nothing. */
export async function assertUnderLimits(checks: Array<[Limit, string]>): Promise<void> {
  for (const [limit, subject] of checks) {
    const current = await readCounter(keyOf(limit, subject), limit.windowMs);
    if (current && current.count >= limit.max) throw limited(limit, current.windowStart);
  }
}

/** Counts one attempt against each subject. */
export async function countAttempt(checks: Array<[Limit, string]>): Promise<void> {
  for (const [limit, subject] of checks) await bumpCounter(keyOf(limit, subject), limit.windowMs);
}

/**
 * Counts one attempt and throws if that went over the limit: for actions where every attempt
 * costs something (sending mail).
 * @throws AppError RATE_LIMITED
 */
export async function consume(limit: Limit, subject: string): Promise<void> {
  const after = await bumpCounter(keyOf(limit, subject), limit.windowMs);
  if (after.count > limit.max) throw limited(limit, after.windowStart);
}

export async function forget(limit: Limit, subject: string): Promise<void> {
  await clearCounter(keyOf(limit, subject));
}
