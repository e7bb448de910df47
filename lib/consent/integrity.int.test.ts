// The consent pipeline against inputs that once broke it for everyone (issue 8, points 12–15), on
// the real database and the run's anvil with real proofs: commitments that are not field elements,
// a bad commitment already in the queue, a proof at another depth, a decision sent straight to
// ConsentRegistry by someone else, and a group too small to hide a decision in. The integration
// set-up runs with CONSENT_MIN_GROUP_SIZE=2, so a one-member group is the small one here.
//
// Sends from anvil dev account #8 (the relayer is #0; contract tests use their own anvil).
import { randomUUID } from "node:crypto";
import { Group, Identity, generateProof } from "@semaphore-protocol/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as redeemRoute from "@/app/api/consent/enrolment/route";
import * as decisionsRoute from "@/app/api/consent/trials/[number]/decisions/route";
import { devSigner } from "@/contracts/test/support";
import { getSessionUser } from "@/lib/auth/data";
import type { SessionUser } from "@/lib/auth/roles";
import { signUp } from "@/lib/auth/service";
import { getChain } from "@/lib/chain/client";
import type { ConsentRegistryContract } from "@/lib/chain/generated/types";
import { findMember } from "@/lib/consent/data";
import { packConsentMessage } from "@/lib/consent/message";
import { runConsentRelayOnce } from "@/lib/consent/relay";
import { SNARK_SCALAR_FIELD } from "@/lib/consent/schema";
import {
  generateEnrolmentCodes,
  getConsentEvents,
  getConsentGroup,
  getConsentOverview,
  redeemEnrolmentCode,
  saveConsentItems,
  submitConsent,
} from "@/lib/consent/service";
import { migrationTarget } from "@/lib/db";
import { createOrganization } from "@/lib/orgs/service";
import { getTrialByNumber } from "@/lib/registry/data";
import { exampleTrialRecord } from "@/lib/registry/example";
import { syncTrialsToChain } from "@/lib/registry/chain-sync";
import { registerSigned } from "@/scripts/test/signing";
import { artifactPaths, chainProof, prove, stopProver } from "@/scripts/test/proofs";
import { publicPost, uniqueEmail } from "@/scripts/test/support";
import { relayOptions, relayUntil } from "@/scripts/test/relay";

const ITEMS = [{ text: "My data may be shared with researchers of other diseases.", ifGranted: ["DUO:0000042"], ifWithheld: [] }];
const redeem = publicPost(redeemRoute.POST);
const decide = publicPost(decisionsRoute.POST);

let user: SessionUser;
/** Each trial gets its own year: files share the chain, where the registration number is the trial's id. */
let year = 2043;

async function consentTrial(codeCount: number): Promise<{ registrationNumber: string; trialId: string; codes: string[] }> {
  const now = new Date(`${year++}-06-01T00:00:00Z`);
  const org = await createOrganization({ name: `Integrity Sponsor ${randomUUID().slice(0, 8)}`, creator: user });
  const { registrationNumber } = await registerSigned({ orgId: org.id, user, input: JSON.parse(JSON.stringify(exampleTrialRecord)) as unknown, now });
  await saveConsentItems({ registrationNumber, items: ITEMS, user });
  const { codes } = await generateEnrolmentCodes({ registrationNumber, count: codeCount, user });
  const trial = await getTrialByNumber(registrationNumber);
  if (!trial) throw new Error("trial vanished");
  return { registrationNumber, trialId: trial.id, codes };
}

/** Runs only the registry's chain sync (not the consent relay) until `done` holds. */
async function syncUntil(done: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 45_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await syncTrialsToChain(relayOptions);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function sql(text: string, values: unknown[]): Promise<void> {
  const target = migrationTarget();
  if (target.kind === "pglite") await target.pglite.query(text, values);
  else await target.pool.query(text, values);
}

beforeAll(async () => {
  const account = await signUp({ name: "Integrity", email: uniqueEmail("integrity"), password: "long enough password", accountType: "SPONSOR" });
  const session = await getSessionUser(account.id);
  if (!session) throw new Error("no session");
  user = session;
});

afterAll(stopProver);

describe("enrolment (12)", () => {
  it("refuses a commitment that is not a field element, 0 < c < p, naming the field and keeping the code", async () => {
    const { registrationNumber, trialId, codes } = await consentTrial(1);
    const [code] = codes;
    if (!code) throw new Error("no code");
    for (const commitment of ["0", SNARK_SCALAR_FIELD.toString(), (SNARK_SCALAR_FIELD + 1n).toString(), (1n << 256n).toString(), "9".repeat(78)]) {
      const response = await redeem({ code, commitment });
      expect(response.status, commitment).toBe(422);
      const body = (await response.json()) as { error: { fieldErrors?: Record<string, string[]> } };
      expect(Object.keys(body.error.fieldErrors ?? {})).toEqual(["commitment"]);
      expect(await findMember(trialId, commitment)).toBeNull();
    }
    // The code was not spent: the largest valid commitment still enrols with it.
    const largest = (SNARK_SCALAR_FIELD - 1n).toString();
    expect((await redeem({ code, commitment: largest })).status).toBe(200);
    expect((await getConsentGroup(registrationNumber)).members).toEqual([]);
  });

  it("splits a batch the chain refuses: the good members land, each bad one is set aside with its reason", async () => {
    const { registrationNumber, trialId, codes } = await consentTrial(3);
    const good = codes.map(() => new Identity());
    for (const [i, identity] of good.entries()) await redeemEnrolmentCode({ code: codes[i] ?? "", commitment: identity.commitment.toString() });
    // Queued before validation existed (or by any other bug): planted behind the service's back.
    const bad = ["0", SNARK_SCALAR_FIELD.toString(), (1n << 256n).toString()];
    for (const commitment of bad) {
      await sql(`INSERT INTO "ConsentMember" ("id", "trialId", "commitment") VALUES ($1, $2, $3)`, [randomUUID(), trialId, commitment]);
    }
    await relayUntil(async () => (await getConsentGroup(registrationNumber)).members.length === good.length, "the good members are on chain");
    const group = await getConsentGroup(registrationNumber);
    expect(new Set(group.members)).toEqual(new Set(good.map((g) => g.commitment.toString())));
    expect(group.root).toBe(new Group(group.members.map(BigInt)).root.toString());
    const reasons = { "0": "LeafCannotBeZero", [bad[1] ?? ""]: "LeafGreaterThanSnarkScalarField", [bad[2] ?? ""]: "not a uint256" };
    for (const commitment of bad) {
      const member = await findMember(trialId, commitment);
      expect(member, commitment).toMatchObject({ status: "PENDING", rejected: true, lastError: `refused by the chain: ${reasons[commitment]}` });
    }
    // Set aside for good: a later run neither sends them nor blames them again. (Not `failed: 0`:
    // other files send with the same relayer key on this anvil, so any pass may fail and back off.)
    const before = await Promise.all(bad.map((commitment) => findMember(trialId, commitment)));
    const next = await runConsentRelayOnce(relayOptions);
    expect(next.rejected).toBe(0);
    expect(await Promise.all(bad.map((commitment) => findMember(trialId, commitment)))).toEqual(before);
  });

  it("a member whose enrolment reached the chain before the relay could record it is confirmed with the next one, never refused", async () => {
    const { registrationNumber, trialId, codes } = await consentTrial(2);
    const [first, second] = [new Identity(), new Identity()];
    await redeemEnrolmentCode({ code: codes[0] ?? "", commitment: first.commitment.toString() });
    const chain = await getChain();
    const { chainTrialId } = await getConsentOverview(registrationNumber);
    await syncUntil(async () => chain.contracts.TrialRegistry.isRegistered(chainTrialId), "the trial is on chain");
    // The relay's crash after broadcasting enrol and before recording it (or a "dropped" transaction
    // that was mined after all): the first member is on chain, its row still queued and unsent.
    const enrolled = await (await chain.contracts.ConsentRegistry.enrol(chainTrialId, [first.commitment])).wait();
    expect(enrolled?.status).toBe(1);
    expect(await findMember(trialId, first.commitment.toString())).toMatchObject({ status: "PENDING", rejected: false });
    // Queued before the restart: the next run's batch holds both.
    await redeemEnrolmentCode({ code: codes[1] ?? "", commitment: second.commitment.toString() });

    await relayUntil(async () => (await findMember(trialId, second.commitment.toString()))?.status === "CONFIRMED", "the second member is on chain");
    for (const identity of [first, second]) {
      expect(await findMember(trialId, identity.commitment.toString())).toMatchObject({ status: "CONFIRMED", rejected: false, lastError: null });
    }
    const group = await getConsentGroup(registrationNumber);
    expect(group.members).toEqual([first.commitment.toString(), second.commitment.toString()]);
    const [, groupId] = await chain.contracts.ConsentRegistry.groupOf(chainTrialId);
    expect(group.root).toBe((await chain.contracts.Semaphore.getMerkleTreeRoot(groupId)).toString());
    expect(group.root).toBe(new Group([first.commitment, second.commitment]).root.toString());
  });
});

describe("decisions", () => {
  let registrationNumber: string;
  let scope: string;
  const alice = new Identity();
  const bob = new Identity();
  const carol = new Identity();
  /** The second and third codes, for bob and carol in the anonymity test. */
  let laterCodes: string[];

  beforeAll(async () => {
    const trial = await consentTrial(3);
    registrationNumber = trial.registrationNumber;
    await redeemEnrolmentCode({ code: trial.codes[0] ?? "", commitment: alice.commitment.toString() });
    await relayUntil(async () => (await getConsentGroup(registrationNumber)).members.length === 1, "alice is on chain");
    scope = (await getConsentGroup(registrationNumber)).scope;
    laterCodes = trial.codes.slice(1);
  });

  it("(15) are refused over a one-member group, with the reason, and accepted once the group is large enough; the set size is public", async () => {
    const alone = await getConsentGroup(registrationNumber);
    expect(alone).toMatchObject({ groupSize: 1, minGroupSize: 2, acceptingDecisions: false });
    // With one member the root is that member's commitment's leaf: the pseudonym would name it.
    const proof = await prove(alice, alone.members, packConsentMessage({ grants: 1n, textVersion: 1, sequence: 1n }), scope);
    const response = await decide({ proof }, { number: registrationNumber });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { message: string; fieldErrors?: Record<string, string[]> } };
    expect(body.error.message).toMatch(/^Decisions open once this trial's group has 2 members \(this proof is over 1\)/);
    expect(Object.keys(body.error.fieldErrors ?? {})).toEqual(["proof.merkleTreeRoot"]);
    expect(await getConsentEvents(registrationNumber)).toEqual([]);

    for (const [i, identity] of [bob, carol].entries()) await redeemEnrolmentCode({ code: laterCodes[i] ?? "", commitment: identity.commitment.toString() });
    await relayUntil(async () => (await getConsentGroup(registrationNumber)).members.length === 3, "bob and carol are on chain");
    const group = await getConsentGroup(registrationNumber);
    expect(group).toMatchObject({ groupSize: 3, acceptingDecisions: true });
    // An old proof over the one-member root stays refused: the root's size counts, not today's group's.
    expect((await decide({ proof }, { number: registrationNumber })).status).toBe(422);
    const fresh = await prove(alice, group.members, packConsentMessage({ grants: 1n, textVersion: 1, sequence: 1n }), scope);
    const accepted = await decide({ proof: fresh }, { number: registrationNumber });
    expect(accepted.status, await accepted.clone().text()).toBe(200);
    expect(await getConsentOverview(registrationNumber)).toMatchObject({ groupSize: 3, minGroupSize: 2, acceptingDecisions: true });
    expect((await getConsentEvents(registrationNumber))[0]?.anonymitySet).toBe(3);
  });

  it("are refused when a published proof is re-posted zero-padded: the SNARK would verify it as the same numbers, the tally would count a new pseudonym", async () => {
    const before = await getConsentEvents(registrationNumber);
    const published = before[0]?.proof;
    if (!published) throw new Error("the (15) test's decision is not published");
    for (const [field, padded] of [
      ["proof.nullifier", { ...published, nullifier: `0${published.nullifier}` }],
      ["proof.merkleTreeRoot", { ...published, merkleTreeRoot: `0${published.merkleTreeRoot}` }],
      ["proof.message", { ...published, message: `00${published.message}` }],
    ] as const) {
      const response = await decide({ proof: padded }, { number: registrationNumber });
      expect(response.status, field).toBe(422);
      const body = (await response.json()) as { error: { fieldErrors?: Record<string, string[]> } };
      expect(Object.keys(body.error.fieldErrors ?? {}), field).toContain(field);
    }
    expect(await getConsentEvents(registrationNumber)).toEqual(before);
    expect((await getConsentOverview(registrationNumber)).decided).toBe(1);
  });

  it("(13) are refused at any depth but 20, naming the field, though the proof itself verifies", async () => {
    const { members } = await getConsentGroup(registrationNumber);
    const depth = 3; // 8 leaves: room for the group of 3, and what the attack used
    const shallow = await generateProof(bob, new Group(members.map(BigInt)), packConsentMessage({ grants: 1n, textVersion: 1, sequence: 1n }), scope, depth, artifactPaths(depth));
    const response = await decide({ proof: shallow }, { number: registrationNumber });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { fieldErrors?: Record<string, string[]> } };
    expect(Object.keys(body.error.fieldErrors ?? {})).toEqual(["proof.merkleTreeDepth"]);
    await expect(submitConsent({ registrationNumber, proof: shallow })).rejects.toMatchObject({ name: "ZodError" });
    expect((await getConsentEvents(registrationNumber)).map((e) => e.nullifier)).not.toContain(shallow.nullifier);
  });

  it("(14) sent straight to ConsentRegistry by another account are read back once, beside the relayed ones", async () => {
    const chain = await getChain();
    const overview = await getConsentOverview(registrationNumber);
    const { members } = await getConsentGroup(registrationNumber);
    const consent = chain.contracts.ConsentRegistry.connect(devSigner(chain.provider, 8)) as ConsentRegistryContract;
    const proof = await prove(carol, members, packConsentMessage({ grants: 1n, textVersion: 1, sequence: 1n }), scope);
    // The text version must be on chain before the contract takes a decision on it.
    await relayUntil(async () => (await chain.contracts.ConsentRegistry.consentVersionOf(overview.chainTrialId)) === 1n, "version 1 is published");
    const tx = await consent.submitConsent(overview.chainTrialId, chainProof(proof), { gasLimit: 1_000_000n });
    const receipt = await tx.wait();
    expect(receipt?.status).toBe(1);

    await relayUntil(
      async () => (await getConsentEvents(registrationNumber)).some((e) => e.nullifier === proof.nullifier),
      "the direct decision is read back",
    );
    await relayUntil(async () => (await getConsentEvents(registrationNumber)).every((e) => e.status === "RECORDED"), "alice's decision is relayed");
    // Twice more: nothing is read twice.
    await runConsentRelayOnce(relayOptions);
    await runConsentRelayOnce(relayOptions);
    const events = await getConsentEvents(registrationNumber);
    expect(events.map((e) => [e.sequence, e.status])).toEqual([["1", "RECORDED"], ["1", "RECORDED"]]);
    expect(events.find((e) => e.nullifier === proof.nullifier)).toMatchObject({
      status: "RECORDED",
      txHash: tx.hash,
      blockNumber: receipt?.blockNumber,
      grants: "1",
      textVersion: 1,
      anonymitySet: 3,
      proof: { merkleTreeDepth: 20, merkleTreeRoot: proof.merkleTreeRoot, message: proof.message, points: proof.points },
    });
    // Alice's relayed decision and carol's direct one count alike.
    const tally = await getConsentOverview(registrationNumber);
    expect(tally).toMatchObject({ decided: 2 });
    expect(tally.tally.map((t) => [t.granted, t.withdrawn, t.notAnswered])).toEqual([[2, 0, 1]]);

    // A later decision sent by the portal after the direct one replaces it, in the same row set.
    const withdraw = await prove(carol, members, packConsentMessage({ grants: 0n, textVersion: 1, sequence: 2n }), scope);
    await submitConsent({ registrationNumber, proof: withdraw });
    await relayUntil(async () => (await getConsentEvents(registrationNumber)).every((e) => e.status === "RECORDED"), "carol's withdrawal is relayed");
    await runConsentRelayOnce(relayOptions);
    expect((await getConsentEvents(registrationNumber)).filter((e) => e.nullifier === proof.nullifier).map((e) => e.sequence)).toEqual(["1", "2"]);
    expect((await getConsentOverview(registrationNumber)).tally.map((t) => [t.granted, t.withdrawn])).toEqual([[1, 1]]);
  });

  it("(14) a decision the portal accepted but another with its nullifier and sequence reached the chain first shows the chain's decision", async () => {
    const chain = await getChain();
    const { chainTrialId } = await getConsentOverview(registrationNumber);
    const { members } = await getConsentGroup(registrationNumber);
    const granted = await prove(bob, members, packConsentMessage({ grants: 1n, textVersion: 1, sequence: 1n }), scope);
    const withheld = await prove(bob, members, packConsentMessage({ grants: 0n, textVersion: 1, sequence: 1n }), scope);
    // The portal accepts one; before the relay sends it, bob's other device sends the other straight to the contract.
    await submitConsent({ registrationNumber, proof: granted });
    const consent = chain.contracts.ConsentRegistry.connect(devSigner(chain.provider, 8)) as ConsentRegistryContract;
    const tx = await consent.submitConsent(chainTrialId, chainProof(withheld), { gasLimit: 1_000_000n });
    expect((await tx.wait())?.status).toBe(1);

    const bobs = async () => (await getConsentEvents(registrationNumber)).filter((e) => e.nullifier === withheld.nullifier);
    await relayUntil(async () => (await bobs()).every((e) => e.status === "RECORDED"), "bob's decision is settled");
    await runConsentRelayOnce(relayOptions);
    expect(await bobs()).toEqual([
      expect.objectContaining({
        status: "RECORDED",
        txHash: tx.hash,
        grants: "0",
        proof: expect.objectContaining({ merkleTreeRoot: withheld.merkleTreeRoot, message: withheld.message, points: withheld.points }) as unknown,
      }),
    ]);
    // Counted as the chain has it: alice granted; carol and bob withdrawn.
    expect((await getConsentOverview(registrationNumber)).tally.map((t) => [t.granted, t.withdrawn])).toEqual([[1, 2]]);
  });
});
