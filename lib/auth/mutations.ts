import "server-only";
import { type PendingSignUp, pendingSignUp } from "@/lib/auth/schema";
import { type Tx, prisma } from "@/lib/db";
import type { Actor } from "@/lib/log/entry";
import { appendLogEntry } from "@/lib/log/mutations";

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
 * Creates a user (and its institution, by name, when new) and its `account.created` log entry in
 * one transaction. `actor`: who created it; nobody signed in (a sign-up) unless said.
 * @throws Prisma P2002 when the email is taken (mapped to 409 by toAppError); nothing is logged then
 */
export async function createUser(user: NewUser, actor: Actor = { type: "anonymous" }) {
  return prisma().$transaction(async (tx) => {
    const institution = user.institution
      ? await tx.institution.upsert({ where: { name: user.institution }, create: { name: user.institution }, update: {} })
      : null;
    const created = await tx.user.create({
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
    await appendLogEntry(tx, {
      kind: "account.created",
      actor,
      subject: { type: "user", id: created.id },
      details: { accountType: user.accountType },
      private: { email: created.email, name: created.name },
    });
    return created;
  });
}

/**
 * Marks the address confirmed, once: Auth.js calls this on every magic-link sign-in, and only the
 * first confirms anything (and is logged as `account.verified`); later ones change nothing.
 */
export async function markEmailVerified(userId: string, now: Date = new Date()): Promise<void> {
  await prisma().$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({ where: { id: userId, emailVerified: null }, data: { emailVerified: now } });
    if (count === 0) return;
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
    await logVerified(tx, userId, user.email);
  });
}

/** The entry's time is the server's clock, not a caller's `now` (tests move that one). */
function logVerified(tx: Tx, userId: string, email: string) {
  return appendLogEntry(tx, {
    kind: "account.verified",
    actor: { type: "user", id: userId },
    subject: { type: "user", id: userId },
    details: {},
    private: { email },
  });
}

/**
 * Logs a password sign-in that failed (`auth.sign-in-failed`), in a transaction of its own: nothing
 * else changes. The entry's public part says only that a password sign-in failed; the address tried,
 * the account if there is one, the reason and the client are private (lib/log/kinds.ts).
 */
export async function recordSignInFailure(failure: {
  email: string;
  reason: "unknown-account" | "wrong-password" | "unconfirmed-address";
  userId?: string | undefined;
  clientAddress?: string | undefined;
}): Promise<void> {
  await prisma().$transaction((tx) =>
    appendLogEntry(tx, {
      kind: "auth.sign-in-failed",
      actor: { type: "anonymous" },
      subject: { type: "sign-in" },
      details: { method: "password" },
      private: {
        email: failure.email,
        reason: failure.reason,
        ...(failure.userId ? { userId: failure.userId } : {}),
        ...(failure.clientAddress ? { clientAddress: failure.clientAddress } : {}),
      },
    }),
  );
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
      if (count > 0) {
        await tx.verificationToken.deleteMany({ where: { identifier } });
        const user = await tx.user.findUniqueOrThrow({ where: { email: identifier }, select: { id: true } });
        await logVerified(tx, user.id, identifier);
      }
    }
    return { identifier: row.identifier, token: row.token, expires: row.expires };
  });
}
