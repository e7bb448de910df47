import "server-only";
import { prisma } from "@/lib/db";

/** The organisations `userId` belongs to, with their role in each. */
export function listMyOrgs(userId: string) {
  return prisma().membership.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { role: true, org: { select: { id: true, name: true, slug: true } } },
  });
}

/** The membership of `userId` in `orgId`, or null. */
export function getMembership(orgId: string, userId: string) {
  return prisma().membership.findUnique({
    where: { userId_orgId: { userId, orgId } },
    select: { role: true },
  });
}

/** An organisation with its members, committee and open invitations, or null. */
export function getOrgBySlug(slug: string) {
  return prisma().organization.findUnique({
    where: { slug },
    select: {
      id: true,
      name: true,
      slug: true,
      createdAt: true,
      decisionRule: true,
      decisionTargetDays: true,
      members: {
        orderBy: { createdAt: "asc" },
        select: { role: true, user: { select: { id: true, name: true, email: true } } },
      },
      committee: { select: { userId: true } },
      invitations: {
        where: { acceptedAt: null, expiresAt: { gt: new Date() } },
        orderBy: { createdAt: "desc" },
        select: { id: true, email: true, role: true, committee: true, expiresAt: true },
      },
    },
  });
}

export function slugTaken(slug: string) {
  return prisma().organization.findUnique({ where: { slug }, select: { id: true } });
}

export function findInvitation(tokenHash: string) {
  return prisma().invitation.findUnique({
    where: { tokenHash },
    select: {
      id: true,
      email: true,
      role: true,
      committee: true,
      expiresAt: true,
      acceptedAt: true,
      org: { select: { id: true, name: true, slug: true } },
    },
  });
}

/** The committees `userId` sits on. */
export function listMyCommittees(userId: string) {
  return prisma().committeeMember.findMany({
    where: { userId },
    select: { org: { select: { id: true, name: true, slug: true } } },
  });
}

/** An organisation's name, or null when it does not exist. */
export async function getOrgName(orgId: string): Promise<string | null> {
  const org = await prisma().organization.findUnique({ where: { id: orgId }, select: { name: true } });
  return org?.name ?? null;
}
