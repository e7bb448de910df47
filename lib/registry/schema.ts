import { z } from "zod";
import { type TextKind, plainText } from "@/lib/schema/text";

/**
 * The registration record: the WHO Trial Registration Data Set, version 1.3.1 (24 items), as
 * TrialLedger stores it. The item number of each field is given beside it, so a reader can hold
 * this file against the WHO list. Two items are not input:
 *
 *   1. primaryRegistry — always PRIMARY_REGISTRY; with the registration number (formatted by
 *      `formatRegistrationNumber`) it is the trial's primary identifier.
 *   2. dateOfRegistration — the date the portal accepted the first version, set by the portal.
 *
 * A sponsor cannot choose either, so neither is in `trialRecordInput`: the code that saves a
 * registration supplies them.
 *
 * Every bound below carries its reason, and every object is strict (see `fields`).
 */

/** WHO item 1: the registry that holds the record. */
export const PRIMARY_REGISTRY = "TrialLedger";

export const INTERVENTION_TYPES = [
  "drug",
  "device",
  "biological",
  "procedure",
  "behavioral",
  "dietary-supplement",
  "radiation",
  "genetic",
  "diagnostic-test",
  "other",
] as const;
export const AGE_UNITS = ["years", "months", "weeks", "days"] as const;
export const SEXES = ["all", "female", "male"] as const;
export const STUDY_TYPES = ["interventional", "observational"] as const;
export const ALLOCATIONS = ["randomized", "non-randomized", "not-applicable"] as const;
export const MASKINGS = ["none", "single", "double", "triple", "quadruple"] as const;
export const PRIMARY_PURPOSES = [
  "treatment",
  "prevention",
  "diagnostic",
  "supportive-care",
  "screening",
  "health-services-research",
  "basic-science",
  "other",
] as const;
export const PHASES = [
  "early-phase-1",
  "phase-1",
  "phase-1-2",
  "phase-2",
  "phase-2-3",
  "phase-3",
  "phase-4",
  "not-applicable",
] as const;
export const DATE_TYPES = ["anticipated", "actual"] as const;
export const RECRUITMENT_STATUSES = ["pending", "recruiting", "suspended", "complete", "other"] as const;
export const ETHICS_STATUSES = ["approved", "not-approved", "pending", "not-required"] as const;
export const IPD_PLANS = ["yes", "no", "undecided"] as const;

/**
 * An outcome's id: a short slug the sponsor keeps across versions, so that an amendment that
 * rewords an outcome can be told from one that replaces it (diff.ts matches outcomes by id).
 */
export const OUTCOME_ID_PATTERN = /^[a-z0-9-]{1,40}$/;

function atMost(max: number): string {
  return `Use at most ${max.toLocaleString("en-US")} characters.`;
}

/**
 * Messages for a strict object: an unknown field is named (a misspelt "acronymn" is refused rather
 * than silently dropped from a record whose digest is anchored); anything else is `missing`.
 */
function fields(missing: string): { error: z.core.$ZodErrorMap } {
  return {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `Unknown field ${issue.keys.map((key) => `“${key}”`).join(", ")}: the registration record has no such field.`
        : missing,
  };
}

function strict<Shape extends z.core.$ZodLooseShape>(missing: string, shape: Shape) {
  return z.strictObject(shape, fields(missing));
}

/**
 * Required free text, trimmed, so that "  " is as empty as "". One line unless `kind` says
 * otherwise; control characters and unpaired surrogates are refused (lib/schema/text.ts).
 */
function text(missing: string, max: number, kind: TextKind = "single-line") {
  return plainText(z.string({ error: missing }).trim(), kind).min(1, missing).max(max, atMost(max));
}

/**
 * Optional free text. A form sends "" for a field left blank; it becomes `undefined`, which the
 * canonical form leaves out, so a blank field and an absent one give the same record digest.
 */
function optionalText(max: number, kind: TextKind = "single-line") {
  return plainText(z.string({ error: "Enter text or leave this empty." }).trim(), kind)
    .max(max, atMost(max))
    .transform((value) => (value === "" ? undefined : value))
    .optional();
}

/**
 * A calendar date, YYYY-MM-DD (zod checks month lengths and leap years). Years 1900–2199: no
 * registrable trial predates 1900, and the range catches a two-digit year typed as "0026".
 */
const isoDate = z.iso
  .date({ error: "Enter a date as YYYY-MM-DD, like 2026-03-01.", abort: true })
  .refine((date) => date >= "1900-01-01" && date < "2200-01-01", "Enter a year between 1900 and 2199.");

const datedEvent = strict("Enter the date and whether it is anticipated or actual.", {
  date: isoDate,
  type: z.enum(DATE_TYPES, { error: "Say whether the date is anticipated or actual." }),
});

const contactEmail = z
  .string({ error: "Enter an email address." })
  .trim()
  .toLowerCase()
  // 254: the longest address SMTP can carry (RFC 5321), as in lib/auth/schema.ts.
  .max(254, "That email address is too long.")
  .pipe(z.email({ error: "Enter a valid email address, like name@example.org." }));

const phone = z
  .string({ error: "Enter a phone number or leave this empty." })
  .trim()
  // 40: an international number with spaces and brackets; E.164 numbers have at most 15 digits.
  .max(40, atMost(40))
  .refine(
    (value) => value === "" || (/^\+?[0-9 ().-]+$/.test(value) && /^(?:\D*\d){6,15}\D*$/.test(value)),
    "Enter a phone number of 6 to 15 digits, with an optional leading + and spaces, dashes or brackets.",
  )
  .transform((value) => (value === "" ? undefined : value))
  .optional();

function contact(who: string) {
  return strict(`Enter the ${who}.`, {
    // 120: as for account names (lib/auth/schema.ts).
    name: text(`Enter the ${who}'s name.`, 120),
    email: contactEmail,
    phone,
    // 200: a department, institution and city fit in well under 200 characters.
    affiliation: text(`Enter the ${who}'s affiliation.`, 200),
  });
}

// 200: an organisation's full name with its department; anything longer is a pasted paragraph.
const organisation = (missing: string) => text(missing, 200);

const age = strict("Enter the age and its unit.", {
  value: z
    .number({ error: "Enter an age as a number." })
    .int("Enter a whole number.")
    .nonnegative("An age cannot be negative."),
  unit: z.enum(AGE_UNITS, { error: "Choose years, months, weeks or days." }),
});
export type Age = z.infer<typeof age>;

const DAYS_PER_UNIT: Record<Age["unit"], number> = { years: 365.25, months: 365.25 / 12, weeks: 7, days: 1 };
/** An age limit as a number of days, to compare limits given in different units. */
export function ageInDays(limit: Age): number {
  return limit.value * DAYS_PER_UNIT[limit.unit];
}
// 150 years: above the oldest recorded human age (122), so any larger limit is a typing error.
const MAX_AGE_DAYS = 150 * DAYS_PER_UNIT.years;

export const outcomeInput = strict("Describe the outcome.", {
  id: z
    .string({ error: "Give the outcome a short id, like bp-12w." })
    .regex(OUTCOME_ID_PATTERN, "Use 1 to 40 lower-case letters, digits and hyphens, like bp-12w."),
  // 255: ClinicalTrials.gov's limit for an outcome measure's title, so records can be mirrored there.
  measure: text("Say what is measured.", 255),
  // 255: ClinicalTrials.gov's limit for an outcome's time frame.
  timeFrame: text("Say when it is measured, like “12 weeks after randomisation”.", 255),
  // 999: ClinicalTrials.gov's limit for an outcome's description.
  description: optionalText(999, "multi-line"),
});
export type Outcome = z.infer<typeof outcomeInput>;

export const trialRecordInput = z
  .strictObject(
    {
      // 3. Secondary identifying numbers. 20: a trial rarely holds more than five (NCT, EU CT,
      // ISRCTN, sponsor protocol number, grant number); 20 leaves room for multinational trials.
      secondaryIds: z
        .array(
          strict("Enter the identifier and who issued it.", {
            // 100: the longest common formats (EU CT "2022-500123-45-00", NCT) are under 20 characters;
            // sponsor protocol numbers are free text.
            id: text("Enter the identifier.", 100),
            issuer: organisation("Enter who issued the identifier, like “ClinicalTrials.gov”."),
          }),
          { error: "List the trial's other identifiers." },
        )
        .max(20, "List at most 20 other identifiers."),
      // 4. Source(s) of monetary or material support. At least one: WHO requires the funder named.
      // 20: consortia trials list a dozen funders at most.
      fundingSources: z
        .array(organisation("Enter the funder's name."), { error: "List the trial's funders." })
        .min(1, "Add at least one source of funding.")
        .max(20, "List at most 20 sources of funding."),
      // 5. Primary sponsor.
      primarySponsor: organisation("Enter the primary sponsor."),
      // 6. Secondary sponsors. 20: as for funders.
      secondarySponsors: z
        .array(organisation("Enter the secondary sponsor's name."), { error: "List the secondary sponsors." })
        .max(20, "List at most 20 secondary sponsors."),
      // 7. Contact for public queries.
      publicContact: contact("public contact"),
      // 8. Contact for scientific queries.
      scientificContact: contact("scientific contact"),
      // 9. Public title. 300: ClinicalTrials.gov's limit for the brief title.
      publicTitle: text("Enter a title for the public.", 300),
      // 10. Scientific title, 600: ClinicalTrials.gov's limit for the official title.
      scientificTitle: text("Enter the scientific title.", 600),
      // 10. …and the acronym, which WHO asks to be included with it. 30: ClinicalTrials.gov allows
      // 14; a few long-running trials use longer acronyms.
      acronym: optionalText(30),
      // 11. Countries of recruitment, as ISO 3166-1 alpha-2 codes. Only the format is checked: the
      // list changes (ISO adds and retires codes) and a stale list would refuse a real country.
      // 200: there are 249 codes, and no trial recruits in 200 countries; a longer list is pasted.
      countries: z
        .array(
          z.string({ error: "Enter a country code." }).regex(/^[A-Z]{2}$/, "Use the two-letter ISO country code in capitals, like GB or US."),
          { error: "List the countries of recruitment." },
        )
        .min(1, "Add at least one country of recruitment.")
        .max(200, "List at most 200 countries."),
      // 12. Health condition(s) or problem(s) studied. 50: a multi-morbidity trial lists a handful.
      conditions: z
        .array(
          strict("Enter the condition.", {
            name: text("Enter the condition.", 200),
            // 20: ICD-10/11 codes are under 10 characters, SNOMED CT ids at most 18 digits.
            code: optionalText(20),
          }),
          { error: "List the conditions studied." },
        )
        .min(1, "Add at least one condition.")
        .max(50, "List at most 50 conditions."),
      // 13. Intervention(s), one per arm. 50: factorial and platform trials have tens of arms.
      interventions: z
        .array(
          strict("Enter the intervention.", {
            type: z.enum(INTERVENTION_TYPES, { error: "Choose the type of intervention." }),
            // 200: a drug's generic name with dose and route.
            name: text("Enter the intervention's name.", 200),
            // 1,000: ClinicalTrials.gov's limit for an intervention's description.
            description: text("Describe the intervention: dose, duration, mode of administration.", 1000, "multi-line"),
          }),
          { error: "List the interventions." },
        )
        .max(50, "List at most 50 interventions."),
      // 14. Key inclusion and exclusion criteria. 20,000 each: a protocol's full criteria section
      // runs to a few thousand characters; anything longer belongs in the attached protocol.
      eligibility: strict("Enter the eligibility criteria.", {
        inclusion: text("Enter the inclusion criteria.", 20_000, "multi-line"),
        exclusion: text("Enter the exclusion criteria, or “None”.", 20_000, "multi-line"),
        minAge: age.optional(),
        maxAge: age.optional(),
        sex: z.enum(SEXES, { error: "Choose which sexes can take part." }),
      }),
      // 15. Study type.
      studyType: strict("Enter the study type.", {
        type: z.enum(STUDY_TYPES, { error: "Choose interventional or observational." }),
        allocation: z.enum(ALLOCATIONS, { error: "Choose how participants are allocated." }).optional(),
        masking: z.enum(MASKINGS, { error: "Choose who is masked." }).optional(),
        primaryPurpose: z.enum(PRIMARY_PURPOSES, { error: "Choose the primary purpose." }).optional(),
        phase: z.enum(PHASES, { error: "Choose the phase, or “Not applicable”." }),
      }),
      // 16. Date of first enrolment, anticipated or actual.
      dateOfFirstEnrollment: datedEvent,
      // 17. Target sample size. 10,000,000: the largest pragmatic and vaccine trials enrol a few
      // million; a larger number is a typing error.
      targetSampleSize: z
        .number({ error: "Enter the number of participants." })
        .int("Enter a whole number of participants.")
        .min(1, "Enter at least 1 participant.")
        .max(10_000_000, "Enter at most 10,000,000 participants."),
      // 18. Recruitment status.
      recruitmentStatus: z.enum(RECRUITMENT_STATUSES, { error: "Choose the recruitment status." }),
      // 19. Primary outcome(s). 20: trials should have one; 20 allows co-primary sets per region.
      primaryOutcomes: z
        .array(outcomeInput, { error: "Add at least one primary outcome." })
        .min(1, "Add at least one primary outcome.")
        .max(20, "List at most 20 primary outcomes."),
      // 20. Key secondary outcomes. 100: large trials pre-specify dozens; more is a results table.
      secondaryOutcomes: z
        .array(outcomeInput, { error: "List the secondary outcomes." })
        .max(100, "List at most 100 secondary outcomes."),
      // 21. Ethics review.
      ethicsReview: strict("Enter the status of the ethics review.", {
        status: z.enum(ETHICS_STATUSES, { error: "Choose the status of the ethics review." }),
        approvalDate: isoDate.optional(),
        // 300: a committee's full name with its institution.
        committee: optionalText(300),
      }),
      // 22. Completion date, anticipated or actual.
      completionDate: datedEvent.optional(),
      // 23. Summary results. 20,000: a plain-language summary; full results are attached files.
      summaryResults: optionalText(20_000, "multi-line"),
      // 24. IPD sharing statement. 2,000: what is shared, when, with whom and how — or why not.
      ipdSharingStatement: strict("Enter the IPD sharing statement.", {
        plan: z.enum(IPD_PLANS, { error: "Say whether individual participant data will be shared." }),
        description: text("Explain the plan: which data, when, to whom and how — or why not.", 2000, "multi-line"),
      }),
    },
    fields("Enter the registration record."),
  )
  .superRefine((record, ctx) => {
    uniqueOutcomeIds(record, ctx);
    uniqueValues(record.countries, ["countries"], (code) => `${code} is listed twice.`, ctx);
    uniqueValues(record.fundingSources, ["fundingSources"], (name) => `“${name}” is listed twice.`, ctx);
    uniqueValues(record.secondarySponsors, ["secondarySponsors"], (name) => `“${name}” is listed twice.`, ctx);
    uniqueValues(
      record.secondaryIds.map(({ id, issuer }) => `${issuer}\u0000${id}`),
      ["secondaryIds"],
      () => "This identifier is listed twice.",
      ctx,
    );

    if (record.studyType.type === "interventional" && record.interventions.length === 0) {
      ctx.addIssue({ code: "custom", path: ["interventions"], message: "Add at least one intervention." });
    }
    if (record.studyType.type === "observational" && record.studyType.phase !== "not-applicable") {
      ctx.addIssue({
        code: "custom",
        path: ["studyType", "phase"],
        message: "Observational studies have no phase: choose “Not applicable”.",
      });
    }

    const { minAge, maxAge } = record.eligibility;
    for (const [key, limit] of [["minAge", minAge], ["maxAge", maxAge]] as const) {
      if (limit && ageInDays(limit) > MAX_AGE_DAYS) {
        ctx.addIssue({ code: "custom", path: ["eligibility", key, "value"], message: "Enter an age of at most 150 years." });
      }
    }
    if (minAge && maxAge && ageInDays(minAge) > ageInDays(maxAge)) {
      ctx.addIssue({ code: "custom", path: ["eligibility", "maxAge"], message: "The maximum age is below the minimum age." });
    }

    if (record.completionDate && record.completionDate.date < record.dateOfFirstEnrollment.date) {
      ctx.addIssue({
        code: "custom",
        path: ["completionDate", "date"],
        message: "The completion date is before the date of first enrolment.",
      });
    }

    // WHO item 21 asks for the date of approval and the committee, which only exist once approved.
    if (record.ethicsReview.status === "approved") {
      if (!record.ethicsReview.approvalDate) {
        ctx.addIssue({ code: "custom", path: ["ethicsReview", "approvalDate"], message: "Enter the date the committee approved the trial." });
      }
      if (!record.ethicsReview.committee) {
        ctx.addIssue({ code: "custom", path: ["ethicsReview", "committee"], message: "Name the committee that approved the trial." });
      }
    }
  });

/**
 * The body limit of the routes that take a whole record (register, amend). A record at every bound
 * above is about 335,000 UTF-16 units of text (outcomes 120 × 1,549, interventions 50 × 1,200,
 * criteria and summary 3 × 20,000, the rest under 30,000): at 3 bytes a unit in UTF-8, about
 * 1.05 MB of JSON. 2 MiB leaves room for escapes and whitespace; more is not a record.
 */
export const TRIAL_RECORD_BODY_LIMIT = 2 * 1024 * 1024;

export type TrialRecordInput = z.input<typeof trialRecordInput>;
export type TrialRecord = z.output<typeof trialRecordInput>;

type Check = z.core.$RefinementCtx;

/**
 * Outcome ids are unique across primary and secondary outcomes of a version: an id names one
 * outcome, so that diff.ts can tell a primary outcome moved to secondary from one dropped. The
 * error goes on the later duplicate, where the sponsor is most likely to have just typed it.
 */
function uniqueOutcomeIds(record: Pick<TrialRecord, "primaryOutcomes" | "secondaryOutcomes">, ctx: Check): void {
  const seen = new Map<string, string>();
  const lists = [
    ["primaryOutcomes", "primary", record.primaryOutcomes],
    ["secondaryOutcomes", "secondary", record.secondaryOutcomes],
  ] as const;
  for (const [field, role, outcomes] of lists) {
    outcomes.forEach((outcome, index) => {
      const first = seen.get(outcome.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [field, index, "id"],
          message: `The id “${outcome.id}” is already used by ${first}; give each outcome its own id.`,
        });
        return;
      }
      seen.set(outcome.id, `${role} outcome ${index + 1}`);
    });
  }
}

/** Lists compared as sets (diff.ts) hold each value once, so that a set comparison loses nothing. */
function uniqueValues(values: readonly string[], path: string[], message: (value: string) => string, ctx: Check): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) ctx.addIssue({ code: "custom", path: [...path, index], message: message(value) });
    seen.add(value);
  });
}

/**
 * The registration number of a trial: "TLR-<year>-<sequence>", the sequence zero-padded to five
 * digits and growing past 99999 without truncation ("TLR-2026-123456").
 *
 * @throws RangeError for a year outside 1000–9999 or a sequence that is not a positive safe integer.
 */
export function formatRegistrationNumber(year: number, sequence: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`Not a four-digit year: ${year}.`);
  if (!Number.isSafeInteger(sequence) || sequence < 1) throw new RangeError(`Not a positive sequence number: ${sequence}.`);
  return `TLR-${year}-${String(sequence).padStart(5, "0")}`;
}

/**
 * Reads a registration number as a person may type it (surrounding spaces, any letter case).
 * Only the spelling `formatRegistrationNumber` produces is accepted otherwise — "TLR-2026-042"
 * and "TLR-2026-0123456" are refused — so that each trial has exactly one number.
 *
 * @returns the year and sequence, or `null` when `s` is not a registration number.
 */
export function parseRegistrationNumber(s: string): { year: number; sequence: number } | null {
  const match = /^TLR-(\d{4})-(\d{5}|[1-9]\d{5,15})$/i.exec(s.trim());
  if (!match?.[1] || !match[2]) return null;
  const year = Number(match[1]);
  const sequence = Number(match[2]);
  if (year < 1000 || sequence < 1 || !Number.isSafeInteger(sequence)) return null;
  return { year, sequence };
}
