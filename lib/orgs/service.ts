import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { SessionUser } from "@/lib/auth/roles";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { sendMail } from "@/lib/mail/service";
import { findInvitation, getMembership, slugTaken } from "@/lib/orgs/data";
import { acceptInvitation, createInvitation, createOrgWithAdmin, setCommitteeSeat } from "@/lib/orgs/mutations";
import { slugify } from "@/lib/orgs/schema";

/** Invitations are valid for 7 days: long enough for a colleague on leave, short enough to expire unused. */
const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Creates an organisation; the creator becomes its admin. The slug gets a numeric suffix when taken. */
export async function createOrganization(opts: { name: string; creator: SessionUser }) {
  const base = slugify(opts.name);
  for (let n = 1; n <= 50; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    if (await slugTaken(slug)) continue;
    try {
      return await createOrgWithAdmin({ name: opts.name, slug, adminId: opts.creator.id });
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002") throw error; // raced with another creation
    }
  }
  throw new AppError("CONFLICT", "Too many organisations have a similar name. Choose a more distinctive one.");
}

/** @throws AppError FORBIDDEN unless `userId` is a member (any role) of `orgId` */
export async function assertOrgMember(orgId: string, userId: string): Promise<void> {
  if (!(await getMembership(orgId, userId))) {
    throw new AppError("FORBIDDEN", "Only members of the sponsoring organisation can do that.");
  }
}

/** @throws AppError FORBIDDEN unless `userId` is an admin of `orgId` */
export async function assertOrgAdmin(orgId: string, userId: string): Promise<void> {
  const membership = await getMembership(orgId, userId);
  if (membership?.role !== "ADMIN") {
    throw new AppError("FORBIDDEN", "Only an administrator of this organisation can do that.");
  }
}

/**
 * Invites `email` to an organisation. Returns the link (shown once to the inviting admin, and
 * mailed); only its hash is stored.
 * @throws AppError FORBIDDEN unless the inviter is an admin of the organisation
 */
export async function inviteMember(opts: {
  orgId: string;
  email: string;
  role: "ADMIN" | "MEMBER";
  committee: boolean;
  inviter: SessionUser;
}): Promise<{ link: string; expiresAt: Date }> {
  await assertOrgAdmin(opts.orgId, opts.inviter.id);
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
  await createInvitation({
    orgId: opts.orgId,
    email: opts.email,
    role: opts.role,
    committee: opts.committee,
    tokenHash: hashToken(token),
    invitedById: opts.inviter.id,
    expiresAt,
  });
  const link = `${env().authUrl}/invite/${token}`;
  await sendMail({
    to: opts.email,
    subject: "You are invited to a sponsor organisation on TrialLedger",
    body: `${opts.inviter.name} invited you to join their organisation on TrialLedger.\n\nAccept within 7 days: ${link}`,
    link,
  });
  return { link, expiresAt };
}

/** What an invitation link shows before it is accepted. @throws AppError NOT_FOUND, GONE */
export async function describeInvitation(token: string) {
  const invitation = await findInvitation(hashToken(token));
  if (!invitation) throw new AppError("NOT_FOUND", "This invitation link is not valid.");
  if (invitation.acceptedAt || invitation.expiresAt <= new Date()) {
    throw new AppError("GONE", "This invitation has expired or was already used. Ask for a new one.");
  }
  return invitation;
}

/**
 * Accepts an invitation for the signed-in account, which must have the invited email address.
 * @throws AppError NOT_FOUND, GONE (expired or used), FORBIDDEN (another address)
 */
export async function acceptInvite(opts: { token: string; user: SessionUser }) {
  const invitation = await describeInvitation(opts.token);
  if (invitation.email !== opts.user.email.toLowerCase()) {
    throw new AppError(
      "FORBIDDEN",
      `This invitation is for ${invitation.email}. Sign in with that address to accept it.`,
    );
  }
  const accepted = await acceptInvitation({
    invitationId: invitation.id,
    userId: opts.user.id,
    orgId: invitation.org.id,
    role: invitation.role,
    committee: invitation.committee,
  });
  if (!accepted) throw new AppError("GONE", "This invitation has expired or was already used. Ask for a new one.");
  return invitation.org;
}

/** @throws AppError FORBIDDEN unless `actor` administers the organisation; NOT_FOUND for a non-member */
export async function changeCommitteeSeat(opts: { orgId: string; userId: string; seated: boolean; actor: SessionUser }) {
  await assertOrgAdmin(opts.orgId, opts.actor.id);
  if (!(await getMembership(opts.orgId, opts.userId))) {
    throw new AppError("NOT_FOUND", "That person is not a member of this organisation.");
  }
  await setCommitteeSeat({ orgId: opts.orgId, userId: opts.userId, seated: opts.seated, actorId: opts.actor.id });
}
