import "server-only";
import { type PendingSignUp, pendingSignUp } from "@/lib/auth/schema";
import { prisma } from "@/lib/db";

export type { PendingSignUp };

export type NewUser = {
  email: string;
  name: string;
  passwordHash: string | null;
  accountType: "SPONSOR" | "RESEARCHER";
  institution?: string | undefined;
  siteAdmin?: boolean;
  /** When the address was confirmed; null (the default) until its owner follows the mailed link. */
  emailVerified?: Date | null;
};


/**
 * Creates a user (and its institution, by name, when new) in one transaction.
 * @throws Prisma P2002 when the email is taken (mapped to 409 by toAppError)
 */
export async function createUser(user: NewUser) {
  return prisma().$transaction(async (tx) => {
    const institution = user.institution
      ? await tx.institution.upsert({ where: { name: user.institution }, create: { name: user.institution }, update: {} })
      : null;
    return tx.user.create({
      data: {
        email: user.email,
        name: user.name,
        passwordHash: user.passwordHash,
        accountType: user.accountType,
        siteAdmin: user.siteAdmin ?? false,
        institutionId: institution?.id ?? null,
        emailVerified: user.emailVerified ?? null,
      },
      select: { id: true, email: true, name: true },
    });
  });
}

export async function markEmailVerified(userId: string): Promise<void> {
  await prisma().user.update({ where: { id: userId }, data: { emailVerified: new Date() } });
}

/**
 * Stores a link's token (Auth.js passes it hashed), with the sign-up it confirms when there is one.
 * Earlier links of the same address are kept: each carries its own sign-up (see takeVerificationToken).
 */
export async function createVerificationToken(token: { identifier: string; token: string; expires: Date }, pending?: PendingSignUp) {
  return prisma().verificationToken.create({
    data: { ...token, ...(pending ? { pendingSignUp: pending } : {}) },
    select: { identifier: true, token: true, expires: true },
  });
}

/**
 * Deletes and returns the token: a magic link works once. Null when unknown or already used.
 *
 * A confirmation link applies the sign-up it was mailed for, in the same transaction that
 * confirms the address: that sign-up's name, account type, institution and password become the
 * account's, and every other link of the address (other sign-ups' confirmations, sign-in links
 * mailed before) is deleted, so the first link followed decides and the others stop working.
 * Nothing is applied for an expired link (Auth.js refuses it after this returns) or once the
 * address is confirmed (then the link only signs its owner in).
 */
export async function takeVerificationToken(identifier: string, token: string, now: Date = new Date()) {
  return prisma().$transaction(async (tx) => {
    const row = await tx.verificationToken.findUnique({ where: { identifier_token: { identifier, token } } });
    if (!row) return null;
    // Deleted by count: of two requests with the same link, only the one that deleted it goes on.
    const { count: taken } = await tx.verificationToken.deleteMany({ where: { identifier, token } });
    if (taken === 0) return null;
    const pending = pendingSignUp.safeParse(row.pendingSignUp);
    if (pending.success && row.expires > now) {
      const institution = pending.data.institution
        ? await tx.institution.upsert({ where: { name: pending.data.institution }, create: { name: pending.data.institution }, update: {} })
        : null;
      const { count } = await tx.user.updateMany({
        where: { email: identifier, emailVerified: null },
        data: {
          name: pending.data.name,
          accountType: pending.data.accountType,
          institutionId: institution?.id ?? null,
          passwordHash: pending.data.passwordHash,
          emailVerified: now,
        },
      });
      if (count > 0) await tx.verificationToken.deleteMany({ where: { identifier } });
    }
    return { identifier: row.identifier, token: row.token, expires: row.expires };
  });
}
