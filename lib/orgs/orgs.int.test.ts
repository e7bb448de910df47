import { describe, expect, it } from "vitest";
import { getSessionUser } from "@/lib/auth/data";
import type { SessionUser } from "@/lib/auth/roles";
import { signUp } from "@/lib/auth/service";
import { listDevMail } from "@/lib/mail/data";
import { getOrgBySlug } from "@/lib/orgs/data";
import { acceptInvite, changeCommitteeSeat, createOrganization, inviteMember } from "@/lib/orgs/service";
import { uniqueEmail } from "@/scripts/test/support";

async function sponsor(label: string): Promise<SessionUser> {
  const user = await signUp({ name: label, email: uniqueEmail(label), password: "long enough password", accountType: "SPONSOR" });
  const session = await getSessionUser(user.id);
  if (!session) throw new Error("user vanished");
  return session;
}

function tokenOf(link: string): string {
  const token = link.split("/invite/")[1];
  if (!token) throw new Error(`no token in ${link}`);
  return token;
}

describe("organisations", () => {
  it("makes the creator the admin and gives clashing names distinct slugs", async () => {
    const admin = await sponsor("creator");
    const name = `Acme Trials ${Date.now()}`;
    const first = await createOrganization({ name, creator: admin });
    const second = await createOrganization({ name, creator: admin });
    expect(second.slug).not.toBe(first.slug);
    const org = await getOrgBySlug(first.slug);
    expect(org?.members.map((m) => [m.user.id, m.role])).toEqual([[admin.id, "ADMIN"]]);
  });

  it("lets only an admin invite, and mails the link", async () => {
    const admin = await sponsor("admin");
    const outsider = await sponsor("outsider");
    const org = await createOrganization({ name: "Invite Test Org", creator: admin });
    const invitee = uniqueEmail("invitee");

    await expect(
      inviteMember({ orgId: org.id, email: invitee, role: "MEMBER", committee: false, inviter: outsider }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await listDevMail(invitee)).toHaveLength(0);

    const { link } = await inviteMember({ orgId: org.id, email: invitee, role: "MEMBER", committee: true, inviter: admin });
    const mails = await listDevMail(invitee);
    expect(mails[0]?.link).toBe(link);
  });

  it("accepts an invitation once, for the invited address only, with its committee seat", async () => {
    const admin = await sponsor("admin2");
    const org = await createOrganization({ name: "Accept Test Org", creator: admin });
    const invited = await sponsor("invited");
    const other = await sponsor("other");
    const { link } = await inviteMember({ orgId: org.id, email: invited.email, role: "MEMBER", committee: true, inviter: admin });
    const token = tokenOf(link);

    await expect(acceptInvite({ token, user: other })).rejects.toMatchObject({ code: "FORBIDDEN" });

    // Two acceptances at once: exactly one wins.
    const results = await Promise.allSettled([acceptInvite({ token, user: invited }), acceptInvite({ token, user: invited })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected")[0]).toMatchObject({ reason: { code: "GONE" } });

    const after = await getOrgBySlug(org.slug);
    expect(after?.members.map((m) => m.user.id).sort()).toEqual([admin.id, invited.id].sort());
    expect((await getSessionUser(invited.id))?.roles).toEqual(["sponsor", "committee"]);
    await expect(acceptInvite({ token, user: invited })).rejects.toMatchObject({ code: "GONE" });
  });

  it("rejects an unknown invitation token", async () => {
    const user = await sponsor("nobody");
    await expect(acceptInvite({ token: "A".repeat(43), user })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("seats and unseats committee members, admins only", async () => {
    const admin = await sponsor("admin3");
    const org = await createOrganization({ name: "Committee Org", creator: admin });
    const member = await sponsor("member3");
    const { link } = await inviteMember({ orgId: org.id, email: member.email, role: "MEMBER", committee: false, inviter: admin });
    await acceptInvite({ token: tokenOf(link), user: member });
    expect((await getSessionUser(member.id))?.roles).toEqual(["sponsor"]);

    await expect(changeCommitteeSeat({ orgId: org.id, userId: member.id, seated: true, actor: member })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await changeCommitteeSeat({ orgId: org.id, userId: member.id, seated: true, actor: admin });
    expect((await getSessionUser(member.id))?.roles).toContain("committee");
    await changeCommitteeSeat({ orgId: org.id, userId: member.id, seated: false, actor: admin });
    expect((await getSessionUser(member.id))?.roles).not.toContain("committee");
  });
});
