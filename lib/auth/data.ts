import "server-only";
import { prisma } from "@/lib/db";
import { rolesOf, type SessionUser } from "@/lib/auth/roles";
import { pendingSignUp } from "@/lib/auth/schema";

/** The session view of a user, roles derived from the account; null when the user is gone. */
export async function getSessionUser(id: string): Promise<SessionUser | null> {
  return readSessionUser(id, false);
}

/**
 * The session view of a user who may act: null when the user is gone or has not confirmed their
 * email address yet. What a session is built from on every request (lib/auth/config.ts).
 */
export async function getActiveSessionUser(id: string): Promise<SessionUser | null> {
  return readSessionUser(id, true);
}

async function readSessionUser(id: string, verifiedOnly: boolean): Promise<SessionUser | null> {
  const user = await prisma().user.findUnique({
    where: { id },
    select: {
      id: true,
      email: true,
      name: true,
      accountType: true,
      siteAdmin: true,
      emailVerified: true,
      _count: { select: { committeeSeats: true } },
    },
  });
  if (!user || (verifiedOnly && !user.emailVerified)) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: rolesOf({
      accountType: user.accountType,
      siteAdmin: user.siteAdmin,
      committeeSeats: user._count.committeeSeats,
    }),
  };
}

/** What verifying a password needs; the only reader of `passwordHash`. */
export function getCredentials(email: string) {
  return prisma().user.findUnique({ where: { email }, select: { id: true, passwordHash: true, emailVerified: true } });
}

/**
 * The password hash of the latest sign-up still waiting for this address's confirmation (stored
 * with its link, lib/auth/mutations.ts takeVerificationToken), so that its right password can be
 * told "confirm your address first". At most one hash, so a password check costs the same.
 */
export async function latestPendingPasswordHash(email: string, now: Date = new Date()): Promise<string | undefined> {
  // At most a few links per address exist (SIGN_IN_LIMITS.magicLink mails per window).
  const links = await prisma().verificationToken.findMany({
    where: { identifier: email, expires: { gt: now } },
    orderBy: { expires: "desc" },
    take: 20,
    select: { pendingSignUp: true },
  });
  for (const link of links) {
    const parsed = pendingSignUp.safeParse(link.pendingSignUp);
    if (parsed.success) return parsed.data.passwordHash;
  }
  return undefined;
}

export function getCredentialsById(id: string) {
  return prisma().user.findUnique({ where: { id }, select: { id: true, email: true, passwordHash: true } });
}

export function findUserIdByEmail(email: string) {
  return prisma().user.findUnique({ where: { email }, select: { id: true, email: true, name: true, emailVerified: true } });
}

export function getProfile(id: string) {
  return prisma().user.findUnique({
    where: { id },
    select: {
      id: true,
      email: true,
      name: true,
      accountType: true,
      siteAdmin: true,
      createdAt: true,
      institution: { select: { name: true } },
    },
  });
}

/** Every account, for the site administrator's overview. */
export function listUsers(take = 200) {
  return prisma().user.findMany({
    orderBy: { createdAt: "asc" },
    take,
    select: {
      id: true,
      email: true,
      name: true,
      accountType: true,
      siteAdmin: true,
      createdAt: true,
      institution: { select: { name: true } },
    },
  });
}

export function findUserById(id: string) {
  return prisma().user.findUnique({ where: { id }, select: { id: true, email: true, name: true, emailVerified: true } });
}
