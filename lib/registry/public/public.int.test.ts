import { describe, expect, it } from "vitest";
import { getSessionUser } from "@/lib/auth/data";
import { signUp } from "@/lib/auth/service";
import { createOrganization } from "@/lib/orgs/service";
import { exampleTrialRecord } from "@/lib/registry/example";
import { getPublicTrial, searchTrials, trialSearchFrom } from "@/lib/registry/public/data";
import type { TrialRecord } from "@/lib/registry/schema";
import { amendSigned, registerSigned } from "@/scripts/test/signing";
import { uniqueEmail } from "@/scripts/test/support";

async function setUp() {
  const created = await signUp({ name: "Searcher", email: uniqueEmail("search"), password: "long enough password", accountType: "SPONSOR" });
  const user = await getSessionUser(created.id);
  if (!user) throw new Error("user vanished");
  const org = await createOrganization({ name: "Search Test Sponsor", creator: user });
  return { user, org };
}

/** A unique marker per test run, so the searches see only this test's trials. */
const marker = `zq${Date.now().toString(36)}`;

function variant(patch: (r: TrialRecord) => void): TrialRecord {
  const record: TrialRecord = structuredClone(exampleTrialRecord);
  record.acronym = marker;
  patch(record);
  return record;
}

describe("public registry search", () => {
  it("filters the current version of each trial by every criterion", async () => {
    const { user, org } = await setUp();
    const register = async (record: TrialRecord) => (await registerSigned({ orgId: org.id, user, input: record })).registrationNumber;
    const htn = await register(variant(() => undefined));
    const asthma = await register(
      variant((r) => {
        r.conditions = [{ name: "Severe asthma", code: "J45" }];
        r.studyType.phase = "phase-2";
        r.recruitmentStatus = "recruiting";
        r.countries = ["US"];
        r.primarySponsor = "Southwind Pharma";
        r.secondarySponsors = [];
      }),
    );
    // Amended after registration: search sees the current version (recruiting), not the first (pending).
    const amended = await register(variant(() => undefined));
    await amendSigned({
      registrationNumber: amended,
      user,
      basedOnVersion: 1,
      input: variant((r) => {
        r.recruitmentStatus = "suspended";
        r.countries = ["DE"];
      }),
    });

    const numbers = async (search: Parameters<typeof searchTrials>[0]) => (await searchTrials({ q: marker, ...search })).map((t) => t.registrationNumber).sort();
    expect(await numbers({})).toEqual([htn, asthma, amended].sort());
    expect(await numbers({ condition: "asthma" })).toEqual([asthma]);
    expect(await numbers({ condition: "i10" })).toEqual([htn, amended].sort());
    expect(await numbers({ phase: "phase-2" })).toEqual([asthma]);
    expect(await numbers({ phase: "phase-4" })).toEqual([]);
    expect(await numbers({ status: "suspended" })).toEqual([amended]);
    expect(await numbers({ status: "pending" })).toEqual([htn]);
    expect(await numbers({ country: "us" })).toEqual([asthma]);
    expect(await numbers({ country: "DE" })).toEqual([amended]);
    expect(await numbers({ sponsor: "southwind" })).toEqual([asthma]);
    expect(await numbers({ sponsor: "eastmoor" })).toEqual([htn, amended].sort()); // a secondary sponsor
    expect(await numbers({ phase: "phase-3", country: "GB" })).toEqual([htn]);
    expect((await searchTrials({ q: asthma })).map((t) => t.registrationNumber)).toEqual([asthma]);
    expect((await searchTrials({ q: asthma })).at(0)?.version).toBe(1);
  });

  it("reads a search from query parameters, dropping unknown phases and statuses", () => {
    expect(trialSearchFrom({ q: "  bp ", phase: "phase-9", status: "recruiting", country: "gb", sponsor: "", condition: ["asthma", "x"] })).toEqual({
      q: "bp",
      condition: "asthma",
      phase: undefined,
      status: "recruiting",
      country: "GB",
      sponsor: undefined,
    });
  });

  it("returns every version of a trial for its page, and null for an unknown number", async () => {
    const { user, org } = await setUp();
    const { registrationNumber } = await registerSigned({ orgId: org.id, user, input: variant(() => undefined) });
    await amendSigned({
      registrationNumber,
      user,
      basedOnVersion: 1,
      input: variant((r) => {
        const [primary] = r.primaryOutcomes;
        if (primary) primary.timeFrame = "24 weeks after randomisation";
      }),
    });
    const trial = await getPublicTrial(registrationNumber);
    expect(trial?.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(trial?.versions[1]?.previousDigest).toBe(trial?.versions[0]?.digest);
    expect(trial?.versions[1]?.outcomeFlags).toEqual([expect.objectContaining({ type: "time-frame-changed" })]);
    expect(trial).not.toHaveProperty("orgId");
    expect(await getPublicTrial("TLR-1999-00001")).toBeNull();
  });
});
