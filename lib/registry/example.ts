import type { TrialRecord } from "@/lib/registry/schema";

/**
 * A complete, valid registration record — a fictional but realistic hypertension trial by the
 * demo sponsor (lib/demo/service.ts) — for seeding, end-to-end tests and the form's documentation.
 * People, numbers and identifiers are invented: example.org addresses, a UK drama phone number
 * (Ofcom's 020 7946 0xxx range), and no real NCT or ISRCTN number.
 *
 * Frozen, so a test that needs a variant copies it (structuredClone) instead of changing it for
 * every other test in the run.
 */
export const exampleTrialRecord: TrialRecord = deepFreeze({
  secondaryIds: [{ id: "NCR-HTN-2026-01", issuer: "Northwind Clinical Research" }],
  fundingSources: ["Northwind Clinical Research", "National Institute for Health and Care Research"],
  primarySponsor: "Northwind Clinical Research",
  secondarySponsors: ["University of Eastmoor"],
  publicContact: {
    name: "Trial Office, TRIPLE-BP",
    email: "triple-bp@northwind.example.org",
    phone: "+44 20 7946 0321",
    affiliation: "Northwind Clinical Research, London",
  },
  scientificContact: {
    name: "Dr Amara Okafor",
    email: "a.okafor@eastmoor.example.org",
    affiliation: "Department of Cardiovascular Medicine, University of Eastmoor",
  },
  publicTitle: "A single low-dose three-drug pill compared with usual care for adults whose blood pressure is too high",
  scientificTitle:
    "TRIPLE-BP: a randomised, open-label, blinded-endpoint trial of a low-dose triple combination pill " +
    "(telmisartan 20 mg, amlodipine 2.5 mg, indapamide 1.25 mg) versus usual care in adults with uncontrolled hypertension",
  acronym: "TRIPLE-BP",
  countries: ["GB", "IE", "NL"],
  conditions: [{ name: "Essential hypertension", code: "I10" }],
  interventions: [
    {
      type: "drug",
      name: "Low-dose triple combination pill",
      description:
        "One tablet daily containing telmisartan 20 mg, amlodipine 2.5 mg and indapamide 1.25 mg, " +
        "doubled to two tablets at week 6 if seated clinic blood pressure is 140/90 mmHg or higher.",
    },
    {
      type: "other",
      name: "Usual care",
      description: "Antihypertensive treatment chosen and titrated by the participant's own physician following national guidelines.",
    },
  ],
  eligibility: {
    inclusion:
      "Age 18 years or older; seated clinic systolic blood pressure 140–179 mmHg, or 130–179 mmHg on treatment; " +
      "taking no more than one blood-pressure-lowering drug; able to give informed consent.",
    exclusion:
      "Known secondary hypertension; eGFR below 30 mL/min/1.73 m²; pregnancy or breastfeeding; " +
      "contraindication to any component of the study pill; heart failure with reduced ejection fraction.",
    minAge: { value: 18, unit: "years" },
    sex: "all",
  },
  studyType: {
    type: "interventional",
    allocation: "randomized",
    masking: "single",
    primaryPurpose: "treatment",
    phase: "phase-3",
  },
  dateOfFirstEnrollment: { date: "2026-09-01", type: "anticipated" },
  targetSampleSize: 700,
  recruitmentStatus: "pending",
  primaryOutcomes: [
    {
      id: "sbp-12w",
      measure: "Mean seated systolic blood pressure at 12 weeks",
      timeFrame: "12 weeks after randomisation",
      description: "Mean of the second and third of three automated office readings taken one minute apart.",
    },
  ],
  secondaryOutcomes: [
    {
      id: "control-12w",
      measure: "Proportion of participants with blood pressure below 140/90 mmHg",
      timeFrame: "12 weeks after randomisation",
    },
    {
      id: "sbp-24w",
      measure: "Mean seated systolic blood pressure at 24 weeks",
      timeFrame: "24 weeks after randomisation",
    },
    {
      id: "adverse-events",
      measure: "Adverse events leading to discontinuation of study treatment",
      timeFrame: "From randomisation to 24 weeks",
    },
    {
      id: "adherence",
      measure: "Adherence to blood-pressure-lowering treatment by pill count",
      timeFrame: "12 and 24 weeks after randomisation",
    },
  ],
  ethicsReview: {
    status: "approved",
    approvalDate: "2026-06-15",
    committee: "Eastmoor Research Ethics Committee",
  },
  completionDate: { date: "2028-03-31", type: "anticipated" },
  ipdSharingStatement: {
    plan: "yes",
    description:
      "De-identified participant data and the data dictionary will be shared through TrialLedger 12 months after " +
      "publication of the primary results, with researchers whose request for a stated purpose is approved by the data-access committee.",
  },
});

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}
