// The privacy promises of the consent model (DESIGN.md), checked on the data itself after a full
// enrol-and-consent run through the public route handlers: the database holds no code-to-commitment
// link, no commitment-to-nullifier link and no network address tied to a consent, and the chain's
// events hold nothing personal.
import { Identity } from "@semaphore-protocol/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as redeemRoute from "@/app/api/consent/enrolment/route";
import * as checkRoute from "@/app/api/consent/enrolment/check/route";
import * as decisionsRoute from "@/app/api/consent/trials/[number]/decisions/route";
import { getSessionUser } from "@/lib/auth/data";
import { signUp } from "@/lib/auth/service";
import { getChain } from "@/lib/chain/client";
import { packConsentMessage } from "@/lib/consent/message";
import { runConsentRelayOnce } from "@/lib/consent/relay";
import { generateEnrolmentCodes, getConsentEvents, getConsentGroup, hashEnrolmentCode, saveConsentItems } from "@/lib/consent/service";
import { createOrganization } from "@/lib/orgs/service";
import { syncTrialsToChain } from "@/lib/registry/chain-sync";
import { exampleTrialRecord } from "@/lib/registry/example";
import { registerSigned } from "@/scripts/test/signing";
import { dumpDatabase } from "@/scripts/test/database";
import { prove, stopProver } from "@/scripts/test/proofs";
import { publicPost, uniqueEmail } from "@/scripts/test/support";

// A documentation address (RFC 5737) the participants "come from", to look for afterwards.
const CLIENT_IP = "198.51.100.23";
const CLIENT_AGENT = "PrivacyTestBrowser/1.0 (participant device)";

/** Calls a public route handler through its wrapper, as a browser at CLIENT_IP would. */
const publicCall = (handler: unknown) =>
  publicPost(handler, { "x-forwarded-for": CLIENT_IP, "x-real-ip": CLIENT_IP, "user-agent": CLIENT_AGENT });

const relay = { chain: getChain, confirmations: 1 };
const participants = [new Identity(), new Identity()];
let registrationNumber: string;
let codes: string[];
const nullifiers: string[] = [];

beforeAll(async () => {
  const user = await signUp({ name: "Privacy", email: uniqueEmail("privacy"), password: "long enough password", accountType: "SPONSOR" });
  const session = await getSessionUser(user.id);
  if (!session) throw new Error("no session");
  const org = await createOrganization({ name: "Privacy Test Sponsor", creator: session });
  // A year of its own: files share the chain, where the registration number is the trial's id.
  const now = new Date("2042-06-01T00:00:00Z");
  ({ registrationNumber } = await registerSigned({ orgId: org.id, user: session, input: JSON.parse(JSON.stringify(exampleTrialRecord)) as unknown, now }));
  await saveConsentItems({ registrationNumber, items: [{ text: "My data may be shared with other researchers.", ifGranted: ["DUO:0000042"], ifWithheld: [] }], user: session });
  ({ codes } = await generateEnrolmentCodes({ registrationNumber, count: 3, user: session }));

  const check = publicCall(checkRoute.POST);
  const redeem = publicCall(redeemRoute.POST);
  for (const [i, identity] of participants.entries()) {
    expect((await check({ code: codes[i] })).status).toBe(200);
    expect((await redeem({ code: codes[i], commitment: identity.commitment.toString() })).status).toBe(200);
  }
  const deadline = Date.now() + 45_000;
  while ((await getConsentGroup(registrationNumber)).members.length < 2) {
    if (Date.now() > deadline) throw new Error("members never reached the chain");
    await syncTrialsToChain(relay);
    await runConsentRelayOnce(relay);
  }
  const group = await getConsentGroup(registrationNumber);
  const decide = publicCall(decisionsRoute.POST);
  for (const identity of participants) {
    const proof = await prove(identity, group.members, packConsentMessage({ grants: 1n, textVersion: 1, sequence: 1n }), group.scope);
    nullifiers.push(proof.nullifier);
    const response = await decide({ proof }, { number: registrationNumber });
    expect(response.status, await response.clone().text()).toBe(200);
  }
  while (!(await getConsentEvents(registrationNumber)).every((e) => e.status === "RECORDED")) {
    if (Date.now() > deadline + 30_000) throw new Error("decisions never reached the chain");
    await runConsentRelayOnce(relay);
  }
}, 180_000);

afterAll(stopProver);

describe("after a full enrol-and-consent run", () => {
  it("the database holds no code, and nothing that links a code to a commitment", async () => {
    const dump = await dumpDatabase();
    const all = Object.values(dump).flat().join("\n");
    for (const code of codes.slice(0, 2)) {
      expect(all).not.toContain(code);
      expect(all).not.toContain(hashEnrolmentCode(code)); // spent codes leave no row behind
    }
    expect(all).toContain(hashEnrolmentCode(codes[2] ?? "")); // the unspent one is still there, hashed
    // The only rows naming a commitment are the member rows, and they carry no time and no code.
    for (const identity of participants) {
      const rows = Object.entries(dump).flatMap(([table, rows]) => rows.filter((r) => r.includes(identity.commitment.toString())).map((r) => ({ table, r })));
      expect(rows.map((x) => x.table)).toEqual(["ConsentMember"]);
      const member = JSON.parse(rows[0]?.r ?? "{}") as Record<string, unknown>;
      expect(Object.keys(member).sort()).toEqual(["attempts", "commitment", "id", "lastError", "leafIndex", "nextAttemptAt", "rejected", "status", "trialId", "txHash"]);
      expect(member.nextAttemptAt).toBeNull(); // no redemption time slipped in
    }
  });

  it("no row holds both a commitment and a nullifier", async () => {
    const dump = await dumpDatabase();
    for (const row of Object.values(dump).flat()) {
      const commitments = participants.filter((p) => row.includes(p.commitment.toString()));
      const pseudonyms = nullifiers.filter((n) => row.includes(n));
      expect(commitments.length === 0 || pseudonyms.length === 0, row).toBe(true);
    }
  });

  it("no network address or browser identity is stored anywhere", async () => {
    const all = Object.values(await dumpDatabase()).flat().join("\n");
    expect(all).not.toContain(CLIENT_IP);
    expect(all).not.toContain(CLIENT_AGENT);
  });

  it("the chain's events carry only commitments, pseudonyms, decisions and proofs", async () => {
    const chain = await getChain();
    const consent = chain.contracts.ConsentRegistry;
    const logs = await chain.provider.getLogs({ address: await consent.getAddress(), fromBlock: 0 });
    const text = JSON.stringify(logs);
    for (const code of codes) {
      expect(text).not.toContain(code.toLowerCase());
      expect(text).not.toContain(Buffer.from(code).toString("hex")); // as bytes in event data
      expect(text).not.toContain(hashEnrolmentCode(code));
    }
    expect(text).not.toContain(Buffer.from(CLIENT_IP).toString("hex"));
    const names = new Set(logs.map((log) => consent.interface.parseLog(log)?.name));
    // The run's events are there (so the checks above looked at something), and no other kind.
    expect(names).toEqual(new Set(["RelayerSet", "ConsentTextPublished", "Enrolled", "ConsentRecorded"]));
  });
});
