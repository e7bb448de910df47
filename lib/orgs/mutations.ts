import "server-only";
import { prisma } from "@/lib/db";

/** Creates an organisation with its creator as its first admin, in one transaction. */
export function createOrgWithAdmin(opts: { name: string; slug: string; adminId: string }) {
  return prisma().organization.create({
    data: { name: opts.name, slug: opts.slug, members: { create: { userId: opts.adminId, role: "ADMIN" } } },
    select: { id: true, name: true, slug: true },
  });
}

export function createInvitation(opts: {
  orgId: string;
  email: string;
  role: "ADMIN" | "MEMBER";
  committee: boolean;
  tokenHash: string;
  invitedById: string;
  expiresAt: Date;
}) {
  return prisma().invitation.create({ data: opts, select: { id: true } });
}

/**
 * Accepts an invitation: marks it used and creates the membership (and committee seat) in one
 * transaction. The conditional update makes a second, concurrent acceptance of the same link
 * change nothing.
 * @returns false when the invitation was already used (or expired) by the time of the update
 */
export async function acceptInvitation(opts: {
  invitationId: string;
  userId: string;
  orgId: string;
  role: "ADMIN" | "MEMBER";
  committee: boolean;
}): Promise<boolean> {
  return prisma().$transaction(async (tx) => {
    const taken = await tx.invitation.updateMany({
      where: { id: opts.invitationId, acceptedAt: null, expiresAt: { gt: new Date() } },
      data: { acceptedAt: new Date(), acceptedById: opts.userId },
    });
    if (taken.count !== 1) return false;
    await tx.membership.upsert({
      where: { userId_orgId: { userId: opts.userId, orgId: opts.orgId } },
      create: { userId: opts.userId, orgId: opts.orgId, role: opts.role },
      update: opts.role === "ADMIN" ? { role: "ADMIN" } : {},
    });
    if (opts.committee) {
      await tx.committeeMember.upsert({
        where: { userId_orgId: { userId: opts.userId, orgId: opts.orgId } },
        create: { userId: opts.userId, orgId: opts.orgId },
        update: {},
      });
    }
    return true;
  });
}

export async function setCommitteeSeat(opts: { orgId: string; userId: string; seated: boolean }): Promise<void> {
  const key = { userId_orgId: { userId: opts.userId, orgId: opts.orgId } };
  if (opts.seated) {
    await prisma().committeeMember.upsert({ where: key, create: { userId: opts.userId, orgId: opts.orgId }, update: {} });
  } else {
    await prisma().committeeMember.deleteMany({ where: { userId: opts.userId, orgId: opts.orgId } });
  }
}
