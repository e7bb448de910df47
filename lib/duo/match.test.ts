import { describe, expect, it } from "vitest";
import type { ConsentItem } from "@/lib/consent/schema";
import { BUILTIN_MONDO } from "@/lib/duo/builtin-mondo";
import { DUO_RELEASE, type DataUseConditions } from "@/lib/duo/conditions";
import { ancestorsFromParents } from "@/lib/duo/hierarchy";
import { type MatchContext, type Verdict, addMonths, diseaseIdsOf, matchConditions, matchConsentItems, maxGrantEnd, overallVerdict } from "@/lib/duo/match";
import { PURPOSE_FLAG_NAMES, type PurposeFlag, type ResearchPurpose } from "@/lib/duo/purpose";

// The hierarchy of the built-in Mondo subset (ids, labels and is-a parents of release 2022-09-06).
const CANCER = "MONDO:0004992";
const MELANOMA = "MONDO:0005105";
const CUTANEOUS_MELANOMA = "MONDO:0005012";
const HYPERTENSIVE_DISORDER = "MONDO:0005044";
const ESSENTIAL_HYPERTENSION = "MONDO:0001134";
const TYPE_2_DIABETES = "MONDO:0005148";
const UNKNOWN_DISEASE = "MONDO:9999999";

const diseases = {
  ancestors: ancestorsFromParents(BUILTIN_MONDO),
  labels: new Map(BUILTIN_MONDO.map((t) => [t.id, t.label])),
};

const noFlags = Object.fromEntries(PURPOSE_FLAG_NAMES.map((f) => [f, false])) as Record<PurposeFlag, boolean>;

type PurposeSpec = { category: ResearchPurpose["category"]; diseases?: string[]; flags?: PurposeFlag[]; other?: string };
const purposeOf = (p: PurposeSpec): ResearchPurpose => ({
  duoRelease: DUO_RELEASE,
  category: p.category,
  diseases: p.diseases ?? [],
  flags: { ...noFlags, ...Object.fromEntries((p.flags ?? []).map((f) => [f, true])) },
  ...(p.other ? { other: p.other } : {}),
});

const contextOf = (purpose: PurposeSpec, over: Partial<Omit<MatchContext, "purpose" | "diseases">> = {}): MatchContext => ({
  purpose: purposeOf(purpose),
  institution: { name: "University of Leiden", notForProfit: true, country: "NL" },
  team: [{ email: "robin@leiden.test" }],
  documents: { irb: false, collaborationLetter: false },
  requestedMonths: 12,
  diseases,
  ...over,
});

const release = (permission: DataUseConditions["permission"], modifiers: DataUseConditions["modifiers"] = {}): DataUseConditions => ({ duoRelease: DUO_RELEASE, permission, modifiers });
const GRU = { code: "GRU" } as const;
const HMB = { code: "HMB" } as const;
const POA = { code: "POA" } as const;
const DS = (...ids: string[]) => ({ code: "DS" as const, diseases: ids });

type Row = {
  name: string;
  conditions: DataUseConditions;
  purpose: PurposeSpec;
  ctx?: Partial<Omit<MatchContext, "purpose" | "diseases">>;
  /** The overall verdict. */
  verdict: Exclude<Verdict, "acknowledge">;
  /** The condition the row is about, its verdict, and words its reason must hold besides its head. */
  code: string;
  is: Verdict;
  says?: string;
};

/**
 * DUOS Algorithm V4's cases, translated: DataBiosphere/consent-ontology
 * src/test/java/org/broadinstitute/dsde/consent/ontology/datause/DataUseMatcherV4Test.java (the
 * test names are kept) and the rules of DataUseMatcherV4 / docs/Algorithms.md. DUOS's Approve is
 * "met", Deny "not met", Abstain "committee". Translation: DUOS's DOID terms become Mondo's (cancer
 * DOID_162 → MONDO:0004992; intestinal cancer, a kind of cancer → cutaneous melanoma); a DUOS
 * purpose may be "methods only" without a category, ours always has one, so methods rows carry the
 * category of their dataset; DUOS's purpose-side COL and IRB become the release's condition with the
 * document uploaded.
 */
const DUOS_V4: Row[] = [
  { name: "testDiseaseMatching_positive", conditions: release(DS(CANCER)), purpose: { category: "DS", diseases: [CUTANEOUS_MELANOMA] }, verdict: "met", code: "DS", is: "met", says: "is a kind of cancer" },
  { name: "testDiseaseMatching_negative", conditions: release(DS(CUTANEOUS_MELANOMA)), purpose: { category: "DS", diseases: [CANCER] }, verdict: "not-met", code: "DS", is: "not-met", says: "cancer (MONDO:0004992), is not a kind of cutaneous melanoma" },
  { name: "disease check: a DS purpose on a GRU dataset", conditions: release(GRU), purpose: { category: "DS", diseases: [MELANOMA] }, verdict: "met", code: "GRU", is: "met" },
  { name: "disease check: a DS purpose on an HMB dataset", conditions: release(HMB), purpose: { category: "DS", diseases: [MELANOMA] }, verdict: "met", code: "HMB", is: "met" },
  { name: "testHMB_positive_case_1", conditions: release(GRU), purpose: { category: "HMB" }, verdict: "met", code: "GRU", is: "met" },
  { name: "testHMB_positive_case_2", conditions: release(HMB), purpose: { category: "HMB" }, verdict: "met", code: "HMB", is: "met" },
  { name: "testHMB_negative_case_1", conditions: release(HMB), purpose: { category: "GRU" }, verdict: "not-met", code: "HMB", is: "not-met", says: "includes research that is not about health" },
  { name: "testHMB_negative_case_2", conditions: release(DS(CANCER)), purpose: { category: "HMB" }, verdict: "not-met", code: "DS", is: "not-met", says: "only for research on cancer (MONDO:0004992)" },
  { name: "testHMB_negative_case_3", conditions: release(POA), purpose: { category: "HMB" }, verdict: "not-met", code: "POA", is: "not-met" },
  { name: "testPOA_positive_case_1", conditions: release(GRU), purpose: { category: "POA" }, verdict: "met", code: "GRU", is: "met" },
  { name: "testPOA_positive_case_2", conditions: release(POA), purpose: { category: "POA" }, verdict: "met", code: "POA", is: "met" },
  { name: "testPOA_negative_case_1", conditions: release(HMB), purpose: { category: "POA" }, verdict: "not-met", code: "HMB", is: "not-met" },
  { name: "testPOA_negative_case_2", conditions: release(DS(CANCER)), purpose: { category: "POA" }, verdict: "not-met", code: "DS", is: "not-met" },
  { name: "testMDS_positive_case_1", conditions: release(GRU), purpose: { category: "GRU", flags: ["methods"] }, verdict: "met", code: "GRU", is: "met" },
  { name: "testMDS_positive_case_2", conditions: release(POA), purpose: { category: "POA", flags: ["methods"] }, verdict: "met", code: "POA", is: "met" },
  { name: "testMDS_positive_case_3", conditions: release(DS(CANCER)), purpose: { category: "DS", diseases: [CANCER], flags: ["methods"] }, verdict: "met", code: "DS", is: "met", says: "is cancer itself" },
  { name: "testMDS_positive_case_4", conditions: release(HMB), purpose: { category: "HMB", flags: ["methods"] }, verdict: "met", code: "HMB", is: "met" },
  { name: "testNPU_positive_case_1", conditions: release(HMB, { NPU: true }), purpose: { category: "HMB" }, verdict: "met", code: "NPU", is: "met", says: "is a not-for-profit organisation" },
  { name: "testNPU_positive_case_2", conditions: release(HMB), purpose: { category: "HMB" }, ctx: { institution: { name: "Acme Pharma", notForProfit: false } }, verdict: "met", code: "HMB", is: "met" },
  { name: "testNPU_positive_case_3", conditions: release(HMB), purpose: { category: "HMB" }, verdict: "met", code: "HMB", is: "met" },
  { name: "testNPU_negative_case_1", conditions: release(HMB, { NPU: true }), purpose: { category: "HMB" }, ctx: { institution: { name: "Acme Pharma", notForProfit: false } }, verdict: "not-met", code: "NPU", is: "not-met", says: "Acme Pharma, is not one" },
  { name: "testAbstainDecision_COL", conditions: release(HMB, { COL: true }), purpose: { category: "HMB" }, ctx: { documents: { irb: false, collaborationLetter: true } }, verdict: "committee", code: "COL", is: "committee", says: "is uploaded" },
  { name: "testAbstainDecision_Other", conditions: release(HMB), purpose: { category: "HMB", other: "We also link the data to a registry." }, verdict: "committee", code: "HMB", is: "committee", says: "(other)" },
  { name: "testAbstainDecision_ethicsApprovalRequired", conditions: release(HMB, { IRB: true }), purpose: { category: "HMB" }, ctx: { documents: { irb: true, collaborationLetter: false } }, verdict: "committee", code: "IRB", is: "committee", says: "the committee reads it" },
  ...(
    [
      ["testAbstainDecision_controls", "controls"],
      ["testAbstainDecision_population", "population"],
      ["testAbstainDecision_gender", "gender"],
      ["testAbstainDecision_pediatric", "pediatric"],
      ["testAbstainDecision_vulnerablePopulations", "vulnerablePopulations"],
      ["testAbstainDecision_illegalBehavior", "illegalBehavior"],
      ["testAbstainDecision_sexualDiseases", "sexualDiseases"],
      ["testAbstainDecision_psychologicalTraits", "psychologicalTraits"],
      ["testAbstainDecision_notHealth", "notHealth"],
      ["testAbstainDecision_stigmatizedDiseases", "stigmatizedDiseases"],
    ] as const
  ).map(([name, flag]): Row => ({ name, conditions: release(HMB), purpose: { category: "HMB", flags: [flag] }, verdict: "committee", code: "HMB", is: "committee", says: `(${flag})` })),
];

/** TrialLedger's rules beyond DUOS (STANDARDS.md §1.3), one or more rows per modifier. */
const TRIALLEDGER: Row[] = [
  { name: "DS: every purpose disease must be covered", conditions: release(DS(MELANOMA)), purpose: { category: "DS", diseases: [CUTANEOUS_MELANOMA, TYPE_2_DIABETES] }, verdict: "not-met", code: "DS", is: "not-met", says: "cutaneous melanoma (MONDO:0005012) is a kind of melanoma; type 2 diabetes mellitus (MONDO:0005148) is not a kind of melanoma" },
  { name: "DS: several dataset diseases, each purpose disease under one", conditions: release(DS(MELANOMA, HYPERTENSIVE_DISORDER)), purpose: { category: "DS", diseases: [CUTANEOUS_MELANOMA, ESSENTIAL_HYPERTENSION] }, verdict: "met", code: "DS", is: "met", says: "essential hypertension (MONDO:0001134) is a kind of hypertensive disorder" },
  { name: "DS: a disease the ontology does not know goes to the committee", conditions: release(DS(MELANOMA)), purpose: { category: "DS", diseases: [UNKNOWN_DISEASE] }, verdict: "committee", code: "DS", is: "committee", says: "is not in the disease ontology" },
  { name: "DS: a GRU purpose is not disease-specific", conditions: release(DS(MELANOMA)), purpose: { category: "GRU" }, verdict: "not-met", code: "DS", is: "not-met", says: "your purpose is general research" },
  { name: "DS: a draft purpose without diseases", conditions: release(DS(MELANOMA)), purpose: { category: "DS" }, verdict: "not-met", code: "DS", is: "not-met", says: "names no disease yet" },
  { name: "a sensitive flag does not turn a permission that is not met into the committee's", conditions: release(HMB), purpose: { category: "GRU", flags: ["controls"] }, verdict: "not-met", code: "HMB", is: "not-met" },
  { name: "NCU: a commercial purpose is not met", conditions: release(GRU, { NCU: true }), purpose: { category: "HMB", flags: ["commercial"] }, verdict: "not-met", code: "NCU", is: "not-met", says: "your purpose is commercial" },
  { name: "NCU: a non-commercial purpose acknowledges", conditions: release(GRU, { NCU: true }), purpose: { category: "HMB" }, verdict: "met", code: "NCU", is: "acknowledge", says: "declared non-commercial" },
  { name: "IRB: without the approval, upload it", conditions: release(GRU, { IRB: true }), purpose: { category: "HMB" }, verdict: "not-met", code: "IRB", is: "not-met", says: "upload your approval document" },
  { name: "COL: without the letter, upload it", conditions: release(GRU, { COL: true }), purpose: { category: "HMB" }, verdict: "not-met", code: "COL", is: "not-met", says: "upload a collaboration letter" },
  { name: "PUB is an acknowledgement", conditions: release(GRU, { PUB: true }), purpose: { category: "HMB" }, verdict: "met", code: "PUB", is: "acknowledge", says: "make the results" },
  { name: "RTN is an acknowledgement", conditions: release(GRU, { RTN: true }), purpose: { category: "HMB" }, verdict: "met", code: "RTN", is: "acknowledge", says: "return derived or enriched data" },
  { name: "MOR is an acknowledgement with its date", conditions: release(GRU, { MOR: { date: "2027-06-30" } }), purpose: { category: "HMB" }, verdict: "met", code: "MOR", is: "acknowledge", says: "no results before 2027-06-30" },
  { name: "TS: within the cap", conditions: release(GRU, { TS: { months: 12 } }), purpose: { category: "HMB" }, verdict: "met", code: "TS", is: "met", says: "within the limit of 12 months" },
  { name: "TS: past the cap, says the cap", conditions: release(GRU, { TS: { months: 6 } }), purpose: { category: "HMB" }, verdict: "not-met", code: "TS", is: "not-met", says: "at most 6 months" },
  { name: "US: every member listed (case aside)", conditions: release(GRU, { US: { users: ["Robin@Leiden.test", "mia@leiden.test"] } }), purpose: { category: "HMB" }, verdict: "met", code: "US", is: "met" },
  { name: "US: a member not listed", conditions: release(GRU, { US: { users: ["mia@leiden.test"] } }), purpose: { category: "HMB" }, ctx: { team: [{ email: "robin@leiden.test" }, { email: "mia@leiden.test" }] }, verdict: "not-met", code: "US", is: "not-met", says: "robin@leiden.test is not among them" },
  { name: "US: a list with ORCID iDs goes to the committee", conditions: release(GRU, { US: { users: ["0000-0002-1825-0097"] } }), purpose: { category: "HMB" }, verdict: "committee", code: "US", is: "committee", says: "ORCID" },
  { name: "US: no team yet", conditions: release(GRU, { US: { users: ["robin@leiden.test"] } }), purpose: { category: "HMB" }, ctx: { team: [] }, verdict: "committee", code: "US", is: "committee", says: "names no team yet" },
  { name: "IS: a matching name is for the committee to confirm (only ROR ids are codes)", conditions: release(GRU, { IS: { institutions: ["university of  leiden"] } }), purpose: { category: "HMB" }, verdict: "committee", code: "IS", is: "committee", says: "committee confirms" },
  { name: "IS: the institution by ROR id", conditions: release(GRU, { IS: { institutions: ["https://ror.org/027bh9e22"] } }), purpose: { category: "HMB" }, ctx: { institution: { name: "Leiden University", notForProfit: true, ror: "027bh9e22" } }, verdict: "met", code: "IS", is: "met" },
  { name: "IS: ROR ids on both sides, not listed", conditions: release(GRU, { IS: { institutions: ["https://ror.org/04dkp9463"] } }), purpose: { category: "HMB" }, ctx: { institution: { name: "Leiden University", notForProfit: true, ror: "027bh9e22" } }, verdict: "not-met", code: "IS", is: "not-met" },
  { name: "IS: names that differ go to the committee", conditions: release(GRU, { IS: { institutions: ["Leiden University Medical Center"] } }), purpose: { category: "HMB" }, verdict: "committee", code: "IS", is: "committee" },
  { name: "GS: a named country", conditions: release(GRU, { GS: { regions: ["BE", "nl"] } }), purpose: { category: "HMB" }, verdict: "met", code: "GS", is: "met", says: "a named country" },
  { name: "GS: a country in the EU", conditions: release(GRU, { GS: { regions: ["EU"] } }), purpose: { category: "HMB" }, verdict: "met", code: "GS", is: "met", says: "which is in EU" },
  { name: "GS: coded and outside", conditions: release(GRU, { GS: { regions: ["EEA"] } }), purpose: { category: "HMB" }, ctx: { institution: { name: "MIT", notForProfit: true, country: "US" } }, verdict: "not-met", code: "GS", is: "not-met", says: "your institution is in US" },
  { name: "GS: a region in words goes to the committee", conditions: release(GRU, { GS: { regions: ["Benelux"] } }), purpose: { category: "HMB" }, verdict: "committee", code: "GS", is: "committee" },
  { name: "GS: the institution's country unknown", conditions: release(GRU, { GS: { regions: ["NL"] } }), purpose: { category: "HMB" }, ctx: { institution: { name: "Somewhere", notForProfit: true } }, verdict: "committee", code: "GS", is: "committee", says: "country is not recorded" },
  { name: "PS goes to the committee", conditions: release(GRU, { PS: { project: "The BP-2 follow-up" } }), purpose: { category: "HMB" }, verdict: "committee", code: "PS", is: "committee", says: "The BP-2 follow-up" },
  { name: "RS goes to the committee", conditions: release(GRU, { RS: { topic: "cardiology" } }), purpose: { category: "HMB" }, verdict: "committee", code: "RS", is: "committee", says: "cardiology" },
  { name: "CC goes to the committee", conditions: release(GRU, { CC: true }), purpose: { category: "HMB" }, verdict: "committee", code: "CC", is: "committee" },
  { name: "NMDS: methods research outside a DS scope", conditions: release(GRU, { NMDS: true }), purpose: { category: "GRU", flags: ["methods"] }, verdict: "not-met", code: "NMDS", is: "not-met", says: "methods development" },
  { name: "NMDS: methods research on the release's diseases", conditions: release(DS(MELANOMA), { NMDS: true }), purpose: { category: "DS", diseases: [CUTANEOUS_MELANOMA], flags: ["methods"] }, verdict: "met", code: "NMDS", is: "met", says: "inside its disease-specific scope" },
  { name: "NMDS: not methods research", conditions: release(HMB, { NMDS: true }), purpose: { category: "HMB" }, verdict: "met", code: "NMDS", is: "met" },
  { name: "NPOA: a POA purpose", conditions: release(GRU, { NPOA: true }), purpose: { category: "POA" }, verdict: "not-met", code: "NPOA", is: "not-met" },
  { name: "NPOA: another purpose", conditions: release(GRU, { NPOA: true }), purpose: { category: "HMB" }, verdict: "met", code: "NPOA", is: "met" },
  { name: "GSO: a genetic purpose goes to the committee", conditions: release(GRU, { GSO: true }), purpose: { category: "HMB", flags: ["genetic"] }, verdict: "committee", code: "GSO", is: "committee" },
  { name: "GSO: a purpose that is not genetic", conditions: release(GRU, { GSO: true }), purpose: { category: "HMB" }, verdict: "not-met", code: "GSO", is: "not-met", says: "declared not genetic" },
];

/** Asymmetric matchers typed as the strings they stand for (vitest types them `any`). */
const containing = (text: string) => expect.stringContaining(text) as string;
const matching = (pattern: RegExp) => expect.stringMatching(pattern) as string;

const VERDICT_END: Record<Verdict, string> = { met: ": met", "not-met": ": not met", committee: ": for the committee to judge", acknowledge: ": to acknowledge" };

describe("matchConditions", () => {
  it.each([...DUOS_V4, ...TRIALLEDGER])("$name", (row) => {
    const match = matchConditions(row.conditions, contextOf(row.purpose, row.ctx));
    expect(match.verdict).toBe(row.verdict);
    const found = match.conditions.find((c) => c.code === row.code);
    expect(found, `no ${row.code} in ${match.conditions.map((c) => c.code).join(", ")}`).toBeDefined();
    expect(found?.verdict).toBe(row.is);
    expect(found?.reason.startsWith(row.code)).toBe(true);
    expect(found?.reason.endsWith(VERDICT_END[row.is])).toBe(true);
    if (row.says) expect(found?.reason).toContain(row.says);
  });

  it("has at least 25 rows from DUOS's cases", () => {
    expect(DUOS_V4.length).toBeGreaterThanOrEqual(25);
  });

  it("explains a DS match exactly as the issue writes it, with DUO ids on every condition", () => {
    const match = matchConditions(release(DS(MELANOMA), { NCU: true, TS: { months: 24 } }), contextOf({ category: "DS", diseases: [CUTANEOUS_MELANOMA] }));
    expect(match.conditions).toEqual([
      { code: "DS", id: "DUO:0000007", verdict: "met", reason: "DS(MONDO:0005105 melanoma) — your purpose, cutaneous melanoma (MONDO:0005012), is a kind of melanoma: met" },
      { code: "NCU", id: "DUO:0000046", verdict: "acknowledge", reason: matching(/^NCU \(non-commercial use only\) — /) },
      { code: "TS", id: "DUO:0000025", verdict: "met", reason: "TS(24 months) — you ask for 12 months, within the limit of 24 months from the decision: met" },
    ]);
    expect(match.verdict).toBe("met");
  });

  it("names a dataset disease by id alone when its label is unknown", () => {
    const match = matchConditions(release(DS(UNKNOWN_DISEASE)), contextOf({ category: "HMB" }));
    expect(match.conditions[0]?.reason).toMatch(/^DS\(MONDO:9999999\) — the data may be used only for research on MONDO:9999999, /);
  });

  it("lists each sensitive flag of a purpose in one reason", () => {
    const [hmb] = matchConditions(release(HMB), contextOf({ category: "HMB", flags: ["pediatric", "gender", "controls"] })).conditions;
    expect(hmb?.reason).toContain("uses the data as controls (controls), studies one sex or gender only (gender) and studies children only (pediatric)");
  });
});

describe("overallVerdict", () => {
  it("is not met over anything, the committee's over met, and an acknowledgement counts as met", () => {
    expect(overallVerdict(["met", "committee", "not-met", "acknowledge"])).toBe("not-met");
    expect(overallVerdict(["met", "committee", "acknowledge"])).toBe("committee");
    expect(overallVerdict(["acknowledge", "met"])).toBe("met");
    expect(overallVerdict([])).toBe("met");
  });
});

/** The demo trial's consent items (lib/demo/service.ts DEMO_CONSENT_ITEMS), numbered as saved. */
const ITEMS: ConsentItem[] = [
  { number: 0, text: "My coded data may be used for research on this trial's condition (high blood pressure).", ifGranted: ["DUO:0000007"], ifWithheld: [] },
  { number: 1, text: "My coded data may also be used for research on other diseases.", ifGranted: ["DUO:0000042"], ifWithheld: ["DUO:0000007"] },
  { number: 2, text: "My coded data may be used by commercial companies.", ifGranted: [], ifWithheld: ["DUO:0000046"] },
];
const DEMO_RELEASE = release(DS(ESSENTIAL_HYPERTENSION), { IRB: true, PUB: true, NPU: true });

describe("matchConsentItems", () => {
  it("reads an item's DS as the release's diseases, and what a withheld item adds", () => {
    const items = matchConsentItems(ITEMS, DEMO_RELEASE, contextOf({ category: "DS", diseases: [ESSENTIAL_HYPERTENSION], flags: ["commercial"] }));
    expect(items.map((i) => [i.number, i.granted.verdict, i.withheld.verdict])).toEqual([
      [0, "met", "met"],
      [1, "met", "met"],
      [2, "met", "not-met"],
    ]);
    expect(items[0]?.granted.conditions[0]?.reason).toBe(
      "DS(MONDO:0001134 essential hypertension), the trial's condition — your purpose, essential hypertension (MONDO:0001134), is essential hypertension itself: met",
    );
    expect(items[1]?.granted.conditions.map((c) => c.code)).toEqual(["GRU"]);
    expect(items[1]?.withheld.conditions.map((c) => c.code)).toEqual(["DS"]);
    expect(items[2]?.granted.conditions).toEqual([]);
    expect(items[2]?.withheld.conditions[0]).toMatchObject({ code: "NCU", id: "DUO:0000046", verdict: "not-met" });
  });

  it("does not cover another disease with the trial's condition, nor name one on a release that is not DS", () => {
    const other = matchConsentItems(ITEMS, DEMO_RELEASE, contextOf({ category: "DS", diseases: [TYPE_2_DIABETES] }));
    // item 0 withheld names no term: it adds nothing, so nothing there can fail
    expect(other.map((i) => [i.granted.verdict, i.withheld.verdict])).toEqual([
      ["not-met", "met"],
      ["met", "not-met"],
      ["met", "met"],
    ]);
    const [item0] = matchConsentItems(ITEMS, release(GRU), contextOf({ category: "DS", diseases: [TYPE_2_DIABETES] }));
    expect(item0?.granted.conditions[0]).toMatchObject({ code: "DS", verdict: "committee", reason: containing("the release names no disease") });
  });

  it("takes a valued modifier's value from the release, sends one without a value to the committee, and checks both halves of NPUNCU", () => {
    const items: ConsentItem[] = [
      { number: 0, text: "Use for a limited time.", ifGranted: ["DUO:0000025"], ifWithheld: ["DUO:0000018"] },
      { number: 1, text: "Unknown term.", ifGranted: ["DUO:0009999"], ifWithheld: ["DUO:0000004"] },
    ];
    const ctx = contextOf({ category: "HMB" }, { institution: { name: "Acme Pharma", notForProfit: false }, requestedMonths: 24 });
    const [ts, unknown] = matchConsentItems(items, release(GRU, { TS: { months: 12 } }), ctx);
    expect(ts?.granted.conditions[0]).toMatchObject({ code: "TS", verdict: "not-met", reason: containing("at most 12 months") });
    expect(ts?.withheld.conditions[0]).toMatchObject({ code: "NPUNCU", id: "DUO:0000018", verdict: "not-met", reason: containing("Acme Pharma, is not one") });
    expect(unknown?.granted.conditions[0]).toMatchObject({ code: "DUO:0009999", verdict: "committee" });
    expect(unknown?.withheld.conditions[0]).toMatchObject({ code: "NRES", verdict: "met" });
    const [noValue] = matchConsentItems(items, release(GRU), ctx);
    expect(noValue?.granted.conditions[0]).toMatchObject({ code: "TS", verdict: "committee", reason: containing("without its value") });
  });
});

describe("maxGrantEnd", () => {
  it("is the decision plus the smallest time limit, in calendar months, and null without one", () => {
    const decided = new Date("2026-08-31T10:00:00Z");
    expect(maxGrantEnd([release(GRU), release(HMB)], decided)).toBeNull();
    expect(maxGrantEnd([release(GRU, { TS: { months: 12 } }), release(HMB, { TS: { months: 6 } }), release(GRU)], decided)).toEqual(new Date("2027-02-28T10:00:00Z"));
    expect(addMonths(new Date("2028-01-31T00:00:00Z"), 1)).toEqual(new Date("2028-02-29T00:00:00Z"));
    expect(addMonths(new Date("2026-12-15T00:00:00Z"), 13)).toEqual(new Date("2028-01-15T00:00:00Z"));
  });
});

describe("diseaseIdsOf", () => {
  it("collects the purpose's and every DS release's diseases once, sorted", () => {
    expect(diseaseIdsOf({ diseases: [MELANOMA, CUTANEOUS_MELANOMA] }, [release(DS(MELANOMA, CANCER)), release(GRU)])).toEqual([CANCER, CUTANEOUS_MELANOMA, MELANOMA]);
  });
});
