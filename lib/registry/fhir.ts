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

/**
 * R4 elements are all optional here except `resourceType`, `id` and `status`: an element whose
 * text cleans to nothing is left out (FHIR forbids empty strings, empty objects and empty arrays),
 * and `arm` is absent for a study without interventions.
 */
export type ResearchStudy = {
  resourceType: "ResearchStudy";
  id: string;
  identifier?: Array<{ use?: "official" | "secondary"; system?: string; value?: string; assigner?: { display?: string } }>;
  title?: string;
  status: ResearchStudyStatus;
  primaryPurposeType?: CodeableConcept;
  phase?: CodeableConcept;
  condition?: CodeableConcept[];
  focus?: CodeableConcept[];
  keyword?: CodeableConcept[];
  contact?: Array<{ name?: string; telecom?: Array<{ system: "email" | "phone"; value?: string }> }>;
  location?: CodeableConcept[];
  description?: string;
  enrollment?: Array<{ display?: string }>;
  period?: { start?: string; end?: string };
  sponsor?: { display?: string };
  arm?: Array<{ name: string; type?: CodeableConcept; description?: string }>;
};

/**
 * Text as an R4 `string` may hold it. The R4 JSON schema's pattern for string and markdown is
 * `^[ \r\n\t\S]+$`: besides space, CR, LF and tab no whitespace at all (a form feed, a vertical
 * tab, U+00A0, U+2028 each fail the whole resource), and never empty. The R4 datatypes page also
 * rules out the C0 controls other than tab, CR and LF. So: other whitespace becomes a space, the
 * other controls (also DEL and C1) and unpaired surrogates are dropped, the ends are trimmed (R4:
 * leading and trailing whitespace SHOULD be removed); undefined when nothing is left, so the
 * element is omitted.
 */
export function fhirString(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const cleaned = value
    // Unpaired UTF-16 surrogates cannot be encoded in UTF-8 JSON; toWellFormed would make them U+FFFD.
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "")
    .replace(/[^\S \r\n\t]/g, " ")
    // What is left of the controls (C0 but tab, CR and LF; DEL; C1) carries no text.
    .replace(/(?![\t\n\r])\p{Cc}/gu, "")
    .trim();
  return cleaned === "" ? undefined : cleaned;
}

/**
 * Removes what R4 does not allow to be present but empty: undefined members, empty objects and
 * empty arrays, at any depth (FHIR JSON: "arrays are never empty", and rule ele-1: every element
 * has a value or children). The same value, minus those.
 */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(compact).filter((item) => item !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).flatMap(([key, member]) => {
      const kept = compact(member);
      return kept === undefined ? [] : [[key, kept] as const];
    });
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }
  return value;
}

// R4 primary purposes are ours, less "other", plus "device-feasibility".
const R4_PURPOSES = new Set(["treatment", "prevention", "diagnostic", "supportive-care", "screening", "health-services-research", "basic-science"]);

/**
 * The current record of a trial as a FHIR R4 ResearchStudy resource. Every text goes through
 * fhirString and the whole resource through compact, so whatever the record holds (also records
 * stored before the input checks were tightened) the export validates against the R4 JSON schema.
 */
export function toResearchStudy(trial: { registrationNumber: string; record: TrialRecord }): ResearchStudy {
  const { record } = trial;
  const text = fhirString;
  const phase = PHASE_CODES[record.studyType.phase];
  const purpose = record.studyType.primaryPurpose;
  const contact = record.publicContact;
  const study: ResearchStudy = {
    resourceType: "ResearchStudy",
    // A FHIR id is [A-Za-z0-9-.]{1,64}: registration numbers ("TLR-2026-00001") already are one.
    id: trial.registrationNumber,
    identifier: [
      { use: "official", system: REGISTRATION_NUMBER_SYSTEM, value: trial.registrationNumber },
      // An identifier whose value cleans to nothing identifies nothing: left out with its issuer.
      ...record.secondaryIds.flatMap((s) => {
        const value = text(s.id);
        return value ? [{ use: "secondary" as const, value, assigner: { display: text(s.issuer) } }] : [];
      }),
    ],
    title: text(record.scientificTitle),
    status: researchStudyStatus(record),
    ...(purpose && R4_PURPOSES.has(purpose) ? { primaryPurposeType: { coding: [{ system: PURPOSE_SYSTEM, code: purpose }] } } : {}),
    phase: { coding: [{ system: PHASE_SYSTEM, code: phase.code, display: phase.display }], text: phase.display },
    // Condition codes may be ICD-10, ICD-11 or SNOMED CT and the record does not say which, so
    // they are given as text beside the name rather than as a coding with a guessed system.
    condition: record.conditions.map((c) => {
      const name = text(c.name);
      const code = text(c.code);
      return { text: name && code ? `${name} (${code})` : (name ?? code) };
    }),
    focus: record.interventions.map((i) => ({ text: text(i.name) })),
    keyword: [{ text: text(record.acronym) }],
    contact: [
      {
        name: text(contact.name),
        telecom: [
          { system: "email", value: text(contact.email) },
          { system: "phone", value: text(contact.phone) },
        ],
      },
    ],
    location: record.countries.map((code) => ({ coding: [{ system: COUNTRY_SYSTEM, code }] })),
    description: text(record.publicTitle),
    enrollment: [{ display: `Target sample size: ${record.targetSampleSize} participants` }],
    period: { start: record.dateOfFirstEnrollment.date, end: record.completionDate?.date },
    sponsor: { display: text(record.primarySponsor) },
    // An observational study has no interventions and so no arms: R4 forbids "arm": [], so the
    // element is left out. An arm's name is required (1..1): one that cleans to nothing is dropped.
    arm: record.interventions.flatMap((i) => {
      const name = text(i.name);
      return name ? [{ name, type: { text: i.type }, description: text(i.description) }] : [];
    }),
  };
  // A telecom without a value, a concept without text: compact removes them with their holders.
  return compact(withoutValuelessTelecom(study)) as ResearchStudy;
}

/** `{ system: "phone" }` alone would say there is a phone number and give none (R4 cpt-2). */
function withoutValuelessTelecom(study: ResearchStudy): ResearchStudy {
  return {
    ...study,
    contact: study.contact?.map((c) => ({ ...c, telecom: c.telecom?.filter((t) => t.value !== undefined) })),
  };
}
