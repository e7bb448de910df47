import { describe, expect, it } from "vitest";
import { exampleTrialRecord } from "@/lib/registry/example";
import { PHASE_CODES, REGISTRATION_NUMBER_SYSTEM, fhirString, researchStudyStatus, toResearchStudy } from "@/lib/registry/fhir";
import { expectValidR4, r4, r4Problems } from "@/scripts/test/fhir-r4";
import { DATE_TYPES, INTERVENTION_TYPES, PHASES, PRIMARY_PURPOSES, RECRUITMENT_STATUSES, type TrialRecord } from "@/lib/registry/schema";

const trial = { registrationNumber: "TLR-2026-00001", record: exampleTrialRecord };

describe("toResearchStudy", () => {
  it("maps the example record to an R4 ResearchStudy", () => {
    const study = toResearchStudy(trial);
    expect(study).toMatchObject({
      resourceType: "ResearchStudy",
      id: "TLR-2026-00001",
      title: exampleTrialRecord.scientificTitle,
      description: exampleTrialRecord.publicTitle,
      // pending, with an approved ethics review
      status: "approved",
      primaryPurposeType: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/research-study-prim-purp-type", code: "treatment" }] },
      phase: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/research-study-phase", code: "phase-3", display: "Phase 3" }] },
      condition: [{ text: "Essential hypertension (I10)" }],
      sponsor: { display: "Northwind Clinical Research" },
      period: { start: "2026-09-01", end: "2028-03-31" },
      enrollment: [{ display: "Target sample size: 700 participants" }],
      keyword: [{ text: "TRIPLE-BP" }],
    });
    expect(study.identifier).toEqual([
      { use: "official", system: REGISTRATION_NUMBER_SYSTEM, value: "TLR-2026-00001" },
      { use: "secondary", value: "NCR-HTN-2026-01", assigner: { display: "Northwind Clinical Research" } },
    ]);
    expect(study.location).toEqual(["GB", "IE", "NL"].map((code) => ({ coding: [{ system: "urn:iso:std:iso:3166", code }] })));
    expect(study.arm?.map((a) => a.name)).toEqual(["Low-dose triple combination pill", "Usual care"]);
    expect(study.contact?.[0]?.telecom).toEqual([
      { system: "email", value: "triple-bp@northwind.example.org" },
      { system: "phone", value: "+44 20 7946 0321" },
    ]);
    // Plain JSON: survives serialisation unchanged (no undefined members, dates as strings).
    expect(JSON.parse(JSON.stringify(study))).toEqual(study);
  });

  it("uses the research-study-phase codes for every phase", () => {
    expect(PHASES.map((p) => PHASE_CODES[p].code)).toEqual([
      "early-phase-1",
      "phase-1",
      "phase-1-phase-2",
      "phase-2",
      "phase-2-phase-3",
      "phase-3",
      "phase-4",
      "n-a",
    ]);
  });

  it("maps recruitment status to ResearchStudy.status", () => {
    const base: TrialRecord = structuredClone(exampleTrialRecord);
    const status = (patch: Partial<TrialRecord>) => researchStudyStatus({ ...base, ...patch });
    expect(status({ recruitmentStatus: "pending" })).toBe("approved");
    expect(status({ recruitmentStatus: "pending", ethicsReview: { status: "pending" } })).toBe("in-review");
    expect(status({ recruitmentStatus: "recruiting" })).toBe("active");
    expect(status({ recruitmentStatus: "suspended" })).toBe("temporarily-closed-to-accrual");
    expect(status({ recruitmentStatus: "complete" })).toBe("closed-to-accrual");
    expect(status({ recruitmentStatus: "complete", completionDate: { date: "2028-03-31", type: "actual" } })).toBe("completed");
    expect(status({ recruitmentStatus: "other" })).toBe("active");
  });

  it("leaves out what the record does not have", () => {
    const record: TrialRecord = { ...structuredClone(exampleTrialRecord), acronym: undefined, completionDate: undefined };
    record.studyType.primaryPurpose = "other";
    const study = toResearchStudy({ registrationNumber: "TLR-2026-00002", record });
    expect(study.keyword).toBeUndefined();
    expect(study.primaryPurposeType).toBeUndefined();
    expect(study.period).toEqual({ start: "2026-09-01" });
  });
});

/** Text that FHIR's string pattern refuses somewhere inside, around an ordinary word. */
const HOSTILE = [
  "Title\fwith a form feed",
  "vertical\u000btab",
  "no\u00a0break space",
  "line\u2028separator and paragraph\u2029separator",
  "byte order mark\ufeff inside",
  "a NUL\u0000 and a bell\u0007 and DEL\u007f",
  "a lone high \ud800 and lone low \udc00 surrogate",
  "  \t padded \r\n ",
] as const;
/** Text that cleans to nothing: the element must be left out, not emitted empty. */
const EMPTY_AFTER_CLEANING = ["\f", "\u00a0\u2028", "\u0000\u0001", "\ud800", " \t\r\n "] as const;

/** Keys whose values are codes or dates in the record, not free text. */
const CODED = new Set(["type", "status", "phase", "plan", "unit", "sex", "allocation", "masking", "primaryPurpose", "recruitmentStatus", "date", "approvalDate"]);

/** The record with every free-text string (at any depth) replaced by `text`. */
function withText(record: TrialRecord, text: string): TrialRecord {
  const walk = (value: unknown, key: string): unknown => {
    if (typeof value === "string") return CODED.has(key) || key === "countries" ? value : text;
    if (Array.isArray(value)) return value.map((item) => walk(item, key));
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    return value;
  };
  return walk(structuredClone(record), "") as TrialRecord;
}

const observational = (): TrialRecord => ({
  ...structuredClone(exampleTrialRecord),
  interventions: [],
  studyType: { type: "observational", phase: "not-applicable" },
});

/**
 * Records covering every value of every coded field the export reads and every optional field
 * present and absent: together, the shapes of resource the registry can produce.
 */
function everyShape(): Array<[string, TrialRecord]> {
  const base = (): TrialRecord => structuredClone(exampleTrialRecord);
  const shapes: Array<[string, TrialRecord]> = [["example", base()], ["observational", observational()]];
  for (const phase of PHASES) shapes.push([`phase ${phase}`, { ...base(), studyType: { ...base().studyType, phase } }]);
  for (const primaryPurpose of [...PRIMARY_PURPOSES, undefined]) {
    shapes.push([`purpose ${String(primaryPurpose)}`, { ...base(), studyType: { ...base().studyType, primaryPurpose } }]);
  }
  for (const recruitmentStatus of RECRUITMENT_STATUSES) {
    for (const type of DATE_TYPES) {
      shapes.push([`${recruitmentStatus}, completion ${type}`, { ...base(), recruitmentStatus, completionDate: { date: "2028-03-31", type } }]);
    }
  }
  for (const type of INTERVENTION_TYPES) {
    shapes.push([`intervention ${type}`, { ...base(), interventions: [{ type, name: "Arm", description: "What the arm gets." }] }]);
  }
  const bare = base();
  Object.assign(bare, { acronym: undefined, completionDate: undefined, secondaryIds: [] });
  bare.publicContact = { ...bare.publicContact, phone: undefined };
  bare.conditions = [{ name: "Hypertension" }];
  shapes.push(["no optional fields", bare]);
  return shapes;
}

describe("every export validates against the official FHIR R4 JSON schema", () => {
  it("the check refuses what R4 refuses (so a pass means something)", () => {
    const minimal = { resourceType: "ResearchStudy", id: "x", status: "active" };
    expect(r4Problems(minimal)).toEqual([]);
    expect(r4.validate({ ...minimal, description: "a\fb" }, true)).not.toEqual([]);
    expect(r4.validate({ ...minimal, title: "" }, true)).not.toEqual([]);
    expect(r4.validate({ ...minimal, status: "unknown" }, true)).not.toEqual([]);
    expect(r4Problems({ ...minimal, arm: [] })).toEqual(["$.arm is an empty array"]);
    expect(r4Problems({ ...minimal, sponsor: {} })).toEqual(["$.sponsor is an empty object"]);
  });

  it.each(everyShape())("%s", (label, record) => {
    expectValidR4(toResearchStudy({ registrationNumber: "TLR-2026-00001", record }), label);
  });

  it("leaves out the arms of an observational study instead of an empty array", () => {
    const study = toResearchStudy({ registrationNumber: "TLR-2026-00003", record: observational() });
    expect(study).not.toHaveProperty("arm");
    expect(study).not.toHaveProperty("focus");
  });

  it.each(HOSTILE)("cleans text FHIR forbids in every field: %j", (text) => {
    for (const record of [withText(exampleTrialRecord, text), withText(observational(), text)]) {
      const study = toResearchStudy({ registrationNumber: "TLR-2026-00004", record });
      expectValidR4(study, JSON.stringify(text));
      expect(study.title).toBe(fhirString(text));
      expect(study.title).toMatch(/^\S(.*\S)?$/s);
    }
  });

  it.each(EMPTY_AFTER_CLEANING)("omits an element whose text cleans to nothing: %j", (text) => {
    const study = toResearchStudy({ registrationNumber: "TLR-2026-00005", record: withText(exampleTrialRecord, text) });
    expectValidR4(study, JSON.stringify(text));
    expect(study.title).toBeUndefined();
    expect(study.description).toBeUndefined();
    expect(study.arm).toBeUndefined();
    expect(study.identifier).toEqual([{ use: "official", system: REGISTRATION_NUMBER_SYSTEM, value: "TLR-2026-00005" }]);
  });

  it("keeps ordinary text as it is", () => {
    expect(fhirString("Blood pressure – “triple” pill, 2.5 mg\n\tdaily 😀")).toBe("Blood pressure – “triple” pill, 2.5 mg\n\tdaily 😀");
    expect(fhirString("a\fb")).toBe("a b");
    expect(fhirString("a\u0000b")).toBe("ab");
    expect(fhirString(undefined)).toBeUndefined();
  });
});
