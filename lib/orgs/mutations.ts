import "server-only";
import { prisma } from "@/lib/db";
import { appendLogEntry } from "@/lib/log/mutations";

/** Creates an organisation with its creator as its first admin, and its `org.created` entry, in one transaction. */
export function createOrgWithAdmin(opts: { name: string; slug: string; adminId: string }) {
  return prisma().$transaction(async (tx) => {
    const org = await tx.organization.create({
      data: { name: opts.name, slug: opts.slug, members: { create: { userId: opts.adminId, role: "ADMIN" } } },
      select: { id: true, name: true, slug: true },
    });
    await appendLogEntry(tx, {
      kind: "org.created",
      actor: { type: "user", id: opts.adminId },
      subject: { type: "org", id: org.id },
      details: { name: org.name },
      orgId: org.id,
    });
    return org;
  });
}

/** Stores an invitation (its token's hash) and its `org.member-invited` entry, in one transaction. */
export function createInvitation(opts: {
  orgId: string;
  email: string;
  role: "ADMIN" | "MEMBER";
  committee: boolean;
  tokenHash: string;
  invitedById: string;
  expiresAt: Date;
}) {
  return prisma().$transaction(async (tx) => {
    const invitation = await tx.invitation.create({ data: opts, select: { id: true } });
    await appendLogEntry(tx, {
      kind: "org.member-invited",
      actor: { type: "user", id: opts.invitedById },
      subject: { type: "invitation", id: invitation.id },
      details: { role: opts.role, committee: opts.committee },
      private: { email: opts.email },
      orgId: opts.orgId,
    });
    return invitation;
  });
}

/**
 * Accepts an invitation: marks it used and creates the membership (and committee seat) in one
 * transaction, with its log entries: `org.member-joined` for a new member; for someone already a
 * member, `org.role-changed` when the invitation made them an admin and `org.committee-seat-changed`
 * when it gave them a seat. The conditional update makes a second, concurrent acceptance of the
 * same link change (and log) nothing.
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
    const key = { userId_orgId: { userId: opts.userId, orgId: opts.orgId } };
    const before = await tx.membership.findUnique({ where: key, select: { role: true } });
    const seatedBefore = (await tx.committeeMember.count({ where: { userId: opts.userId, orgId: opts.orgId } })) > 0;
    const membership = await tx.membership.upsert({
      where: key,
      create: { userId: opts.userId, orgId: opts.orgId, role: opts.role },
      update: opts.role === "ADMIN" ? { role: "ADMIN" } : {},
      select: { role: true, user: { select: { email: true, name: true } } },
    });
    if (opts.committee && !seatedBefore) {
      await tx.committeeMember.create({ data: { userId: opts.userId, orgId: opts.orgId } });
    }
    const actor = { type: "user", id: opts.userId } as const;
    const subject = { type: "user", id: opts.userId };
    if (!before) {
      await appendLogEntry(tx, {
        kind: "org.member-joined",
        actor,
        subject,
        details: { userId: opts.userId, role: membership.role, committee: opts.committee || seatedBefore },
        private: { email: membership.user.email, name: membership.user.name },
        orgId: opts.orgId,
      });
      return true;
    }
    if (before.role !== membership.role) {
      await appendLogEntry(tx, {
        kind: "org.role-changed",
        actor,
        subject,
        details: { userId: opts.userId, from: before.role, to: membership.role },
        orgId: opts.orgId,
      });
    }
    if (opts.committee && !seatedBefore) {
      await appendLogEntry(tx, { kind: "org.committee-seat-changed", actor, subject, details: { userId: opts.userId, seated: true }, orgId: opts.orgId });
    }
    return true;
  });
}

/**
 * Seats `userId` on the organisation's committee or unseats them, logged as
 * `org.committee-seat-changed` (by `actorId`) when it changes anything; a seat given twice logs once.
 */
export async function setCommitteeSeat(opts: { orgId: string; userId: string; seated: boolean; actorId: string }): Promise<void> {
  await prisma().$transaction(async (tx) => {
    const where = { userId: opts.userId, orgId: opts.orgId };
    const changed = opts.seated
      ? (await tx.committeeMember.createMany({ data: [where], skipDuplicates: true })).count
      : (await tx.committeeMember.deleteMany({ where })).count;
    if (changed === 0) return;
    await appendLogEntry(tx, {
      kind: "org.committee-seat-changed",
      actor: { type: "user", id: opts.actorId },
      subject: { type: "user", id: opts.userId },
      details: { userId: opts.userId, seated: opts.seated },
      orgId: opts.orgId,
    });
  });
}
