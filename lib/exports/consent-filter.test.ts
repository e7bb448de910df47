import { describe, expect, it } from "vitest";
import type { ConsentItem } from "@/lib/consent/schema";
import { grantsMask } from "@/lib/consent/message";
import { BUILTIN_MONDO } from "@/lib/duo/builtin-mondo";
import { DUO_RELEASE, type DataUseConditions } from "@/lib/duo/conditions";
import { ancestorsFromParents } from "@/lib/duo/hierarchy";
import type { MatchContext } from "@/lib/duo/match";
import { PURPOSE_FLAG_NAMES, type PurposeFlag, type ResearchPurpose } from "@/lib/duo/purpose";
import { consentFilter } from "@/lib/exports/consent-filter";

const HYPERTENSIVE_DISORDER = "MONDO:0005044";
const ESSENTIAL_HYPERTENSION = "MONDO:0001134";
const TYPE_2_DIABETES = "MONDO:0005148";

// The demo trial's items (lib/demo/service.ts): 0 DS (this trial's condition), 1 GRU (other
// diseases; withheld: DS), 2 commercial use (withheld: NCU).
const ITEMS: ConsentItem[] = [
  { number: 0, text: "research on this trial's condition", ifGranted: ["DUO:0000007"], ifWithheld: [] },
  { number: 1, text: "research on other diseases", ifGranted: ["DUO:0000042"], ifWithheld: ["DUO:0000007"] },
  { number: 2, text: "commercial companies", ifGranted: [], ifWithheld: ["DUO:0000046"] },
];
const VERSIONS = new Map([[1, ITEMS]]);
const RELEASE: DataUseConditions = { duoRelease: DUO_RELEASE, permission: { code: "DS", diseases: [HYPERTENSIVE_DISORDER] }, modifiers: {} };

const noFlags = Object.fromEntries(PURPOSE_FLAG_NAMES.map((f) => [f, false])) as Record<PurposeFlag, boolean>;
const context = (purpose: Partial<ResearchPurpose> & Pick<ResearchPurpose, "category">, flags: PurposeFlag[] = []): MatchContext => ({
  purpose: { duoRelease: DUO_RELEASE, diseases: [], ...purpose, flags: { ...noFlags, ...Object.fromEntries(flags.map((f) => [f, true])) } },
  institution: { name: "University of Leiden", notForProfit: true, country: "NL" },
  team: [{ email: "robin@leiden.test" }],
  documents: { irb: false, collaborationLetter: false },
  requestedMonths: 12,
  diseases: { ancestors: ancestorsFromParents(BUILTIN_MONDO), labels: new Map(BUILTIN_MONDO.map((t) => [t.id, t.label])) },
});
const decision = (items: number[], textVersion = 1) => ({ grants: grantsMask(items), textVersion });

describe("the consent filter", () => {
  const hypertension = consentFilter(VERSIONS, RELEASE, context({ category: "DS", diseases: [ESSENTIAL_HYPERTENSION] }));

  it("keeps a participant whose granted item covers the purpose", () => {
    expect(hypertension(decision([0]))).toBe("kept");
    expect(hypertension(decision([0, 1, 2]))).toBe("kept");
  });

  it("leaves out no decision, a withdrawal and an unknown text version", () => {
    expect(hypertension(null)).toBe("no-decision");
    expect(hypertension({ grants: 0n, textVersion: 1 })).toBe("withdrawn");
    expect(hypertension(decision([0], 2))).toBe("unknown-text");
  });

  it("leaves out a participant who granted only restrictions: nothing they granted covers the purpose", () => {
    // Item 2 granted carries no term; items 0 and 1 withheld leave only DS (from 1's ifWithheld).
    expect(hypertension(decision([2]))).toBe("not-covered");
  });

  it("applies a withheld item's restriction: a commercial purpose is not met by NCU", () => {
    const commercial = consentFilter(VERSIONS, RELEASE, context({ category: "DS", diseases: [ESSENTIAL_HYPERTENSION] }, ["commercial"]));
    expect(commercial(decision([0]))).toBe("not-covered");
    expect(commercial(decision([0, 2]))).toBe("kept");
  });

  it("takes any granted permission that covers the purpose: another disease needs the broader item", () => {
    const diabetes = consentFilter(VERSIONS, RELEASE, context({ category: "DS", diseases: [TYPE_2_DIABETES] }));
    expect(diabetes(decision([0]))).toBe("not-covered");
    expect(diabetes(decision([0, 1]))).toBe("kept");
    expect(diabetes(decision([1]))).toBe("kept");
  });

  it("counts a doubt as excluded: a sensitive purpose flag makes a met permission the committee's", () => {
    const controls = consentFilter(VERSIONS, RELEASE, context({ category: "DS", diseases: [ESSENTIAL_HYPERTENSION] }, ["controls"]));
    expect(controls(decision([0, 1, 2]))).toBe("doubtful");
  });
});
