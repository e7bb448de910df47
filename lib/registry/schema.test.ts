import { describe, expect, it } from "vitest";
import { recordDigest } from "@/lib/canonical-json";
import { exampleTrialRecord } from "@/lib/registry/example";
import {
  formatRegistrationNumber,
  parseRegistrationNumber,
  trialRecordInput,
  type TrialRecord,
} from "@/lib/registry/schema";

/** A deep, mutable copy of the example with `change` applied. */
function variant(change: (record: TrialRecord) => void): unknown {
  const record = structuredClone(exampleTrialRecord);
  change(record);
  return record;
}

/** The issues of a record that must fail, as "path: message" lines. */
function issues(input: unknown): string[] {
  const result = trialRecordInput.safeParse(input);
  expect(result.success, "the record should be refused").toBe(false);
  return (result.error?.issues ?? []).map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

describe("trialRecordInput", () => {
  it("accepts the example record unchanged, and parsing it again changes nothing", () => {
    const parsed = trialRecordInput.parse(exampleTrialRecord);
    expect(parsed).toEqual(exampleTrialRecord);
    expect(recordDigest(trialRecordInput.parse(parsed))).toBe(recordDigest(exampleTrialRecord));
  });

  it("refuses control characters and lone surrogates in every kind of text field, naming the field", () => {
    const nul = String.fromCharCode(0);
    const formFeed = String.fromCharCode(12);
    const lone = String.fromCharCode(0xd800);
    expect(issues(variant((r) => (r.publicTitle = `A title${formFeed}with a form feed`)))).toEqual([
      "publicTitle: Remove a control character (U+000C) at character 8.",
    ]);
    expect(issues(variant((r) => (r.scientificTitle = `Lone ${lone}`)))).toEqual(["scientificTitle: Remove an unpaired surrogate (U+D800) at character 6."]);
    expect(issues(variant((r) => (r.primarySponsor = `Sponsor${nul}`)))[0]).toMatch(/^primarySponsor: Remove a control character \(U\+0000\)/);
    expect(issues(variant((r) => (r.eligibility.inclusion = `Adults${nul}`)))[0]).toMatch(/^eligibility\.inclusion: /);
    expect(issues(variant((r) => (r.publicTitle = "Two\nlines")))[0]).toMatch(/^publicTitle: Remove a line break .*one line/);
    // Multi-line fields keep their paragraphs.
    expect(trialRecordInput.safeParse(variant((r) => (r.eligibility.inclusion = "Adults\r\n\t- with consent"))).success).toBe(true);
  });

  it("refuses a record without a primary outcome", () => {
    expect(issues(variant((r) => (r.primaryOutcomes = [])))).toEqual(["primaryOutcomes: Add at least one primary outcome."]);
    const { primaryOutcomes: _, ...missing } = structuredClone(exampleTrialRecord);
    expect(issues(missing)).toEqual(["primaryOutcomes: Add at least one primary outcome."]);
  });

  it("refuses an outcome id used twice, at the later one, across primary and secondary", () => {
    const duplicated = variant((r) => {
      const secondary = r.secondaryOutcomes[1];
      if (secondary) secondary.id = "sbp-12w";
    });
    expect(issues(duplicated)).toEqual([
      "secondaryOutcomes.1.id: The id “sbp-12w” is already used by primary outcome 1; give each outcome its own id.",
    ]);
    const withinSecondary = variant((r) => {
      const secondary = r.secondaryOutcomes[3];
      if (secondary) secondary.id = "control-12w";
    });
    expect(issues(withinSecondary)).toEqual([
      "secondaryOutcomes.3.id: The id “control-12w” is already used by secondary outcome 1; give each outcome its own id.",
    ]);
  });

  it("refuses outcome ids that are not short slugs", () => {
    for (const id of ["", "BP-12w", "bp 12w", "bp_12w", "a".repeat(41)]) {
      const record = variant((r) => {
        const primary = r.primaryOutcomes[0];
        if (primary) primary.id = id;
      });
      expect(issues(record)).toEqual(["primaryOutcomes.0.id: Use 1 to 40 lower-case letters, digits and hyphens, like bp-12w."]);
    }
  });

  it("refuses a country that is not an ISO 3166-1 alpha-2 code in capitals", () => {
    expect(issues(variant((r) => (r.countries = ["usa"])))).toEqual([
      "countries.0: Use the two-letter ISO country code in capitals, like GB or US.",
    ]);
    expect(issues(variant((r) => (r.countries = ["GB", "gb"])))[0]).toMatch(/^countries\.1: /);
    expect(issues(variant((r) => (r.countries = ["GB", "NL", "GB"])))).toEqual(["countries.2: GB is listed twice."]);
    expect(issues(variant((r) => (r.countries = [])))).toEqual(["countries: Add at least one country of recruitment."]);
  });

  it("refuses a contact's malformed email, and lower-cases a good one", () => {
    expect(issues(variant((r) => (r.publicContact.email = "trial office@example")))).toEqual([
      "publicContact.email: Enter a valid email address, like name@example.org.",
    ]);
    const parsed = trialRecordInput.parse(variant((r) => (r.scientificContact.email = " A.Okafor@Eastmoor.example.org ")));
    expect(parsed.scientificContact.email).toBe("a.okafor@eastmoor.example.org");
  });

  it("refuses a target sample size of 0, a fraction or more than ten million", () => {
    expect(issues(variant((r) => (r.targetSampleSize = 0)))).toEqual(["targetSampleSize: Enter at least 1 participant."]);
    expect(issues(variant((r) => (r.targetSampleSize = 12.5)))).toEqual(["targetSampleSize: Enter a whole number of participants."]);
    expect(issues(variant((r) => (r.targetSampleSize = 10_000_001)))).toEqual([
      "targetSampleSize: Enter at most 10,000,000 participants.",
    ]);
  });

  it("refuses dates that are not calendar dates", () => {
    const message = "Enter a date as YYYY-MM-DD, like 2026-03-01.";
    for (const date of ["2026-13-01", "2026-02-30", "2026-9-01", "01/09/2026"]) {
      expect(issues(variant((r) => (r.dateOfFirstEnrollment.date = date)))).toEqual([`dateOfFirstEnrollment.date: ${message}`]);
    }
    expect(issues(variant((r) => (r.dateOfFirstEnrollment.date = "0026-09-01")))).toEqual([
      "dateOfFirstEnrollment.date: Enter a year between 1900 and 2199.",
    ]);
    expect(trialRecordInput.safeParse(variant((r) => (r.dateOfFirstEnrollment.date = "2028-02-29"))).success).toBe(true);
  });

  it("writes its messages for people", () => {
    expect(issues(variant((r) => (r.publicTitle = "   ")))).toEqual(["publicTitle: Enter a title for the public."]);
    expect(issues(variant((r) => (r.recruitmentStatus = "open" as TrialRecord["recruitmentStatus"])))).toEqual([
      "recruitmentStatus: Choose the recruitment status.",
    ]);
    expect(issues(variant((r) => (r.acronym = "x".repeat(31))))).toEqual(["acronym: Use at most 30 characters."]);
    expect(issues(variant((r) => (r.fundingSources = [])))).toEqual(["fundingSources: Add at least one source of funding."]);
  });

  it("refuses unknown fields instead of dropping them from an anchored record", () => {
    expect(issues({ ...structuredClone(exampleTrialRecord), acronymn: "TBP" })).toEqual([': Unknown field “acronymn”: the registration record has no such field.']);
  });

  it("turns blank optional fields into absent ones, so both give the same digest", () => {
    const blank = trialRecordInput.parse(
      variant((r) => {
        r.acronym = "  ";
        r.scientificContact.phone = "";
      }),
    );
    expect(blank.acronym).toBeUndefined();
    expect(blank.scientificContact.phone).toBeUndefined();
    const { acronym: _, ...absent } = structuredClone(exampleTrialRecord);
    expect(recordDigest(blank)).toBe(recordDigest(trialRecordInput.parse(absent)));
  });

  it("checks fields against each other", () => {
    expect(issues(variant((r) => (r.eligibility.maxAge = { value: 200, unit: "months" })))).toEqual([
      "eligibility.maxAge: The maximum age is below the minimum age.",
    ]);
    expect(trialRecordInput.safeParse(variant((r) => (r.eligibility.maxAge = { value: 216, unit: "months" }))).success).toBe(true);
    expect(issues(variant((r) => (r.eligibility.minAge = { value: 151, unit: "years" })))[0]).toBe(
      "eligibility.minAge.value: Enter an age of at most 150 years.",
    );
    expect(issues(variant((r) => (r.completionDate = { date: "2026-08-31", type: "anticipated" })))).toEqual([
      "completionDate.date: The completion date is before the date of first enrolment.",
    ]);
    expect(issues(variant((r) => (r.interventions = [])))).toEqual(["interventions: Add at least one intervention."]);
    expect(issues(variant((r) => (r.studyType = { type: "observational", phase: "phase-3" })))).toEqual([
      "studyType.phase: Observational studies have no phase: choose “Not applicable”.",
    ]);
    expect(
      issues(
        variant((r) => {
          delete r.ethicsReview.approvalDate;
          delete r.ethicsReview.committee;
        }),
      ),
    ).toEqual([
      "ethicsReview.approvalDate: Enter the date the committee approved the trial.",
      "ethicsReview.committee: Name the committee that approved the trial.",
    ]);
    expect(trialRecordInput.safeParse(variant((r) => (r.ethicsReview = { status: "pending" }))).success).toBe(true);
  });

  it("accepts phone numbers as people write them, up to E.164's 15 digits", () => {
    for (const phone of ["+44 20 7946 0321", "(555) 010-4477", "+1.555.010.4477"]) {
      expect(trialRecordInput.safeParse(variant((r) => (r.publicContact.phone = phone))).success, phone).toBe(true);
    }
    for (const phone of ["12345", "+44 20 7946 0321 0000 1", "call me", "+44 (0)20 7946 0321 ext. 12"]) {
      expect(issues(variant((r) => (r.publicContact.phone = phone)))[0], phone).toMatch(/^publicContact\.phone: /);
    }
  });
});

describe("registration numbers", () => {
  it("are formatted with a five-digit sequence that grows without truncation", () => {
    expect(formatRegistrationNumber(2026, 42)).toBe("TLR-2026-00042");
    expect(formatRegistrationNumber(2026, 1)).toBe("TLR-2026-00001");
    expect(formatRegistrationNumber(2026, 99999)).toBe("TLR-2026-99999");
    expect(formatRegistrationNumber(2027, 123456)).toBe("TLR-2027-123456");
  });

  it("refuse a year or sequence that cannot be formatted", () => {
    expect(() => formatRegistrationNumber(26, 1)).toThrow(RangeError);
    expect(() => formatRegistrationNumber(2026, 0)).toThrow(RangeError);
    expect(() => formatRegistrationNumber(2026, 1.5)).toThrow(RangeError);
    expect(() => formatRegistrationNumber(2026, Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
  });

  it("parse back what was formatted, as a person may type it", () => {
    for (const [year, sequence] of [[2026, 42], [2026, 99999], [2031, 100000], [2026, Number.MAX_SAFE_INTEGER]] as const) {
      expect(parseRegistrationNumber(formatRegistrationNumber(year, sequence))).toEqual({ year, sequence });
    }
    expect(parseRegistrationNumber(" tlr-2026-00042 ")).toEqual({ year: 2026, sequence: 42 });
  });

  it("parse only the one spelling of each number", () => {
    for (const s of ["TLR-2026-0042", "TLR-2026-042", "TLR-2026-012345", "TLR-2026-00000", "TLR-26-00042", "TLR2026-00042", "NCT01234567", ""]) {
      expect(parseRegistrationNumber(s), s).toBeNull();
    }
  });
});
