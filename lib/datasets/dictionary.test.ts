import { describe, expect, it } from "vitest";
import { type DictionaryColumn, dataDictionary } from "@/lib/datasets/dictionary";

const pseudonym: DictionaryColumn = { name: "participant", label: "Participant pseudonym", type: "text", required: true, pseudonym: true };
const age: DictionaryColumn = { name: "age", label: "Age at enrolment", type: "integer", unit: "years", required: true };

function issuesOf(columns: unknown[]): string[] {
  const parsed = dataDictionary.safeParse({ columns });
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("data dictionary", () => {
  it("accepts one pseudonym column and typed data columns", () => {
    const sex = { name: "sex", label: "Sex", type: "code", codes: [{ code: "F", label: "Female" }, { code: "M", label: "Male" }], required: false };
    expect(issuesOf([pseudonym, age, sex])).toEqual([]);
  });

  it("needs exactly one pseudonym column", () => {
    expect(issuesOf([age])).toEqual(["columns: Mark one column as the participant pseudonym."]);
    expect(issuesOf([pseudonym, { ...age, pseudonym: true }])).toEqual(["columns: Only one column is the participant pseudonym (marked: participant, age)."]);
  });

  it("refuses a direct identifier, naming its field", () => {
    expect(issuesOf([pseudonym, age, { name: "email", label: "E-mail", type: "text", required: false, directIdentifier: true }])).toEqual([
      "columns.2.directIdentifier: “email” is a direct identifier: remove it. TrialLedger shares pseudonymised data only.",
    ]);
  });

  it("refuses a column listed twice in any case, and a name files cannot carry", () => {
    expect(issuesOf([pseudonym, age, { ...age, name: "AGE" }])).toEqual(["columns.2.name: The column “AGE” is listed twice."]);
    expect(issuesOf([pseudonym, { ...age, name: "age in years" }])[0]).toMatch(/^columns\.1\.name: A column name starts with a letter/);
  });

  it("ties allowed codes to code columns", () => {
    expect(issuesOf([pseudonym, { name: "arm", label: "Arm", type: "code", required: true }])).toEqual(["columns.1.codes: “arm” is a code column: list its allowed codes."]);
    expect(issuesOf([pseudonym, { ...age, codes: [{ code: "1", label: "one" }] }])).toEqual(["columns.1.codes: Only code columns have allowed codes (“age” is integer)."]);
  });

  it("refuses an unknown type and an unknown field", () => {
    expect(issuesOf([pseudonym, { ...age, type: "float" }])[0]).toMatch(/^columns\.1\.type: The type is one of integer, decimal, date, code, text, boolean\./);
    expect(issuesOf([pseudonym, { ...age, colour: "red" }])).not.toEqual([]);
  });
});
