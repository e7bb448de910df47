import type { TrialRecord } from "@/lib/registry/schema";

/**
 * A registration as a FHIR R4 ResearchStudy (https://hl7.org/fhir/R4/researchstudy.html), so that
 * other registries and EHR systems can read it without knowing TrialLedger. Pure: the same record
 * gives the same resource. Only R4 core elements are used — no extensions — so any R4 parser
 * accepts it; what R4 has no element for (target sample size) is carried as display text.
 */

/** The system of registration numbers in `identifier`. */
export const REGISTRATION_NUMBER_SYSTEM = "urn:trialledger:registration-number";
const PHASE_SYSTEM = "http://terminology.hl7.org/CodeSystem/research-study-phase";
const PURPOSE_SYSTEM = "http://terminology.hl7.org/CodeSystem/research-study-prim-purp-type";
const COUNTRY_SYSTEM = "urn:iso:std:iso:3166";

/** Our phases → the research-study-phase code system (code and its display, which pages reuse). */
export const PHASE_CODES: Record<TrialRecord["studyType"]["phase"], { code: string; display: string }> = {
  "early-phase-1": { code: "early-phase-1", display: "Early Phase 1" },
  "phase-1": { code: "phase-1", display: "Phase 1" },
  "phase-1-2": { code: "phase-1-phase-2", display: "Phase 1/Phase 2" },
  "phase-2": { code: "phase-2", display: "Phase 2" },
  "phase-2-3": { code: "phase-2-phase-3", display: "Phase 2/Phase 3" },
  "phase-3": { code: "phase-3", display: "Phase 3" },
  "phase-4": { code: "phase-4", display: "Phase 4" },
  "not-applicable": { code: "n-a", display: "N/A" },
};

export type ResearchStudyStatus =
  | "active"
  | "administratively-completed"
  | "approved"
  | "closed-to-accrual"
  | "completed"
  | "in-review"
  | "temporarily-closed-to-accrual";

/**
 * WHO recruitment status → ResearchStudy.status (required in R4, with no "unknown" code):
 * - pending: approved when the ethics committee has approved it, otherwise in review;
 * - recruiting: active (open for accrual);
 * - suspended: temporarily closed to accrual;
 * - complete: WHO's "complete" means recruitment has ended, so closed to accrual — completed only
 *   once the sponsor gives an actual completion date;
 * - other: active, the least wrong of R4's codes for a study still registered as running.
 */
export function researchStudyStatus(record: Pick<TrialRecord, "recruitmentStatus" | "ethicsReview" | "completionDate">): ResearchStudyStatus {
  switch (record.recruitmentStatus) {
    case "pending":
      return record.ethicsReview.status === "approved" ? "approved" : "in-review";
    case "recruiting":
      return "active";
    case "suspended":
      return "temporarily-closed-to-accrual";
    case "complete":
      return record.completionDate?.type === "actual" ? "completed" : "closed-to-accrual";
    case "other":
      return "active";
  }
}

type CodeableConcept = { coding?: Array<{ system: string; code: string; display?: string }>; text?: string };

export type ResearchStudy = {
  resourceType: "ResearchStudy";
  id: string;
  identifier: Array<{ use?: "official" | "secondary"; system?: string; value: string; assigner?: { display: string } }>;
  title: string;
  status: ResearchStudyStatus;
  primaryPurposeType?: CodeableConcept;
  phase: CodeableConcept;
  condition: CodeableConcept[];
  focus?: CodeableConcept[];
  keyword?: CodeableConcept[];
  contact: Array<{ name: string; telecom: Array<{ system: "email" | "phone"; value: string }> }>;
  location: CodeableConcept[];
  description: string;
  enrollment: Array<{ display: string }>;
  period: { start: string; end?: string };
  sponsor: { display: string };
  arm: Array<{ name: string; type?: CodeableConcept; description: string }>;
};

// R4 primary purposes are ours, less "other", plus "device-feasibility".
const R4_PURPOSES = new Set(["treatment", "prevention", "diagnostic", "supportive-care", "screening", "health-services-research", "basic-science"]);

/** The current record of a trial as a FHIR R4 ResearchStudy resource. */
export function toResearchStudy(trial: { registrationNumber: string; record: TrialRecord }): ResearchStudy {
  const { record } = trial;
  const phase = PHASE_CODES[record.studyType.phase];
  const purpose = record.studyType.primaryPurpose;
  const contact = record.publicContact;
  return {
    resourceType: "ResearchStudy",
    // A FHIR id is [A-Za-z0-9-.]{1,64}: registration numbers ("TLR-2026-00001") already are one.
    id: trial.registrationNumber,
    identifier: [
      { use: "official", system: REGISTRATION_NUMBER_SYSTEM, value: trial.registrationNumber },
      ...record.secondaryIds.map((s) => ({ use: "secondary" as const, value: s.id, assigner: { display: s.issuer } })),
    ],
    title: record.scientificTitle,
    status: researchStudyStatus(record),
    ...(purpose && R4_PURPOSES.has(purpose) ? { primaryPurposeType: { coding: [{ system: PURPOSE_SYSTEM, code: purpose }] } } : {}),
    phase: { coding: [{ system: PHASE_SYSTEM, code: phase.code, display: phase.display }], text: phase.display },
    // Condition codes may be ICD-10, ICD-11 or SNOMED CT and the record does not say which, so
    // they are given as text beside the name rather than as a coding with a guessed system.
    condition: record.conditions.map((c) => ({ text: c.code ? `${c.name} (${c.code})` : c.name })),
    ...(record.interventions.length ? { focus: record.interventions.map((i) => ({ text: i.name })) } : {}),
    ...(record.acronym ? { keyword: [{ text: record.acronym }] } : {}),
    contact: [
      {
        name: contact.name,
        telecom: [{ system: "email", value: contact.email }, ...(contact.phone ? [{ system: "phone" as const, value: contact.phone }] : [])],
      },
    ],
    location: record.countries.map((code) => ({ coding: [{ system: COUNTRY_SYSTEM, code }] })),
    description: record.publicTitle,
    enrollment: [{ display: `Target sample size: ${record.targetSampleSize} participants` }],
    period: {
      start: record.dateOfFirstEnrollment.date,
      ...(record.completionDate ? { end: record.completionDate.date } : {}),
    },
    sponsor: { display: record.primarySponsor },
    arm: record.interventions.map((i) => ({ name: i.name, type: { text: i.type }, description: i.description })),
  };
}
