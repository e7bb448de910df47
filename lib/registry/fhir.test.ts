import { describe, expect, it } from "vitest";
import { exampleTrialRecord } from "@/lib/registry/example";
import { PHASE_CODES, REGISTRATION_NUMBER_SYSTEM, researchStudyStatus, toResearchStudy } from "@/lib/registry/fhir";
import { PHASES, type TrialRecord } from "@/lib/registry/schema";

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
    expect(study.arm.map((a) => a.name)).toEqual(["Low-dose triple combination pill", "Usual care"]);
    expect(study.contact[0]?.telecom).toEqual([
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
