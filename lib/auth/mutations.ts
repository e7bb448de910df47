import "server-only";
import { prisma } from "@/lib/db";

export type NewUser = {
  email: string;
  name: string;
  passwordHash: string | null;
  accountType: "SPONSOR" | "RESEARCHER";
  institution?: string | undefined;
  siteAdmin?: boolean;
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
      },
      select: { id: true, email: true, name: true },
    });
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
