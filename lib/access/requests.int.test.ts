// Access requests (issue 11, points 1, 3 and 7): a researcher drafts a request for published
// releases, invites a colleague who accepts the data use agreement personally, submits; the
// committee of the deciding organisation converses, takes notes and votes. Every event is in the
// request's history and, from submission on, in the transparency log.
import { describe, expect, it } from "vitest";
import { listDevMail } from "@/lib/mail/data";
import { acceptAgreement, acceptInvitation, addNote, castVote, createRequest, inviteMember, postMessage, saveRequest, startReview, submitRequest, withdrawRequest } from "@/lib/access/service";
import { committeeInbox, requestForCommittee, requestForResearcher } from "@/lib/access/views";
import { query } from "@/scripts/test/database";

const lastMail = async (to: string) => (await listDevMail(to, 1))[0];
import { acceptInvite, inviteMember as inviteToOrg } from "@/lib/orgs/service";
import { accessFixture, account, completeForm } from "@/scripts/test/access";

async function logKinds(number: string): Promise<string[]> {
  const rows = (await query(`SELECT "kind" FROM "LogEntry" WHERE "subjectType" = 'access-request' AND "subjectId" = $1 ORDER BY "id"`, [number])) as Array<{ kind: string }>;
  return rows.map((r) => r.kind);
}

describe("access requests", () => {
  it("runs from draft to submission with an invited colleague, and keeps drafts to the team", async () => {
    const sponsor = await accessFixture("flow", { permission: { code: "DS", diseases: ["MONDO:0005044"] }, modifiers: { PUB: true } });
    const researcher = await account("applicant");
    const colleague = await account("colleague");
    const stranger = await account("stranger");

    const { number } = await createRequest({ user: researcher, releases: [sponsor.release] });
    expect(number).toMatch(/^DAR-\d{4}-\d{5}$/);
    // Nothing of a draft is public, and nobody else sees it — not another researcher, not the committee.
    expect(await logKinds(number)).toEqual([]);
    await expect(requestForResearcher(stranger, number)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(requestForCommittee(sponsor.committee, number)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(saveRequest({ user: stranger, number, form: { title: "Taking it over" } })).rejects.toMatchObject({ code: "NOT_FOUND" });

    // A bad field is refused naming it, and changes nothing.
    await expect(saveRequest({ user: researcher, number, form: { months: 0 } })).rejects.toMatchObject({ name: "ZodError" });
    await saveRequest({ user: researcher, number, form: completeForm() });
    let view = await requestForResearcher(researcher, number);
    expect(view.form.title).toBe("Blood pressure trajectories after treatment");
    expect(view.form.institution?.country).toBe("NL");
    expect(view.canSubmit).toBe(false); // the applicant has not accepted the agreement yet
    expect(view.submitProblems.join(" ")).toContain("has not accepted the data use agreement");

    await inviteMember({ user: researcher, number, email: colleague.email });
    const mail = await lastMail(colleague.email);
    const token = /invitations\/([A-Za-z0-9_-]{43})/.exec(mail?.body ?? "")?.[1];
    expect(token).toBeDefined();
    await expect(acceptInvitation({ user: stranger, token: token ?? "" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await acceptInvitation({ user: colleague, token: token ?? "" });
    await expect(acceptInvitation({ user: colleague, token: token ?? "" })).rejects.toMatchObject({ code: "GONE" });
    await expect(submitRequest({ user: researcher, number })).rejects.toMatchObject({ code: "VALIDATION" });
    await acceptAgreement({ user: researcher, number });
    // The colleague is on the team and may read the request, but only the applicant submits.
    await expect(submitRequest({ user: colleague, number })).rejects.toMatchObject({ code: "FORBIDDEN" });

    await submitRequest({ user: researcher, number });
    view = await requestForResearcher(colleague, number);
    expect(view.state).toBe("SUBMITTED");
    expect(view.members.every((m) => m.accepted)).toBe(true);
    expect(await logKinds(number)).toEqual(["access.request-submitted"]);
    // The committee is told, and sees it in its "new" queue.
    expect((await lastMail(sponsor.committee.email))?.subject).toContain(number);
    const [inbox] = (await committeeInbox(sponsor.committee)).filter((q) => q.org.slug === sponsor.org.slug);
    expect(inbox?.queues.new.map((r) => r.number)).toContain(number);
    // Editing after submission is refused.
    await expect(saveRequest({ user: researcher, number, form: { title: "A different title" } })).rejects.toMatchObject({ code: "CONFLICT" });
    // Another organisation's committee sees nothing of it.
    const other = await accessFixture("other-org", { permission: { code: "GRU" }, modifiers: {} });
    await expect(requestForCommittee(other.committee, number)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(castVote({ user: other.committee, number, vote: "deny", rationale: "Not our request at all." })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("keeps the conversation shared, notes and votes to the committee, and every event in order", async () => {
    const sponsor = await accessFixture("thread", { permission: { code: "GRU" }, modifiers: {} });
    const researcher = await account("thread-applicant");
    const { number } = await createRequest({ user: researcher, releases: [sponsor.release] });
    await saveRequest({ user: researcher, number, form: completeForm() });
    await acceptAgreement({ user: researcher, number });
    await expect(postMessage({ user: researcher, number, text: "Before submitting" })).rejects.toMatchObject({ code: "CONFLICT" });
    await submitRequest({ user: researcher, number });

    await startReview({ user: sponsor.committee, number });
    await postMessage({ user: sponsor.committee, number, text: "Which covariates will you adjust for?" });
    await postMessage({ user: researcher, number, text: "Age, sex and baseline pressure." });
    await addNote({ user: sponsor.committee, number, text: "Plan looks sound; check the IRB letter date." });
    await castVote({ user: sponsor.committee, number, vote: "approve", rationale: "Purpose matches the consent and conditions." });

    const researcherView = await requestForResearcher(researcher, number);
    const texts = researcherView.events.filter((e) => e.type === "message").map((e) => [e.actor.side, e.text]);
    expect(texts).toEqual([
      ["committee", "Which covariates will you adjust for?"],
      ["researcher", "Age, sex and baseline pressure."],
    ]);
    // The researcher's side never reads internal notes or votes.
    expect(researcherView.events.some((e) => e.type === "note" || e.type === "vote")).toBe(false);
    expect(JSON.stringify(researcherView)).not.toContain("IRB letter date");

    const committeeView = await requestForCommittee(sponsor.committee, number);
    expect(committeeView.state).toBe("IN_REVIEW");
    expect(committeeView.notes.map((n) => n.text)).toEqual(["Plan looks sound; check the IRB letter date."]);
    expect(committeeView.votes).toMatchObject([{ vote: "approve", rationale: "Purpose matches the consent and conditions.", current: true }]);
    expect(committeeView.tally.approve).toBe(1);
    expect(await logKinds(number)).toEqual(["access.request-submitted", "access.review-started", "access.message-posted", "access.message-posted", "access.note-added", "access.vote-cast"]);
    // The log holds the message's digest, never its text.
    const bodies = (await query(`SELECT convert_from("body", 'UTF8') AS body FROM "LogEntry" WHERE "subjectId" = $1`, [number])) as Array<{ body: string }>;
    expect(bodies.map((b) => b.body).join("\n")).not.toContain("covariates");

    await withdrawRequest({ user: researcher, number });
    expect((await requestForResearcher(researcher, number)).state).toBe("WITHDRAWN");
    expect((await logKinds(number)).at(-1)).toBe("access.withdrawn");
  });

  it("never lets a researcher who also sits on the committee review their own request", async () => {
    const sponsor = await accessFixture("own-seat", { permission: { code: "GRU" }, modifiers: {} });
    const researcher = await account("own-seat-applicant");
    const { link } = await inviteToOrg({ orgId: sponsor.org.id, email: researcher.email, role: "MEMBER", committee: true, inviter: sponsor.user });
    await acceptInvite({ token: link.split("/").at(-1) ?? "", user: researcher });
    const { number } = await createRequest({ user: researcher, releases: [sponsor.release] });
    await saveRequest({ user: researcher, number, form: completeForm() });
    await acceptAgreement({ user: researcher, number });
    await submitRequest({ user: researcher, number });
    await expect(requestForCommittee(researcher, number)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(castVote({ user: researcher, number, vote: "approve", rationale: "My own request, approved by me." })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // The vote of another member is in the log without its value: votes are private until decided.
    await castVote({ user: sponsor.committee, number, vote: "deny", rationale: "Not convinced by the plan." });
    const bodies = (await query(`SELECT convert_from("body", 'UTF8') AS body FROM "LogEntry" WHERE "kind" = 'access.vote-cast' AND "subjectId" = $1`, [number])) as Array<{ body: string }>;
    expect(bodies).toHaveLength(1);
    expect(bodies[0]?.body).not.toContain("deny");
  });

  it("refuses releases of two sponsors in one request, and unpublished or unknown releases", async () => {
    const a = await accessFixture("two-a", { permission: { code: "GRU" }, modifiers: {} });
    const b = await accessFixture("two-b", { permission: { code: "GRU" }, modifiers: {} });
    const researcher = await account("two");
    await expect(createRequest({ user: researcher, releases: [a.release, b.release] })).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(createRequest({ user: researcher, releases: [`${a.datasetNumber}/2`] })).rejects.toMatchObject({ code: "VALIDATION" });
  });
});
