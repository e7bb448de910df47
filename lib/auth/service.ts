import "server-only";
import { findUserIdByEmail, getCredentials, getCredentialsById, getSessionUser, latestPendingPasswordHash } from "@/lib/auth/data";
import { type NewUser, type PendingSignUp, createUser, recordSignInFailure } from "@/lib/auth/mutations";
import { signUpBeingConfirmed } from "@/lib/auth/pending-sign-up";
import { dummyHash, hashPassword, verifyPassword } from "@/lib/auth/password";
import type { SessionUser } from "@/lib/auth/roles";
import type { SignUpInput } from "@/lib/auth/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { assertMailTransport, sendMail } from "@/lib/mail/service";
import { clientAddressFrom, rateLimitSubject } from "@/lib/net/address";
import { type Check, SIGN_IN_LIMITS, consume, forget, reserve } from "@/lib/rate-limit/service";
import { setPasswordEndingOtherSessions } from "@/lib/sessions/mutations";

/**
 * The client as the rate limits key it: the socket address scripts/serve.ts appended to
 * x-forwarded-for, or with TRUSTED_PROXY_HOPS proxies in front, what the outermost of them saw
 * (lib/net/address.ts), never the left-most entry, which the client writes itself. An IPv6
 * address counts as its /64 (rateLimitSubject): whoever has one address has 2^64 of them.
 */
export function clientAddress(headers: Headers): string {
  return rateLimitSubject(clientAddressFrom(headers, env().TRUSTED_PROXY_HOPS));
}

export const UNVERIFIED_MESSAGE =
  "Confirm your email address first: follow the link we mailed you. To get a new link, sign up again with the same address.";

/**
 * Creates an account with a password, its address not yet confirmed (it cannot sign in until
 * then). For tests and scripts that need an account; people sign up through `registerAccount`.
 * @throws AppError CONFLICT when the email already has an account
 */
export async function signUp(input: SignUpInput): Promise<{ id: string; email: string }> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await createUser(newUser(input, passwordHash));
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") {
      throw new AppError("CONFLICT", "An account with this email already exists. Sign in instead.", {
        fieldErrors: { email: ["An account with this email already exists."] },
      });
    }
    throw error;
  }
}

function newUser(input: SignUpInput, passwordHash: string): NewUser {
  return {
    email: input.email,
    name: input.name,
    passwordHash,
    accountType: input.accountType,
    institution: input.accountType === "RESEARCHER" ? input.institution : undefined,
  };
}

/** The mail limits: per recipient (no mail bombing of an inbox) and per client asking. */
function mailChecks(email: string, address: string): Check[] {
  return [
    [SIGN_IN_LIMITS.magicLink, email],
    [SIGN_IN_LIMITS.address, address],
  ];
}

/**
 * Sign-up as a person does it, answering the same whether or not the address has an account
 * (issue 8, point 4): the caller shows "check your email" in every case, and only the mailbox's
 * owner learns which case it was.
 * - an address without a confirmed account: `sendConfirmation` (Auth.js's magic link) is called
 *   with this sign-up's details and password hash bound to the link's token
 *   (lib/auth/pending-sign-up.ts); following the link confirms the address, applies exactly that
 *   sign-up and signs the person in. A new address first gets an account row without a password
 *   (it cannot sign in); later sign-ups of the same unconfirmed address change nothing on it and
 *   get links of their own, so a squatter, before or after the owner, cannot put a password on
 *   the owner's account: the owner's link applies the owner's sign-up.
 * - a confirmed account: nothing changes, and its owner is mailed that someone tried to sign up.
 * Refuses before anything else when the portal has no mail transport; counts one sign-up against
 * the client and one mail against the recipient and the client, in every case before the address
 * is looked up; the password is hashed in every case, so the time taken does not tell the cases
 * apart either.
 * @throws AppError UNAVAILABLE (no mail transport), RATE_LIMITED
 */
export async function registerAccount(
  input: SignUpInput,
  opts: { address: string; sendConfirmation: (email: string) => Promise<unknown> },
): Promise<void> {
  assertMailTransport();
  await consume([SIGN_IN_LIMITS.signUp, opts.address]);
  await consume(...mailChecks(input.email, opts.address));
  const pending: PendingSignUp = {
    name: input.name,
    accountType: input.accountType,
    ...(input.accountType === "RESEARCHER" ? { institution: input.institution } : {}),
    passwordHash: await hashPassword(input.password),
  };
  const existing = await findUserIdByEmail(input.email);
  if (!existing) {
    try {
      await createUser({ email: input.email, name: input.name, accountType: input.accountType, passwordHash: null });
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002") throw error; // a sign-up for the same address just won the race
    }
  }
  if (!existing?.emailVerified) {
    await signUpBeingConfirmed.run(pending, () => opts.sendConfirmation(input.email));
    return;
  }
  await sendMail({
    to: input.email,
    subject: "Someone tried to create a TrialLedger account with your address",
    body: `Someone, perhaps you, tried to create a TrialLedger account with this email address. You already have one, and nothing was changed.\n\nSign in at ${env().authUrl}/sign-in (with your password or a link by email).\n\nIf it was not you, you can ignore this mail.`,
  });
}

/**
 * What Auth.js's email provider calls to mail a link (lib/auth/config.ts sendVerificationRequest),
 * for POST /api/auth/signin/email and the sign-in form alike. Counts the mail against the recipient
 * and the client before looking the address up, so the limit behaves the same for every address.
 * Mails nothing for an unknown address, and to an unconfirmed account only the confirmation link
 * its own sign-up asked for. Without a mail transport it refuses every request alike, before the
 * limits and the lookup, so the answer never says whether the address has an account.
 * @throws AppError UNAVAILABLE (no mail transport), RATE_LIMITED
 */
export async function sendSignInLink(opts: { email: string; url: string; address: string }): Promise<void> {
  assertMailTransport();
  const email = opts.email.toLowerCase();
  const confirming = signUpBeingConfirmed.getStore() !== undefined;
  if (!confirming) await consume(...mailChecks(email, opts.address));
  const user = await findUserIdByEmail(email);
  if (!user) return;
  if (!user.emailVerified) {
    if (!confirming) return;
    await sendMail({
      to: user.email,
      subject: "Confirm your email address for TrialLedger",
      body: `Follow this link within 15 minutes to confirm your email address and sign in to TrialLedger:\n\n${opts.url}\n\nIf you did not create an account, ignore this mail: without the link the account cannot be used.`,
      link: opts.url,
    });
    return;
  }
  await sendMail({
    to: user.email,
    subject: "Your TrialLedger sign-in link",
    body: `Follow this link within 15 minutes to sign in to TrialLedger:\n\n${opts.url}\n\nIf you did not ask for it, ignore this mail.`,
    link: opts.url,
  });
}

/**
 * The limits a password attempt counts against: the account from this client, the account from
 * anywhere (slower), and this client across accounts (lib/rate-limit/service.ts SIGN_IN_LIMITS).
 */
export function signInChecks(email: string, address: string): Check[] {
  return [
    [SIGN_IN_LIMITS.accountClient, `${email}|${address}`],
    [SIGN_IN_LIMITS.account, email],
    [SIGN_IN_LIMITS.address, address],
  ];
}

/**
 * Checks an email and password. The attempt is counted against every sign-in limit before the
 * password is looked at (so parallel attempts cannot overrun a limit) and given back when the
 * password is right; a right password also clears this client's failures for the account.
 * @returns the session user, or null for a wrong email or password (indistinguishable, also in time)
 * @throws AppError RATE_LIMITED while a limit is used up; FORBIDDEN (UNVERIFIED_MESSAGE) for the
 *   right password of an account whose address is not confirmed yet (the latest pending sign-up's)
 */
export async function verifyCredentials(opts: {
  email: string;
  password: string;
  address: string;
}): Promise<SessionUser | null> {
  const reservation = await reserve(signInChecks(opts.email, opts.address));
  const account = await getCredentials(opts.email);
  // An unconfirmed sign-up's password waits with its link (registerAccount), not on the account.
  const hash = account?.passwordHash ?? (account && !account.emailVerified ? await latestPendingPasswordHash(opts.email) : undefined);
  const valid = await verifyPassword(hash ?? (await dummyHash()), opts.password);
  // Every counted attempt that fails is logged, unknown addresses too (the reason is private);
  // attempts refused by a limit above are not, so the limits also bound what a guesser can add
  // to the public log.
  if (!account || !hash || !valid) {
    await recordSignInFailure({ email: opts.email, reason: account ? "wrong-password" : "unknown-account", userId: account?.id, clientAddress: opts.address });
    return null;
  }
  await reservation.release();
  await forget(SIGN_IN_LIMITS.accountClient, `${opts.email}|${opts.address}`);
  if (!account.emailVerified) {
    await recordSignInFailure({ email: opts.email, reason: "unconfirmed-address", userId: account.id, clientAddress: opts.address });
    throw new AppError("FORBIDDEN", UNVERIFIED_MESSAGE);
  }
  return getSessionUser(account.id);
}

/**
 * Replaces the password after checking the current one, and ends every other session of the
 * account in the same transaction (`keepSessionId`, the one asking, stays signed in).
 * @throws AppError VALIDATION when the current password is wrong
 */
export async function changePassword(opts: {
  userId: string;
  currentPassword: string;
  newPassword: string;
  keepSessionId?: string | undefined;
  /** The client asking, for the log's private details. */
  clientAddress?: string | undefined;
}): Promise<void> {
  const account = await getCredentialsById(opts.userId);
  if (!account) throw new AppError("NOT_FOUND", "Your account no longer exists.");
  const valid = account.passwordHash ? await verifyPassword(account.passwordHash, opts.currentPassword) : false;
  if (!valid) {
    throw new AppError("VALIDATION", "The current password is not right.", {
      fieldErrors: { currentPassword: ["The current password is not right."] },
    });
  }
  await setPasswordEndingOtherSessions({
    userId: opts.userId,
    passwordHash: await hashPassword(opts.newPassword),
    keepSessionId: opts.keepSessionId,
    clientAddress: opts.clientAddress,
  });
}

/**
 * Checks the signed-in user's password again, for a signed act (21 CFR Part 11 §11.200: a signature
 * outside a continuous session of signings uses both components, the account and its password).
 * The attempt counts against the account's password limit from all addresses (100 an hour,
 * SIGN_IN_LIMITS.account), so a stolen session cannot guess the password through it faster than
 * through the sign-in form, and is given back when right.
 * @throws AppError VALIDATION with a field error under `field` when the password is wrong;
 *   RATE_LIMITED while the account's limit is used up
 */
export async function reauthenticate(opts: { userId: string; password: string; field: string }): Promise<void> {
  const account = await getCredentialsById(opts.userId);
  if (!account) throw new AppError("NOT_FOUND", "Your account no longer exists.");
  const reservation = await reserve([[SIGN_IN_LIMITS.account, account.email]]);
  const valid = await verifyPassword(account.passwordHash ?? (await dummyHash()), opts.password);
  if (!account.passwordHash || !valid) {
    const message = "That is not your password: the submission was not signed, and nothing was saved.";
    throw new AppError("VALIDATION", message, { fieldErrors: { [opts.field]: ["That is not your password."] } });
  }
  await reservation.release();
}
