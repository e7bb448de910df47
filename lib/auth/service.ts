import "server-only";
import { getCredentials, getCredentialsById, getSessionUser } from "@/lib/auth/data";
import { createUser } from "@/lib/auth/mutations";
import { dummyHash, hashPassword, verifyPassword } from "@/lib/auth/password";
import type { SessionUser } from "@/lib/auth/roles";
import type { SignUpInput } from "@/lib/auth/schema";
import { AppError } from "@/lib/errors";
import { SIGN_IN_LIMITS, assertUnderLimits, countAttempt, forget } from "@/lib/rate-limit/service";
import { setPasswordEndingOtherSessions } from "@/lib/sessions/mutations";

/** The client's address as the portal's own server saw it (Next sets x-forwarded-for). */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip") || "unknown";
}

/**
 * Creates an account with a password.
 * @throws AppError CONFLICT when the email already has an account
 */
export async function signUp(input: SignUpInput): Promise<{ id: string; email: string }> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await createUser({
      email: input.email,
      name: input.name,
      passwordHash,
      accountType: input.accountType,
      institution: input.accountType === "RESEARCHER" ? input.institution : undefined,
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") {
      throw new AppError("CONFLICT", "An account with this email already exists. Sign in instead.", {
        fieldErrors: { email: ["An account with this email already exists."] },
      });
    }
    throw error;
  }
}

export function signInChecks(email: string, address: string) {
  return [
    [SIGN_IN_LIMITS.account, email],
    [SIGN_IN_LIMITS.address, address],
  ] as Array<[typeof SIGN_IN_LIMITS.account, string]>;
}

/**
 * Checks an email and password. Refuses (before looking at the password) while the account or the
 * address is over its limit of failed attempts; counts a failure against both.
 * @returns the session user, or null for a wrong email or password (indistinguishable, also in time)
 * @throws AppError RATE_LIMITED
 */
export async function verifyCredentials(opts: {
  email: string;
  password: string;
  address: string;
}): Promise<SessionUser | null> {
  const checks = signInChecks(opts.email, opts.address);
  await assertUnderLimits(checks);
  const account = await getCredentials(opts.email);
  const valid = await verifyPassword(account?.passwordHash ?? (await dummyHash()), opts.password);
  if (!account || !account.passwordHash || !valid) {
    await countAttempt(checks);
    return null;
  }
  await forget(SIGN_IN_LIMITS.account, opts.email);
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
  });
}
