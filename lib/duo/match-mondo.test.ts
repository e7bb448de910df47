// Disease-hierarchy cases on the real Mondo release file (../shared/data/mondo, 22,382 terms, is-a
// only): the release parsed with lib/duo/obo.ts into an in-memory ancestors map, then DS matches
// on real ids. The file is test data kept beside the checkout; without it the test fails saying so.
import fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { DUO_RELEASE } from "@/lib/duo/conditions";
import { ancestorsFromParents } from "@/lib/duo/hierarchy";
import { type DiseaseContext, type Verdict, matchConditions } from "@/lib/duo/match";
import { readObo } from "@/lib/duo/obo";
import { PURPOSE_FLAG_NAMES, type ResearchPurpose } from "@/lib/duo/purpose";
import { sharedDataFile } from "@/scripts/test/shared-data";

// Ids and labels checked in mondo-2022-09-06-isa.obo (`grep -B1 '^name: melanoma$'`, …).
const MONDO = {
  cancer: "MONDO:0004992",
  melanoma: "MONDO:0005105",
  cutaneousMelanoma: "MONDO:0005012",
  uvealMelanoma: "MONDO:0006486",
  malignantBreastMelanoma: "MONDO:0002975",
  lungCancer: "MONDO:0008903",
  hypertensiveDisorder: "MONDO:0005044",
  essentialHypertension: "MONDO:0001134",
  diabetesMellitus: "MONDO:0005015",
  type2Diabetes: "MONDO:0005148",
  asthma: "MONDO:0004979",
  root: "MONDO:0000001",
};

let diseases: DiseaseContext;

beforeAll(async () => {
  const { header, terms } = await readObo(fs.createReadStream(sharedDataFile("mondo/mondo-2022-09-06-isa.obo")));
  expect(header.dataVersion).toBe("mondo/releases/2022-09-06");
  const all = [];
  for await (const t of terms) all.push(t);
  expect(all).toHaveLength(22_382);
  diseases = { ancestors: ancestorsFromParents(all), labels: new Map(all.map((t) => [t.id, t.label])) };
}, 60_000);

const purpose = (ids: string[]): ResearchPurpose => ({
  duoRelease: DUO_RELEASE,
  category: "DS",
  diseases: ids,
  flags: Object.fromEntries(PURPOSE_FLAG_NAMES.map((f) => [f, false])) as ResearchPurpose["flags"],
});

function ds(datasetDiseases: string[], purposeDiseases: string[]) {
  const match = matchConditions(
    { duoRelease: DUO_RELEASE, permission: { code: "DS", diseases: datasetDiseases }, modifiers: {} },
    {
      purpose: purpose(purposeDiseases),
      institution: { name: "University of Leiden", notForProfit: true },
      team: [],
      documents: { irb: false, collaborationLetter: false },
      requestedMonths: 12,
      diseases,
    },
  );
  const [condition] = match.conditions;
  return { verdict: match.verdict, reason: condition?.reason ?? "" };
}

describe("DS matching on the Mondo release 2022-09-06", () => {
  it.each<[string, string[], string[], Verdict]>([
    ["cutaneous melanoma is a kind of melanoma", [MONDO.melanoma], [MONDO.cutaneousMelanoma], "met"],
    ["cutaneous melanoma is a kind of cancer", [MONDO.cancer], [MONDO.cutaneousMelanoma], "met"],
    ["uveal and breast melanoma are kinds of melanoma", [MONDO.melanoma], [MONDO.uvealMelanoma, MONDO.malignantBreastMelanoma], "met"],
    ["lung cancer is a kind of cancer (DUO's README example)", [MONDO.cancer], [MONDO.lungCancer], "met"],
    ["cancer is not a kind of lung cancer (DUO's README: the walk goes up only)", [MONDO.lungCancer], [MONDO.cancer], "not-met"],
    ["melanoma is not a kind of cutaneous melanoma (query at the most specific level)", [MONDO.cutaneousMelanoma], [MONDO.melanoma], "not-met"],
    ["essential hypertension is a kind of hypertensive disorder", [MONDO.hypertensiveDisorder], [MONDO.essentialHypertension], "met"],
    ["type 2 diabetes is a kind of diabetes mellitus", [MONDO.diabetesMellitus], [MONDO.type2Diabetes], "met"],
    ["type 2 diabetes is not a kind of hypertensive disorder", [MONDO.hypertensiveDisorder], [MONDO.type2Diabetes], "not-met"],
    ["asthma is not a kind of cancer", [MONDO.cancer], [MONDO.asthma], "not-met"],
    ["every disease is a kind of the root", [MONDO.root], [MONDO.asthma, MONDO.cutaneousMelanoma], "met"],
    ["one unrelated disease of two is enough to fail", [MONDO.melanoma], [MONDO.cutaneousMelanoma, MONDO.asthma], "not-met"],
  ])("%s", (_, datasetDiseases, purposeDiseases, verdict) => {
    const { verdict: got, reason } = ds(datasetDiseases, purposeDiseases);
    expect(got, reason).toBe(verdict);
    for (const id of [...datasetDiseases, ...purposeDiseases]) expect(reason).toContain(`${id}`);
    expect(reason).toMatch(/^DS\(/);
  });

  it("explains with the release's labels", () => {
    expect(ds([MONDO.melanoma], [MONDO.cutaneousMelanoma]).reason).toBe(
      "DS(MONDO:0005105 melanoma) — your purpose, cutaneous melanoma (MONDO:0005012), is a kind of melanoma: met",
    );
    expect(ds([MONDO.cutaneousMelanoma], [MONDO.melanoma]).reason).toContain("melanoma (MONDO:0005105), is not a kind of cutaneous melanoma");
  });
});
