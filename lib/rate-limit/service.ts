import "server-only";
import { AppError } from "@/lib/errors";
import { readCounter } from "@/lib/rate-limit/data";
import { bumpCounter, clearCounter, releaseCounter } from "@/lib/rate-limit/mutations";

export type Limit = { name: string; max: number; windowMs: number };
/** A limit and the subject it is counted for (an account, a client address, both). */
export type Check = readonly [Limit, string];

const MINUTE = 60_000;

/**
 * Sign-in, sign-up and mail limits, overridable for tests that do many from one address.
 *
 * Failed passwords are counted three ways, so that a stranger cannot lock the owner out while
 * online guessing stays hopeless:
 * - per account *and client address*: 5 in 15 minutes. Someone guessing from elsewhere uses up
 *   their own allowance, not the owner's; the owner who mistypes twice is not locked out.
 * - per account from all addresses: 100 an hour, against guessing spread over many addresses.
 *   That is 2,400 guesses a day against a password zxcvbn scores ≥ 3 (≥ 10⁸ guesses): hopeless.
 *   A botnet that uses it up blocks password sign-in for that account for the rest of the hour;
 *   a magic link still works (docs/security/accounts.md).
 * - per client address across accounts: 50 in 15 minutes (password spraying), enough for an office
 *   behind one NAT.
 * Mail costs something each time, so every mail counts: 5 in 15 minutes to one recipient
 * (sign-in links and sign-up confirmations together: no mail bombing of an inbox) and the
 * address limit for the client asking. Sign-up: 10 an hour per client address.
 */
export const SIGN_IN_LIMITS = {
  accountClient: { name: "signin-account-client", max: intFromEnv("SIGNIN_LIMIT_ACCOUNT", 5), windowMs: 15 * MINUTE },
  account: { name: "signin-account", max: intFromEnv("SIGNIN_LIMIT_ACCOUNT_GLOBAL", 100), windowMs: 60 * MINUTE },
  address: { name: "signin-ip", max: intFromEnv("SIGNIN_LIMIT_IP", 50), windowMs: 15 * MINUTE },
  magicLink: { name: "magic-link", max: intFromEnv("MAGIC_LINK_LIMIT", 5), windowMs: 15 * MINUTE },
  signUp: { name: "signup-ip", max: intFromEnv("SIGNUP_LIMIT_IP", 10), windowMs: 60 * MINUTE },
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

/**
 * @throws AppError RATE_LIMITED when any of the subjects has used up its limit. Counts nothing:
 * for telling a person how long to wait before the attempt that counts (`reserve`).
 */
export async function assertUnderLimits(checks: readonly Check[]): Promise<void> {
  for (const [limit, subject] of checks) {
    const current = await readCounter(keyOf(limit, subject), limit.windowMs);
    if (current && current.count >= limit.max) throw limited(limit, current.windowStart);
  }
}

/** Attempts taken by `reserve`; `release` gives them back when the attempt turned out not to count. */
export type Reservation = { release(): Promise<void> };

/**
 * Takes one attempt from each limit *before* the work it guards, each with one atomic
 * increment-and-read (lib/rate-limit/mutations.ts bumpCounter). Concurrent requests each get a
 * distinct count, so with a limit of 5 exactly 5 go through however many arrive at once; a
 * check-then-count scheme let 7 of 30 parallel attempts through (issue 8, point 3).
 * When one limit is used up, the attempts already taken are given back (a refused attempt does not
 * count against the others) and it throws.
 * @throws AppError RATE_LIMITED
 */
export async function reserve(checks: readonly Check[]): Promise<Reservation> {
  const taken: Array<{ key: string; windowStart: Date }> = [];
  const release = async () => {
    for (const { key, windowStart } of taken.splice(0)) await releaseCounter(key, windowStart);
  };
  for (const [limit, subject] of checks) {
    const key = keyOf(limit, subject);
    const after = await bumpCounter(key, limit.windowMs);
    taken.push({ key, windowStart: after.windowStart });
    if (after.count > limit.max) {
      await release();
      throw limited(limit, after.windowStart);
    }
  }
  return { release };
}

/**
 * Takes one attempt from each limit for work where every attempt costs something (sending mail).
 * @throws AppError RATE_LIMITED
 */
export async function consume(...checks: Check[]): Promise<void> {
  await reserve(checks);
}

export async function forget(limit: Limit, subject: string): Promise<void> {
  await clearCounter(keyOf(limit, subject));
}
