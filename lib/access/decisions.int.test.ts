// Committee decisions and grants (issue 11, points 3–5): a decision is a signed act under the
// organisation's rule; approval gives each team member a grant per release with a GA4GH visa
// that verifies against the portal's JWKS and is in the passport only while the grant is active;
// revocation is immediate, expiry is recorded, close-out ends access. Every request event is in
// the transparency log, and the log's own verifier proves each of them in the signed tree.
import { describe, expect, it } from "vitest";
import * as passportRoute from "@/app/api/ga4gh/passport/route";
import { decideAction } from "@/lib/access/actions";
import { expireGrantsOnce } from "@/lib/access/expiry";
import { acceptAgreement, castVote, createRequest, decide, decisionMeaning, requestRenewal, revokeGrant, saveRequest, setCommitteeRule, submitCloseout, submitRequest } from "@/lib/access/service";
import { requestForCommittee, requestForResearcher, listMyGrants } from "@/lib/access/views";
import { mintVisa, portalBase, verifyVisa } from "@/lib/access/visa";
import { publicJwks } from "@/lib/access/visa-key";
import type { SessionUser } from "@/lib/auth/roles";
import { handlerMeta } from "@/lib/handler";
import { proveEntry } from "@/lib/log/client";
import { parseEntry } from "@/lib/log/entry";
import { parseVerifierKey } from "@/lib/log/note";
import { runSequencerOnce } from "@/lib/log/sequencer";
import { logSigner } from "@/lib/log/signing-key";
import { type AccessFixture, accessFixture, account, committeeMember, completeForm } from "@/scripts/test/access";
import { query } from "@/scripts/test/database";
import { portalLogClient } from "@/scripts/test/log-portal";
import { TEST_PASSWORD } from "@/scripts/test/signing";

const DAY = 86_400_000;

/** A submitted request of `researcher` for the fixture's release. */
async function submitted(sponsor: AccessFixture, researcher: SessionUser, form: Record<string, unknown> = {}) {
  const { number } = await createRequest({ user: researcher, releases: [sponsor.release] });
  await saveRequest({ user: researcher, number, form: completeForm(form) });
  await acceptAgreement({ user: researcher, number });
  await submitRequest({ user: researcher, number });
  return number;
}

async function sign(sponsor: AccessFixture, number: string, decision: "approve" | "approve-with-conditions" | "return" | "deny", user: SessionUser = sponsor.committee) {
  const view = await requestForCommittee(user, number);
  return { password: TEST_PASSWORD, meaning: decisionMeaning({ number, org: { ...view.org, id: sponsor.org.id, decisionRule: "ONE_DECIDER", decisionTargetDays: 14 } }, view.submitted?.title ?? "", decision) };
}

async function passport(user: SessionUser): Promise<string[]> {
  const response = await handlerMeta(passportRoute.GET)?.respondAs?.(user, new Request("http://localhost/api/ga4gh/passport"));
  const body = (await response?.json()) as { ga4gh_passport_v1: string[] };
  return body.ga4gh_passport_v1;
}

async function accessKinds(number: string): Promise<string[]> {
  const rows = (await query(`SELECT "kind" FROM "LogEntry" WHERE "subjectType" = 'access-request' AND "subjectId" = $1 ORDER BY "id"`, [number])) as Array<{ kind: string }>;
  return rows.map((r) => r.kind);
}

describe("committee decisions and grants", () => {
  it("approves with a signed decision, issues verifiable visas, revokes at once and proves every event in the log", async () => {
    const sponsor = await accessFixture("approve", { permission: { code: "DS", diseases: ["MONDO:0005044"] }, modifiers: { PUB: true, TS: { months: 24 } } });
    const researcher = await account("approve-applicant");
    const number = await submitted(sponsor, researcher);
    await castVote({ user: sponsor.committee, number, vote: "approve", rationale: "The plan fits the consent and the conditions." });

    const view = await requestForCommittee(sponsor.committee, number);
    expect(view.maxEnd).not.toBeNull(); // TS(24 months) caps the end date
    // Past the TS cap: refused, naming the field, and nothing changes.
    const tooLate = new Date(Date.now() + 800 * DAY);
    await expect(decide({ user: sponsor.committee, number, input: { decision: "approve", end: tooLate, signature: await sign(sponsor, number, "approve") }, mintVisa })).rejects.toMatchObject({
      code: "VALIDATION",
      fieldErrors: { end: [expect.stringContaining("time limit")] },
    });
    // A wrong password signs nothing.
    await expect(decide({ user: sponsor.committee, number, input: { decision: "approve", end: new Date(Date.now() + 300 * DAY), signature: { ...(await sign(sponsor, number, "approve")), password: "not my password" } }, mintVisa })).rejects.toMatchObject({ code: "VALIDATION" });
    expect((await requestForResearcher(researcher, number)).state).toBe("IN_REVIEW");
    // A denial without a reason is refused by the action's schema, naming the field.
    const denied = await handlerMeta(decideAction)?.invokeAs(sponsor.committee, { number, decision: "deny", signature: await sign(sponsor, number, "deny") });
    expect(denied?.status).toBe(422);

    const end = new Date(Date.now() + 365 * DAY);
    await decide({ user: sponsor.committee, number, input: { decision: "approve", end, signature: await sign(sponsor, number, "approve") }, mintVisa });
    const approved = await requestForResearcher(researcher, number);
    expect(approved.state).toBe("APPROVED");
    expect(approved.grants).toHaveLength(1);
    expect(approved.planDigest).toMatch(/^0x[0-9a-f]{64}$/);

    // The visa verifies against the portal's JWKS, in TrialLedger's profile.
    const [visa] = await passport(researcher);
    expect(visa).toBeDefined();
    const verified = await verifyVisa(visa ?? "", { jwks: await publicJwks(), issuer: portalBase() });
    expect(verified.sub).toBe(researcher.id);
    expect(verified.visa).toMatchObject({ type: "ControlledAccessGrants", by: "dac", value: `${portalBase()}/datasets/${sponsor.datasetNumber}/releases/1` });
    expect(verified.exp).toBe(Math.floor(end.getTime() / 1000));
    expect(verified.jti).toBe(approved.grants[0]?.id);
    // Nobody else's passport holds it, and a sponsor account has none.
    expect(await passport(await account("approve-bystander"))).toEqual([]);
    const sponsorPassport = await handlerMeta(passportRoute.GET)?.respondAs?.(sponsor.user, new Request("http://localhost/api/ga4gh/passport"));
    expect(sponsorPassport?.status).toBe(403);

    // Revoked: gone from the passport at once.
    const grantId = approved.grants[0]?.id ?? "";
    const outsider = await accessFixture("approve-other", { permission: { code: "GRU" }, modifiers: {} });
    await expect(revokeGrant({ user: outsider.committee, grantId, reason: "Not our committee's grant." })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await revokeGrant({ user: sponsor.committee, grantId, reason: "The team shared the data outside the agreement." });
    expect(await passport(researcher)).toEqual([]);
    expect((await listMyGrants(researcher))[0]).toMatchObject({ active: false, endReason: "REVOKED" });

    expect(await accessKinds(number)).toEqual(["access.request-submitted", "access.vote-cast", "access.approved", "access.grant-issued", "access.grant-revoked"]);
    // The approval is published whole (what the register shows); the reason of the revocation is not.
    const [approval] = (await query(`SELECT convert_from("body", 'UTF8') AS body FROM "LogEntry" WHERE "kind" = 'access.approved' AND "subjectId" = $1`, [number])) as Array<{ body: string }>;
    expect((JSON.parse(approval?.body ?? "{}") as { details: unknown }).details).toMatchObject({ title: "Blood pressure trajectories after treatment", institution: { name: "University of Leiden", notForProfit: true }, researcher: { id: researcher.id } });

    // The log's verifier: every event of the request is in the signed tree, as served.
    await runSequencerOnce({ holder: "decisions-test" });
    const client = portalLogClient();
    const { origin } = await logSigner();
    const { checkpoint } = await client.checkpoint([parseVerifierKey(await client.verifierKey())], origin);
    const indexes = (await query(`SELECT "idx" FROM "LogEntry" WHERE "subjectType" = 'access-request' AND "subjectId" = $1 ORDER BY "idx"`, [number])) as Array<{ idx: bigint | string }>;
    expect(indexes).toHaveLength(5);
    for (const { idx } of indexes) {
      const { entry } = await proveEntry(client, checkpoint, Number(idx));
      expect(parseEntry(entry).subject).toEqual({ type: "access-request", id: number });
    }
  });

  it("returns for revision and takes the resubmission, and denies only with a reason the researcher reads", async () => {
    const sponsor = await accessFixture("return", { permission: { code: "GRU" }, modifiers: {} });
    const researcher = await account("return-applicant");
    const number = await submitted(sponsor, researcher);
    await decide({ user: sponsor.committee, number, input: { decision: "return", reason: "Say which visits your model uses.", signature: await sign(sponsor, number, "return") }, mintVisa });
    let view = await requestForResearcher(researcher, number);
    expect(view.state).toBe("RETURNED");
    expect(view.decision).toMatchObject({ decision: "returned", reason: "Say which visits your model uses." });
    expect(view.canEdit).toBe(true);
    await saveRequest({ user: researcher, number, form: { analysisPlan: `${completeForm().analysisPlan} All five visits are used.` } });
    await submitRequest({ user: researcher, number });
    view = await requestForResearcher(researcher, number);
    expect(view).toMatchObject({ state: "SUBMITTED", revision: 2 });

    await decide({ user: sponsor.committee, number, input: { decision: "deny", reason: "The dataset does not hold the visits you need.", signature: await sign(sponsor, number, "deny") }, mintVisa });
    view = await requestForResearcher(researcher, number);
    expect(view.decision).toMatchObject({ decision: "denied", reason: "The dataset does not hold the visits you need." });
    expect(view.grants).toEqual([]);
    expect(await accessKinds(number)).toEqual(["access.request-submitted", "access.returned", "access.request-submitted", "access.denied"]);
    // Decided: no second decision.
    await expect(decide({ user: sponsor.committee, number, input: { decision: "approve", end: new Date(Date.now() + 30 * DAY), signature: await sign(sponsor, number, "approve") }, mintVisa })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("under a majority rule, waits for a majority of the committee's votes", async () => {
    const sponsor = await accessFixture("majority", { permission: { code: "GRU" }, modifiers: {} });
    const second = await committeeMember(sponsor, "majority-2");
    const third = await committeeMember(sponsor, "majority-3");
    await setCommitteeRule({ user: sponsor.user, orgSlug: sponsor.org.slug, rule: "MAJORITY", targetDays: 14 });
    await expect(setCommitteeRule({ user: second, orgSlug: sponsor.org.slug, rule: "ONE_DECIDER", targetDays: 14 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const researcher = await account("majority-applicant");
    const number = await submitted(sponsor, researcher);
    const end = new Date(Date.now() + 200 * DAY);
    await castVote({ user: sponsor.committee, number, vote: "approve", rationale: "Sound plan and matching purpose." });
    const signature = { password: TEST_PASSWORD, meaning: (await requestForCommittee(sponsor.committee, number)).decisionMeanings.approve };
    await expect(decide({ user: sponsor.committee, number, input: { decision: "approve", end, signature }, mintVisa })).rejects.toThrow(/2 of its 3 members must vote/);
    await castVote({ user: second, number, vote: "approve-with-conditions", rationale: "Approve, with a publication check." });
    await castVote({ user: third, number, vote: "deny", rationale: "I would rather see the IRB letter first." });
    await decide({ user: sponsor.committee, number, input: { decision: "approve", end, signature }, mintVisa });
    expect((await requestForResearcher(researcher, number)).state).toBe("APPROVED");
  });

  it("records expiry by itself, asks for the close-out, takes a renewal request, and closes out", async () => {
    const sponsor = await accessFixture("expiry", { permission: { code: "GRU" }, modifiers: {} });
    const researcher = await account("expiry-applicant");
    const number = await submitted(sponsor, researcher);
    const end = new Date(Date.now() + 20 * DAY);
    await decide({ user: sponsor.committee, number, input: { decision: "approve", end, signature: await sign(sponsor, number, "approve") }, mintVisa });
    expect(await passport(researcher)).toHaveLength(1);

    // Within 30 days of the end: one reminder, once.
    const first = await expireGrantsOnce(new Date());
    expect(first.reminded).toBeGreaterThanOrEqual(1);
    const again = await expireGrantsOnce(new Date());
    expect(again.reminded).toBe(0);
    await requestRenewal({ user: researcher, number, months: 6 });

    // After the end: recorded as expired.
    const after = await expireGrantsOnce(new Date(end.getTime() + 1000));
    expect(after.expired).toBe(1);
    expect((await listMyGrants(researcher))[0]).toMatchObject({ active: false, endReason: "EXPIRED" });
    expect(await passport(researcher)).toEqual([]);

    await expect(submitCloseout({ user: researcher, number, report: { publications: [], summary: "Analysis done.", dataDestroyed: false as unknown as true } })).rejects.toMatchObject({ name: "ZodError" });
    await submitCloseout({ user: researcher, number, report: { publications: ["doi:10.1000/example"], summary: "The trajectories paper is out.", dataDestroyed: true } });
    expect((await requestForResearcher(researcher, number)).state).toBe("CLOSED");
    expect(await accessKinds(number)).toEqual(["access.request-submitted", "access.approved", "access.grant-issued", "access.renewal-requested", "access.grant-expired", "access.closeout-submitted"]);
  });
});
