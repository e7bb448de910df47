import "server-only";
import { prisma } from "@/lib/db";

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

/**
 * A new sign-up for an address whose account was never confirmed: the latest sign-up's details
 * and password replace the earlier ones, and the earlier confirmation links stop working, in one
 * transaction. So the one link that works is always the one mailed for the latest sign-up, and
 * whoever squatted the address before its owner signed up keeps no password on the account.
 * @returns whether an unconfirmed account was replaced (false when it was confirmed meanwhile)
 */
export async function replaceUnverifiedUser(user: NewUser): Promise<boolean> {
  return prisma().$transaction(async (tx) => {
    const institution = user.institution
      ? await tx.institution.upsert({ where: { name: user.institution }, create: { name: user.institution }, update: {} })
      : null;
    const { count } = await tx.user.updateMany({
      where: { email: user.email, emailVerified: null },
      data: { name: user.name, passwordHash: user.passwordHash, accountType: user.accountType, institutionId: institution?.id ?? null },
    });
    if (count === 0) return false;
    await tx.verificationToken.deleteMany({ where: { identifier: user.email } });
    return true;
  });
}

export async function markEmailVerified(userId: string): Promise<void> {
  await prisma().user.update({ where: { id: userId }, data: { emailVerified: new Date() } });
}

export async function createVerificationToken(token: { identifier: string; token: string; expires: Date }) {
  return prisma().verificationToken.create({ data: token });
}

/** Deletes and returns the token: a magic link works once. Null when unknown or already used. */
export async function takeVerificationToken(identifier: string, token: string) {
  try {
    return await prisma().verificationToken.delete({ where: { identifier_token: { identifier, token } } });
  } catch (error) {
    if ((error as { code?: string }).code === "P2025") return null;
    throw error;
  }
}
