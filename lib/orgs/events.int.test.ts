// Organisation events in the transparency log: one entry per event, in the change's transaction,
// public fields as declared, e-mail addresses and names of members never in clear; a refused
// change writes nothing.
import { describe, expect, it } from "vitest";
import { getSessionUser } from "@/lib/auth/data";
import type { SessionUser } from "@/lib/auth/roles";
import { signUp } from "@/lib/auth/service";
import { acceptInvite, changeCommitteeSeat, createOrganization, inviteMember } from "@/lib/orgs/service";
import { entriesSince, logMark, noEntryFrom, onlyEntryOf } from "@/scripts/test/log";
import { uniqueEmail } from "@/scripts/test/support";

async function sponsor(label: string): Promise<SessionUser> {
  const user = await signUp({ name: `${label} Person`, email: uniqueEmail(label), password: "long enough password", accountType: "SPONSOR" });
  const session = await getSessionUser(user.id);
  if (!session) throw new Error("user vanished");
  return session;
}

const tokenOf = (link: string) => link.split("/invite/")[1] ?? "";

describe("organisation events in the log", () => {
  it("logs an organisation's creation with its public name, for its admins", async () => {
    const admin = await sponsor("founder");
    let orgId = "";
    const entry = await onlyEntryOf(
      "org.created",
      async () => (orgId = (await createOrganization({ name: "Logged Org", creator: admin })).id),
      [admin.email, admin.name],
    );
    expect(entry.document).toMatchObject({ actor: { type: "user", id: admin.id }, subject: { type: "org", id: orgId }, details: { name: "Logged Org" } });
    expect(entry.orgId).toBe(orgId);
  });

  it("logs an invitation with the role public and the address private; an outsider's logs nothing", async () => {
    const admin = await sponsor("inviter");
    const outsider = await sponsor("outsider");
    const org = await createOrganization({ name: "Inviting Org", creator: admin });
    const email = uniqueEmail("invitee");
    await noEntryFrom(() => inviteMember({ orgId: org.id, email, role: "MEMBER", committee: false, inviter: outsider }));
    const entry = await onlyEntryOf("org.member-invited", () => inviteMember({ orgId: org.id, email, role: "ADMIN", committee: true, inviter: admin }), [email]);
    expect(entry.document.details).toEqual({ role: "ADMIN", committee: true });
    expect(entry.privateDetails).toEqual({ email });
    expect(entry.orgId).toBe(org.id);
  });

  it("logs a join once; a second acceptance of the link and another address log nothing", async () => {
    const admin = await sponsor("host");
    const org = await createOrganization({ name: "Joining Org", creator: admin });
    const invited = await sponsor("joiner");
    const other = await sponsor("interloper");
    const { link } = await inviteMember({ orgId: org.id, email: invited.email, role: "MEMBER", committee: true, inviter: admin });
    await noEntryFrom(() => acceptInvite({ token: tokenOf(link), user: other }));
    const entry = await onlyEntryOf("org.member-joined", () => acceptInvite({ token: tokenOf(link), user: invited }), [invited.email, invited.name]);
    expect(entry.document).toMatchObject({ actor: { type: "user", id: invited.id }, details: { userId: invited.id, role: "MEMBER", committee: true } });
    expect(entry.privateDetails).toEqual({ email: invited.email, name: invited.name });
    await noEntryFrom(() => acceptInvite({ token: tokenOf(link), user: invited }));
  });

  it("logs a member's promotion by a second invitation as a role change, not a join", async () => {
    const admin = await sponsor("promoter");
    const org = await createOrganization({ name: "Promoting Org", creator: admin });
    const member = await sponsor("promoted");
    const first = await inviteMember({ orgId: org.id, email: member.email, role: "MEMBER", committee: false, inviter: admin });
    await acceptInvite({ token: tokenOf(first.link), user: member });
    const second = await inviteMember({ orgId: org.id, email: member.email, role: "ADMIN", committee: false, inviter: admin });
    const entry = await onlyEntryOf("org.role-changed", () => acceptInvite({ token: tokenOf(second.link), user: member }), [member.email]);
    expect(entry.document.details).toEqual({ userId: member.id, from: "MEMBER", to: "ADMIN" });
  });

  it("logs committee seats given and taken once each; a repeat or an outsider's attempt logs nothing", async () => {
    const admin = await sponsor("chair");
    const org = await createOrganization({ name: "Seating Org", creator: admin });
    const member = await sponsor("seated");
    const { link } = await inviteMember({ orgId: org.id, email: member.email, role: "MEMBER", committee: false, inviter: admin });
    await acceptInvite({ token: tokenOf(link), user: member });

    await noEntryFrom(() => changeCommitteeSeat({ orgId: org.id, userId: member.id, seated: true, actor: member }));
    const seated = await onlyEntryOf("org.committee-seat-changed", () => changeCommitteeSeat({ orgId: org.id, userId: member.id, seated: true, actor: admin }));
    expect(seated.document).toMatchObject({ actor: { type: "user", id: admin.id }, subject: { type: "user", id: member.id }, details: { userId: member.id, seated: true } });
    const mark = await logMark();
    await changeCommitteeSeat({ orgId: org.id, userId: member.id, seated: true, actor: admin });
    expect(await entriesSince(mark)).toEqual([]);
    const unseated = await onlyEntryOf("org.committee-seat-changed", () => changeCommitteeSeat({ orgId: org.id, userId: member.id, seated: false, actor: admin }));
    expect(unseated.document.details).toEqual({ userId: member.id, seated: false });
  });
});
