// The disease context the matcher needs, loaded from the built-in Mondo subset (seeded as at boot):
// each id's own ancestors, not the union, and no entry for an id the ontology does not know.
import { beforeAll, describe, expect, it } from "vitest";
import { DUO_RELEASE, type DataUseConditions } from "@/lib/duo/conditions";
import { ancestorsById } from "@/lib/duo/data";
import { loadDiseaseContext } from "@/lib/duo/disease-context";
import { diseaseIdsOf, matchConditions } from "@/lib/duo/match";
import { seedOntologyIfEmpty } from "@/lib/duo/mutations";
import { PURPOSE_FLAG_NAMES, type ResearchPurpose } from "@/lib/duo/purpose";

const CUTANEOUS_MELANOMA = "MONDO:0005012";
const MELANOMA = "MONDO:0005105";
const ESSENTIAL_HYPERTENSION = "MONDO:0001134";
const HYPERTENSIVE_DISORDER = "MONDO:0005044";
const UNKNOWN = "MONDO:9999999";

beforeAll(async () => {
  await seedOntologyIfEmpty();
});

describe("ancestorsById", () => {
  it("gives each known id its own ancestors-or-self, and leaves an unknown id out", async () => {
    const up = await ancestorsById([CUTANEOUS_MELANOMA, ESSENTIAL_HYPERTENSION, UNKNOWN, CUTANEOUS_MELANOMA]);
    expect([...up.keys()].sort()).toEqual([ESSENTIAL_HYPERTENSION, CUTANEOUS_MELANOMA]);
    expect(up.get(ESSENTIAL_HYPERTENSION)).toEqual(["MONDO:0000001", "MONDO:0000473", "MONDO:0001134", "MONDO:0004995", "MONDO:0005044", "MONDO:0005385"]);
    const melanoma = up.get(CUTANEOUS_MELANOMA) ?? [];
    expect(melanoma).toEqual(expect.arrayContaining([CUTANEOUS_MELANOMA, MELANOMA, "MONDO:0004992", "MONDO:0000001"]));
    // per id, not the union: hypertension's ancestors are not melanoma's
    expect(melanoma).not.toContain(HYPERTENSIVE_DISORDER);
    expect(await ancestorsById([])).toEqual(new Map());
  });
});

describe("loadDiseaseContext", () => {
  it("loads what a DS match needs in one call, and the match explains with the loaded labels", async () => {
    const purpose: ResearchPurpose = {
      duoRelease: DUO_RELEASE,
      category: "DS",
      diseases: [CUTANEOUS_MELANOMA],
      flags: Object.fromEntries(PURPOSE_FLAG_NAMES.map((f) => [f, false])) as ResearchPurpose["flags"],
    };
    const conditions: DataUseConditions = { duoRelease: DUO_RELEASE, permission: { code: "DS", diseases: [MELANOMA] }, modifiers: {} };
    const diseases = await loadDiseaseContext(diseaseIdsOf(purpose, [conditions]));
    expect(diseases.labels).toEqual(new Map([[CUTANEOUS_MELANOMA, "cutaneous melanoma"], [MELANOMA, "melanoma"]]));
    expect(diseases.ancestors.get(CUTANEOUS_MELANOMA)).toContain(MELANOMA);
    const match = matchConditions(conditions, {
      purpose,
      institution: { name: "University of Leiden", notForProfit: true },
      team: [],
      documents: { irb: false, collaborationLetter: false },
      requestedMonths: 12,
      diseases,
    });
    expect(match.verdict).toBe("met");
    expect(match.conditions[0]?.reason).toBe("DS(MONDO:0005105 melanoma) — your purpose, cutaneous melanoma (MONDO:0005012), is a kind of melanoma: met");
  });
});
