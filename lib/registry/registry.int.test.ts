import { describe, expect, it } from "vitest";
import { getSessionUser } from "@/lib/auth/data";
import type { SessionUser } from "@/lib/auth/roles";
import { signUp } from "@/lib/auth/service";
import { anchorState } from "@/lib/anchoring/service";
import { runAnchoringOnce } from "@/lib/anchoring/worker";
import { getChain } from "@/lib/chain/client";
import { createOrganization } from "@/lib/orgs/service";
import { canonicalize } from "@/lib/canonical-json";
import { syncTrialsToChain } from "@/lib/registry/chain-sync";
import { getTrialByNumber } from "@/lib/registry/data";
import { exampleTrialRecord } from "@/lib/registry/example";
import { chainTrialIdOf } from "@/lib/registry/service";
import { amendSigned, registerSigned } from "@/scripts/test/signing";
import { uniqueEmail } from "@/scripts/test/support";

async function sponsor(label: string): Promise<SessionUser> {
  const user = await signUp({ name: label, email: uniqueEmail(label), password: "long enough password", accountType: "SPONSOR" });
  const session = await getSessionUser(user.id);
  if (!session) throw new Error("user vanished");
  return session;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

async function setUp() {
  const user = await sponsor("registrar");
  const org = await createOrganization({ name: "Registry Test Sponsor", creator: user });
  return { user, org };
}

describe("trial registration", () => {
  it("gives sequential registration numbers and freezes the record as canonical JSON", async () => {
    const { user, org } = await setUp();
    const now = new Date("2031-03-01T00:00:00Z"); // a year no other test registers in
    const a = await registerSigned({ orgId: org.id, user, input: clone(exampleTrialRecord), now });
    const b = await registerSigned({ orgId: org.id, user, input: clone(exampleTrialRecord), now });
    expect([a.registrationNumber, b.registrationNumber]).toEqual(["TLR-2031-00001", "TLR-2031-00002"]);
    expect(a.chainTrialId).toBe(chainTrialIdOf("TLR-2031-00001"));

    const trial = await getTrialByNumber(a.registrationNumber);
    const v1 = trial?.versions[0];
    expect(v1).toMatchObject({ version: 1, previousDigest: null, chainStatus: "PENDING" });
    expect(canonicalize(v1?.record)).toBe(canonicalize(exampleTrialRecord));
    expect((await anchorState(v1?.anchorItemId ?? "")).state).toBe("pending");
  });

  it("refuses an invalid record and a non-member, writing nothing", async () => {
    const { user, org } = await setUp();
    const outsider = await sponsor("outsider");
    const now = new Date("2032-01-01T00:00:00Z");
    const invalid = { ...clone(exampleTrialRecord), primaryOutcomes: [] };
    await expect(registerSigned({ orgId: org.id, user, input: invalid, now })).rejects.toMatchObject({ name: "ZodError" });
    await expect(registerSigned({ orgId: org.id, user: outsider, input: clone(exampleTrialRecord), now })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // The failed attempts used no registration number.
    const ok = await registerSigned({ orgId: org.id, user, input: clone(exampleTrialRecord), now });
    expect(ok.registrationNumber).toBe("TLR-2032-00001");
  });

  it("amends as a chained version with outcome flags, refusing stale and empty amendments", async () => {
    const { user, org } = await setUp();
    const trial = await registerSigned({ orgId: org.id, user, input: clone(exampleTrialRecord) });
    const changed = clone(exampleTrialRecord);
    const primary = changed.primaryOutcomes[0];
    if (!primary) throw new Error("example has no primary outcome");
    changed.primaryOutcomes = [{ ...primary, timeFrame: "24 weeks after randomisation" }];

    await expect(amendSigned({ registrationNumber: trial.registrationNumber, user, input: clone(exampleTrialRecord), basedOnVersion: 1 })).rejects.toMatchObject({
      code: "VALIDATION",
    });
    const v2 = await amendSigned({ registrationNumber: trial.registrationNumber, user, input: changed, basedOnVersion: 1 });
    expect(v2.version).toBe(2);
    await expect(amendSigned({ registrationNumber: trial.registrationNumber, user, input: clone(exampleTrialRecord), basedOnVersion: 1 })).rejects.toMatchObject({
      code: "CONFLICT",
    });

    const stored = await getTrialByNumber(trial.registrationNumber);
    const [first, second] = stored?.versions ?? [];
    expect(second?.previousDigest).toBe(first?.digest);
    expect(second?.outcomeFlags).toEqual([expect.objectContaining({ type: "time-frame-changed", outcomeId: primary.id })]);
  });

  it("registers and amends on chain in version order, and anchors every version's digest", async () => {
    const { user, org } = await setUp();
    const trial = await registerSigned({ orgId: org.id, user, input: clone(exampleTrialRecord) });
    const changed = { ...clone(exampleTrialRecord), targetSampleSize: exampleTrialRecord.targetSampleSize + 10 };
    await amendSigned({ registrationNumber: trial.registrationNumber, user, input: changed, basedOnVersion: 1 });

    const sync = { chain: getChain, confirmations: 1 };
    // One version per trial per run: version 2 cannot reach the contract before version 1.
    expect(await syncTrialsToChain(sync)).toBeGreaterThanOrEqual(1);
    await syncTrialsToChain(sync);
    const chain = await getChain();
    const [digest, version, registeredAt] = await chain.contracts.TrialRegistry.trialOf(trial.chainTrialId);
    const stored = await getTrialByNumber(trial.registrationNumber);
    expect(Number(version)).toBe(2);
    expect(digest.toLowerCase()).toBe(stored?.versions[1]?.digest);
    expect(Number(registeredAt)).toBeGreaterThan(0);
    expect(stored?.versions.map((v) => v.chainStatus)).toEqual(["CONFIRMED", "CONFIRMED"]);
    // Running again sends nothing.
    expect(await syncTrialsToChain(sync)).toBe(0);

    await runAnchoringOnce({ chain: getChain, batchSize: 1000, maxAgeMs: 0, confirmations: 1 });
    for (const v of stored?.versions ?? []) {
      const state = await anchorState(v.anchorItemId ?? "");
      expect(state.state).toBe("anchored");
      if (state.state === "anchored") expect(state.receipt.digest).toBe(v.digest);
    }
  });
});
