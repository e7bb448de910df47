// The pseudonyms dataset validation accepts: those a trial's participants proved through the
// handover — a real one here (enrolment on chain, a Semaphore proof over the challenge) — and the
// demo's recorded ones, which must read exactly like it.
import { Identity } from "@semaphore-protocol/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSessionUser } from "@/lib/auth/data";
import type { SessionUser } from "@/lib/auth/roles";
import { signUp } from "@/lib/auth/service";
import { provenPseudonyms } from "@/lib/consent/data";
import { challengeMessage } from "@/lib/consent/message";
import {
  answerPseudonymChallenge,
  generateEnrolmentCodes,
  getConsentGroup,
  getPseudonymChallenge,
  issuePseudonymChallenge,
  redeemEnrolmentCode,
  saveConsentItems,
} from "@/lib/consent/service";
// eslint-disable-next-line no-restricted-imports -- the test reads the rows the demo wrote and counts log entries directly: no domain read returns a challenge's issuer or the whole log's size
import { prisma } from "@/lib/db";
import { recordDemoPseudonyms } from "@/lib/demo/mutations";
import { createOrganization } from "@/lib/orgs/service";
import { exampleTrialRecord } from "@/lib/registry/example";
import { prove, stopProver } from "@/scripts/test/proofs";
import { relayUntil } from "@/scripts/test/relay";
import { registerSigned } from "@/scripts/test/signing";
import { uniqueEmail } from "@/scripts/test/support";

const ITEMS = [{ text: "My data may be used for research on other diseases.", ifGranted: ["DUO:0000042"], ifWithheld: ["DUO:0000007"] }];

async function sponsorTrial(label: string, now: Date) {
  const created = await signUp({ name: label, email: uniqueEmail(label), password: "long enough password", accountType: "SPONSOR" });
  const user = (await getSessionUser(created.id)) as SessionUser;
  const org = await createOrganization({ name: `${label} Sponsor`, creator: user });
  // A year of its own: test files share the chain, where the registration number is the trial's id.
  const trial = await registerSigned({ orgId: org.id, user, input: structuredClone(exampleTrialRecord), now });
  return { user, org, trial };
}

let owner: Awaited<ReturnType<typeof sponsorTrial>>;
let other: Awaited<ReturnType<typeof sponsorTrial>>;

beforeAll(async () => {
  owner = await sponsorTrial("pseudonyms", new Date("2043-03-01T00:00:00Z"));
  other = await sponsorTrial("elsewhere", new Date("2043-04-01T00:00:00Z"));
});

afterAll(stopProver);

describe("provenPseudonyms", () => {
  it("knows the pseudonym a participant proved through a real handover, for that trial only", async () => {
    const { registrationNumber } = owner.trial;
    await saveConsentItems({ registrationNumber, items: ITEMS, user: owner.user });
    const { codes: [code] } = await generateEnrolmentCodes({ registrationNumber, count: 1, user: owner.user });
    const alice = new Identity();
    await redeemEnrolmentCode({ code: code ?? "", commitment: alice.commitment.toString() });
    await relayUntil(async () => (await getConsentGroup(registrationNumber)).members.includes(alice.commitment.toString()), "Alice is on chain");
    const group = await getConsentGroup(registrationNumber);

    // A challenge issued but never answered proves nothing.
    const unanswered = await issuePseudonymChallenge({ registrationNumber, user: owner.user });
    const issued = await issuePseudonymChallenge({ registrationNumber, user: owner.user });
    const proof = await prove(alice, group.members, challengeMessage(issued.challenge), BigInt(group.scope));
    const { pseudonym } = await answerPseudonymChallenge({ challenge: issued.challenge, proof });
    expect((await getPseudonymChallenge({ id: unanswered.id, user: owner.user })).pseudonym).toBeNull();

    const typedIn = "12345678901234567890";
    expect(await provenPseudonyms(owner.trial.id, [pseudonym, typedIn, pseudonym])).toEqual(new Set([pseudonym]));
    expect(await provenPseudonyms(other.trial.id, [pseudonym])).toEqual(new Set());
    expect(await provenPseudonyms(owner.trial.id, [])).toEqual(new Set());
    expect(await provenPseudonyms("", [pseudonym])).toEqual(new Set());
  });

  it("knows the demo's recorded pseudonyms, written in the shape a handover leaves", async () => {
    const before = await prisma().logEntry.count();
    const recorded = await recordDemoPseudonyms(other.trial.id, 25);
    expect(new Set(recorded).size).toBe(25);
    for (const p of recorded) expect(p).toMatch(/^[1-9]\d{0,76}$/);
    expect(await provenPseudonyms(other.trial.id, [...recorded, "0"])).toEqual(new Set(recorded));
    expect(await provenPseudonyms(owner.trial.id, recorded)).toEqual(new Set());

    const rows = await prisma().pseudonymChallenge.findMany({ where: { trialId: other.trial.id, nullifier: { in: recorded } } });
    expect(rows).toHaveLength(25);
    for (const row of rows) {
      expect(row.challenge).toMatch(/^[0-9a-f]{32}$/);
      expect(row.issuedById).toBe(other.user.id);
      expect(row.verifiedAt).not.toBeNull();
    }
    // The demo claims no handover in the public log.
    expect(await prisma().logEntry.count()).toBe(before);
  });
});
