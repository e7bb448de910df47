// Enrolment and consent end to end on the real database and the run's anvil, with real Semaphore
// proofs at the portal's depth: codes → group on chain → decisions relayed → tally; and every way a
// decision or a handover must be refused.
import { Group, Identity } from "@semaphore-protocol/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSessionUser } from "@/lib/auth/data";
import type { SessionUser } from "@/lib/auth/roles";
import { signUp } from "@/lib/auth/service";
import { getChain } from "@/lib/chain/client";
import { challengeMessage, packConsentMessage } from "@/lib/consent/message";
import { findMember } from "@/lib/consent/data";
import { trialPseudonym } from "@/lib/consent/pseudonym";
import { runConsentRelayOnce } from "@/lib/consent/relay";
import {
  answerPseudonymChallenge,
  checkEnrolmentCode,
  generateEnrolmentCodes,
  getConsentEvents,
  getConsentGroup,
  getConsentOverview,
  getPseudonymChallenge,
  issuePseudonymChallenge,
  redeemEnrolmentCode,
  saveConsentItems,
  submitConsent,
} from "@/lib/consent/service";
import { createOrganization } from "@/lib/orgs/service";
import { getTrialByNumber } from "@/lib/registry/data";
import { exampleTrialRecord } from "@/lib/registry/example";
import { decisionDigestOf } from "@/lib/consent/decision-digest";
import { noEntryFrom, onlyEntryOf } from "@/scripts/test/log";
import { registerSigned } from "@/scripts/test/signing";
import { chainProof, prove, stopProver } from "@/scripts/test/proofs";
import { uniqueEmail } from "@/scripts/test/support";
import { relayUntil } from "@/scripts/test/relay";


async function sponsor(label: string): Promise<SessionUser> {
  const user = await signUp({ name: label, email: uniqueEmail(label), password: "long enough password", accountType: "SPONSOR" });
  const session = await getSessionUser(user.id);
  if (!session) throw new Error("user vanished");
  return session;
}

const ITEMS = [
  { text: "My data may be used for research on other diseases.", ifGranted: ["DUO:0000042"], ifWithheld: ["DUO:0000007"] },
  { text: "My data may be used by commercial companies.", ifGranted: [], ifWithheld: ["DUO:0000046"] },
];

let user: SessionUser;
let registrationNumber: string;
let scope: bigint;
const alice = new Identity();
const bob = new Identity();
let codes: string[];

beforeAll(async () => {
  user = await sponsor("consent");
  const org = await createOrganization({ name: "Consent Test Sponsor", creator: user });
  // A year of its own: test files have databases of their own but share the chain, where the
  // registration number is the trial's id.
  const now = new Date("2041-06-01T00:00:00Z");
  const trial = await registerSigned({ orgId: org.id, user, input: JSON.parse(JSON.stringify(exampleTrialRecord)) as unknown, now });
  registrationNumber = trial.registrationNumber;
  await saveConsentItems({ registrationNumber, items: ITEMS, user });
  ({ codes } = await generateEnrolmentCodes({ registrationNumber, count: 4, user }));
  scope = BigInt((await getConsentGroup(registrationNumber)).scope);
});

afterAll(stopProver);

describe("enrolment codes", () => {
  it("are logged as a count when issued, never the codes themselves", async () => {
    let issued: string[] = [];
    const entry = await onlyEntryOf(
      "consent.codes-issued",
      async () => ({ codes: issued } = await generateEnrolmentCodes({ registrationNumber, count: 3, user })),
      [user.email],
    );
    expect(entry.document).toMatchObject({ actor: { type: "user", id: user.id }, subject: { type: "trial", id: registrationNumber }, details: { count: 3 } });
    const text = new TextDecoder().decode(entry.body);
    for (const code of issued) expect(text).not.toContain(code);
    await noEntryFrom(() => generateEnrolmentCodes({ registrationNumber, count: 0, user }));
  });

  it("are checked without being spent, then spent once; a commitment enrols only once", async () => {
    const [a, b, c] = codes;
    if (!a || !b || !c) throw new Error("codes missing");
    const checked = await checkEnrolmentCode(a.toLowerCase().replace(/(.{4})/g, "$1 "));
    expect(checked).toMatchObject({ registrationNumber, scope: scope.toString() });
    await expect(redeemEnrolmentCode({ code: a, commitment: alice.commitment.toString() })).resolves.toEqual({ status: "queued" });
    await expect(redeemEnrolmentCode({ code: a, commitment: bob.commitment.toString() })).rejects.toMatchObject({ code: "GONE" });
    await expect(checkEnrolmentCode(a)).rejects.toMatchObject({ code: "GONE" });
    // The same device again with another code: refused, and that code stays usable.
    await expect(redeemEnrolmentCode({ code: b, commitment: alice.commitment.toString() })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(redeemEnrolmentCode({ code: b, commitment: bob.commitment.toString() })).resolves.toEqual({ status: "queued" });
    await expect(redeemEnrolmentCode({ code: "not-a-code", commitment: "1" })).rejects.toMatchObject({ name: "ZodError" });
  });

  it("queues while the chain is down and enrols once it is back", async () => {
    const { codes: [code] } = await generateEnrolmentCodes({ registrationNumber, count: 1, user });
    if (!code) throw new Error("no code");
    const carol = new Identity();
    await redeemEnrolmentCode({ code, commitment: carol.commitment.toString() });
    const down = await runConsentRelayOnce({ chain: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:1")), confirmations: 1 });
    expect(down.failed).toBeGreaterThan(0);
    expect((await getConsentGroup(registrationNumber)).members).not.toContain(carol.commitment.toString());
    await relayUntil(async () => (await getConsentGroup(registrationNumber)).members.includes(carol.commitment.toString()), "the queued member is on chain");
    // Once on chain, the failed attempt's retry time (roughly the redemption time) is gone.
    const trial = await getTrialByNumber(registrationNumber);
    expect(await findMember(trial?.id ?? "", carol.commitment.toString())).toMatchObject({
      status: "CONFIRMED",
      lastError: null,
      attempts: 0,
      nextAttemptAt: null,
    });
  });

  it("redeemed by 20 concurrent requests adds exactly one member", async () => {
    const { codes: [code] } = await generateEnrolmentCodes({ registrationNumber, count: 1, user });
    if (!code) throw new Error("no code");
    const identities = Array.from({ length: 20 }, () => new Identity());
    const results = await Promise.allSettled(identities.map((id) => redeemEnrolmentCode({ code, commitment: id.commitment.toString() })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "GONE" });
    await relayUntil(async () => (await getConsentGroup(registrationNumber)).members.length === 4, "the four members are on chain");
    const members = (await getConsentGroup(registrationNumber)).members;
    expect(members.filter((m) => identities.some((id) => id.commitment.toString() === m))).toHaveLength(1);
  });
});

describe("consent decisions", () => {
  let members: string[];
  let aliceFirst: Awaited<ReturnType<typeof prove>>;

  beforeAll(async () => {
    await relayUntil(async () => (await getConsentGroup(registrationNumber)).members.length >= 2, "members are on chain");
    const group = await getConsentGroup(registrationNumber);
    members = group.members;
    expect(members).toContain(alice.commitment.toString());
    // The root the portal mirrors is the one Semaphore computes for these members.
    expect(group.root).toBe(new Group(members.map(BigInt)).root.toString());
  });

  it("records a member's decision at once, relays it on chain, and a newer one replaces it", async () => {
    aliceFirst = await prove(alice, members, packConsentMessage({ grants: 0b11n, textVersion: 1, sequence: 1n }), scope);
    // Logged with the change: a digest of the decision, never the pseudonym, in clear.
    const accepted = await onlyEntryOf(
      "consent.decision-accepted",
      () => expect(submitConsent({ registrationNumber, proof: aliceFirst })).resolves.toMatchObject({ status: "PENDING" }),
      [aliceFirst.nullifier],
    );
    const { chainTrialId } = await getConsentOverview(registrationNumber);
    expect(accepted.document).toMatchObject({
      actor: { type: "participant" },
      subject: { type: "trial", id: registrationNumber },
      details: { decisionDigest: decisionDigestOf({ chainTrialId, nullifier: aliceFirst.nullifier, message: aliceFirst.message }) },
    });
    let overview = await getConsentOverview(registrationNumber);
    expect(overview.tally.map((t) => [t.granted, t.withdrawn])).toEqual([[1, 0], [1, 0]]);

    const bobProof = await prove(bob, members, packConsentMessage({ grants: 0b01n, textVersion: 1, sequence: 1n }), scope);
    await submitConsent({ registrationNumber, proof: bobProof });
    const bobWithdraws = await prove(bob, members, packConsentMessage({ grants: 0n, textVersion: 1, sequence: 2n }), scope);
    await submitConsent({ registrationNumber, proof: bobWithdraws });
    overview = await getConsentOverview(registrationNumber);
    expect(overview.tally.map((t) => [t.granted, t.withdrawn, t.notAnswered])).toEqual([[1, 1, 2], [1, 1, 2]]);

    await relayUntil(
      async () => (await getConsentEvents(registrationNumber)).every((e) => e.status === "RECORDED"),
      "the decisions are recorded on chain",
    );
    const chain = await getChain();
    const onChain = await chain.contracts.ConsentRegistry.decisionOf(overview.chainTrialId, BigInt(bobWithdraws.nullifier));
    expect(onChain[0]).toBe(0n); // grants
    expect(onChain[2]).toBe(2n); // sequence
  });

  it("refuses a replayed older proof, a wrong scope, a non-member and a tampered message", async () => {
    await noEntryFrom(() => submitConsent({ registrationNumber, proof: aliceFirst }), { code: "CONFLICT" });

    const otherScope = await prove(alice, members, packConsentMessage({ grants: 1n, textVersion: 1, sequence: 5n }), scope + 1n);
    await expect(submitConsent({ registrationNumber, proof: otherScope })).rejects.toMatchObject({ code: "VALIDATION" });

    const stranger = new Identity();
    const ownGroup = await prove(stranger, [...members, stranger.commitment.toString()], packConsentMessage({ grants: 1n, textVersion: 1, sequence: 1n }), scope);
    await expect(submitConsent({ registrationNumber, proof: ownGroup })).rejects.toMatchObject({
      code: "VALIDATION",
      message: expect.stringContaining("membership list") as string,
    });

    const tampered = { ...aliceFirst, message: packConsentMessage({ grants: 0n, textVersion: 1, sequence: 9n }).toString() };
    await noEntryFrom(() => submitConsent({ registrationNumber, proof: tampered }), { message: "The proof does not verify." });

    const unknownItem = await prove(alice, members, packConsentMessage({ grants: 1n << 9n, textVersion: 1, sequence: 6n }), scope);
    await expect(submitConsent({ registrationNumber, proof: unknownItem })).rejects.toMatchObject({ code: "VALIDATION" });
    const events = await getConsentEvents(registrationNumber);
    expect(events).toHaveLength(3); // nothing refused was recorded
  });

  it("a relay that broadcast a decision and died before recording it records it once after a restart", async () => {
    const proof = await prove(alice, members, packConsentMessage({ grants: 0b10n, textVersion: 1, sequence: 20n }), scope);
    await submitConsent({ registrationNumber, proof });
    // The dead relay's broadcast: the transaction is on chain, the database still says PENDING.
    const chain = await getChain();
    const overview = await getConsentOverview(registrationNumber);
    const tx = await chain.contracts.ConsentRegistry.submitConsent(overview.chainTrialId, chainProof(proof), { gasLimit: 1_000_000n });
    await tx.wait();
    await relayUntil(
      async () => (await getConsentEvents(registrationNumber)).find((e) => e.sequence === "20")?.status === "RECORDED",
      "the decision is recorded",
    );
    const event = (await getConsentEvents(registrationNumber)).find((e) => e.sequence === "20");
    expect(event?.txHash).toBe(tx.hash); // found on chain, not sent a second time
  });

  it("asks for confirmation again when an item's text changes", async () => {
    const v2 = [{ ...ITEMS[0], number: 0 }, { ...ITEMS[1], number: 1, text: "My data may be used by commercial companies, including insurers." }];
    const published = await onlyEntryOf("consent.text-published", () =>
      expect(saveConsentItems({ registrationNumber, items: v2, user, basedOnVersion: 1 })).resolves.toMatchObject({ version: 2 }),
    );
    const saved = (await getConsentOverview(registrationNumber)).versions.at(-1);
    expect(published.document).toMatchObject({ actor: { type: "user", id: user.id }, details: { version: 2, digest: saved?.digest } });
    // An editor still showing version 1 cannot overwrite version 2 (and nothing is logged).
    await noEntryFrom(() => saveConsentItems({ registrationNumber, items: ITEMS, user, basedOnVersion: 1 }), { code: "CONFLICT" });
    await expect(saveConsentItems({ registrationNumber, items: v2, user })).rejects.toMatchObject({ code: "VALIDATION" });
    const overview = await getConsentOverview(registrationNumber);
    expect(overview.currentVersion).toBe(2);
    // Item 0 is unchanged: decisions on version 1 still answer it. Item 1 changed: nobody has answered it yet.
    // (Alice's latest decision, sequence 20, grants item 1 only.)
    expect(overview.tally.map((t) => [t.granted, t.withdrawn, t.notAnswered])).toEqual([[0, 2, 2], [0, 0, 4]]);
  });
});

describe("pseudonym handover", () => {
  it("accepts only a proof over the issued challenge, once, and shows the proven pseudonym", async () => {
    const members = (await getConsentGroup(registrationNumber)).members;
    const issued = await issuePseudonymChallenge({ registrationNumber, user });
    const consentProof = await prove(alice, members, packConsentMessage({ grants: 1n, textVersion: 1, sequence: 7n }), scope);
    await noEntryFrom(() => answerPseudonymChallenge({ challenge: issued.challenge, proof: consentProof }), { code: "VALIDATION" });

    const answer = await prove(alice, members, challengeMessage(issued.challenge), scope);
    const verified = await onlyEntryOf(
      "consent.handover-verified",
      () => expect(answerPseudonymChallenge({ challenge: issued.challenge, proof: answer })).resolves.toEqual({ pseudonym: answer.nullifier }),
      [answer.nullifier, issued.challenge],
    );
    expect(verified.document).toMatchObject({ actor: { type: "participant" }, subject: { type: "trial", id: registrationNumber }, details: {} });
    await noEntryFrom(() => answerPseudonymChallenge({ challenge: issued.challenge, proof: answer }), { code: "GONE" });
    const seen = await getPseudonymChallenge({ id: issued.id, user });
    expect(seen.pseudonym).toBe(answer.nullifier);
    // The handover pseudonym is the one Alice's decisions carry.
    const events = await getConsentEvents(registrationNumber);
    expect(events.some((e) => e.nullifier === answer.nullifier)).toBe(true);

    const outsider = await sponsor("outsider");
    await expect(issuePseudonymChallenge({ registrationNumber, user: outsider })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(getPseudonymChallenge({ id: issued.id, user: outsider })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a handover proof can never pass as a consent decision", async () => {
    const members = (await getConsentGroup(registrationNumber)).members;
    const issued = await issuePseudonymChallenge({ registrationNumber, user });
    const answer = await prove(bob, members, challengeMessage(issued.challenge), scope);
    await expect(submitConsent({ registrationNumber, proof: answer })).rejects.toMatchObject({
      message: "This proof does not carry a consent decision.",
    });
  });
});

describe("the device's pseudonym", () => {
  it("is the nullifier of every proof the identity makes for the trial", async () => {
    const members = (await getConsentGroup(registrationNumber)).members;
    const proof = await prove(alice, members, challengeMessage("0".repeat(32)), scope);
    expect(trialPseudonym(alice.secretScalar, scope).toString()).toBe(proof.nullifier);
    expect(trialPseudonym(bob.secretScalar, scope).toString()).not.toBe(proof.nullifier);
  });
});
