import { describe, expect, it } from "vitest";
import { getSessionUser } from "@/lib/auth/data";
import { signUp } from "@/lib/auth/service";
import { createOrganization } from "@/lib/orgs/service";
import { exampleTrialRecord } from "@/lib/registry/example";
import { getPublicTrial } from "@/lib/registry/public/data";
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

describe("public registry reads", () => {
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
