import { describe, expect, it } from "vitest";
import { listUsers } from "@/lib/auth/data";
import { signUp, verifyCredentials } from "@/lib/auth/service";
import { DEMO_ACCOUNTS, resetDemo } from "@/lib/demo/service";
import { getOrgBySlug } from "@/lib/orgs/data";
import { searchCatalogue } from "@/lib/search/data";
import { searchQuery } from "@/lib/search/schema";
import { uniqueEmail } from "@/scripts/test/support";

// resetDemo empties every table: safe because every integration test file has a database of its
// own (scripts/test/integration-env.ts).
describe("demo data", () => {
  it("demo:reset deletes everything else and seeds accounts that can sign in", async () => {
    const stranger = uniqueEmail("stranger");
    await signUp({ name: "Stranger", email: stranger, password: "a long password", accountType: "SPONSOR" });
    const accounts = await resetDemo();
    expect(accounts.map((a) => a.email).sort()).toEqual(Object.values(DEMO_ACCOUNTS).map((a) => a.email).sort());
    const emails = (await listUsers()).map((u) => u.email);
    expect(emails).not.toContain(stranger);
    expect(emails.sort()).toEqual(accounts.map((a) => a.email).sort());
    const org = await getOrgBySlug("northwind");
    expect(org?.committee).toHaveLength(1);
    const trials = await searchCatalogue("trial", searchQuery.parse({}));
    expect(trials.results.map((t) => t.primarySponsor)).toEqual(["Northwind Clinical Research"]);
    const sponsor = await verifyCredentials({ email: DEMO_ACCOUNTS.sponsor.email, password: DEMO_ACCOUNTS.sponsor.password, address: "127.0.0.9" });
    expect(sponsor?.roles).toEqual(["sponsor"]);
    const committee = await verifyCredentials({ email: DEMO_ACCOUNTS.committee.email, password: DEMO_ACCOUNTS.committee.password, address: "127.0.0.9" });
    expect(committee?.roles).toEqual(["sponsor", "committee"]);
  });
});
