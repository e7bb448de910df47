import { describe, expect, it } from "vitest";
import type { DataDictionary } from "@/lib/datasets/dictionary";
import { codesFromText, codesToText } from "@/lib/datasets/dictionary-codes";
import { dictionaryFromCsv, dictionaryFromJson, dictionaryToCsv, dictionaryToJson } from "@/lib/datasets/dictionary-io";
import { AppError } from "@/lib/errors";
import { thrownBy } from "@/scripts/test/support";

const dictionary: DataDictionary = {
  columns: [
    { name: "pseudonym", label: "Participant pseudonym", type: "text", required: true, pseudonym: true, description: "The handover pseudonym." },
    { name: "visit_date", label: "Visit date", type: "date", required: true, pseudonym: false, directIdentifier: false },
    { name: "weight_kg", label: "Weight, measured", type: "decimal", unit: "kg", required: false },
    {
      name: "sex",
      label: "Sex",
      type: "code",
      required: true,
      codes: [
        { code: "F", label: "Female" },
        { code: "M", label: "Male, as recorded | at baseline" },
        { code: "-9", label: "Not known" },
        { code: "a,b|c\\d", label: "Odd, but allowed" },
      ],
    },
    { name: "note", label: "=HYPERLINK(\"x\")", type: "text", required: false, description: "Two lines:\n\"quoted\", and 'an apostrophe'." },
  ],
};

function errorOf(fn: () => unknown): AppError {
  const error = thrownBy(AppError, fn);
  expect(error.code).toBe("VALIDATION");
  return error;
}

describe("dictionary CSV and JSON", () => {
  it("round-trips through CSV and JSON unchanged, formulas guarded and codes escaped", () => {
    const csv = dictionaryToCsv(dictionary);
    expect(csv.split("\r\n")[0]).toBe("name,label,type,unit,codes,required,description,pseudonym,direct_identifier");
    expect(csv).toContain(`"F, Female | M, Male, as recorded \\| at baseline | -9, Not known | a\\,b\\|c\\\\d, Odd, but allowed"`);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(dictionaryFromCsv(csv)).toEqual(dictionary);
    expect(dictionaryFromJson(dictionaryToJson(dictionary))).toEqual(dictionary);
  });

  it("reads codes one per line as the editor writes them, and the CSV cell's | layout, to the same list", () => {
    const codes = [{ code: "F", label: "Female" }, { code: "a,b", label: "x | y" }];
    expect(codesToText(codes, "\n")).toBe("F, Female\na\\,b, x \\| y");
    expect(codesFromText(codesToText(codes, "\n"))).toEqual({ codes, unlabelled: [] });
    expect(codesFromText(codesToText(codes, " | "))).toEqual({ codes, unlabelled: [] });
    expect(codesFromText("F, Female\n\nM")).toEqual({ codes: [{ code: "F", label: "Female" }], unlabelled: ["M"] });
  });

  it("reads a sponsor's spreadsheet export: header names in any case and order, yes/no flags, blank rows", () => {
    const csv = [
      "Name,Type,Label,Required,Pseudonym,Direct Identifier,Codes",
      "pid,text,Participant,Y,TRUE,,",
      ",,,,,,",
      "arm,code,Arm,1,no,no,A, Amlodipine | P, Placebo",
      "",
    ].join("\n").replace("A, Amlodipine | P, Placebo", '"A, Amlodipine | P, Placebo"');
    expect(dictionaryFromCsv(csv)).toEqual({
      columns: [
        { name: "pid", label: "Participant", type: "text", required: true, pseudonym: true },
        { name: "arm", label: "Arm", type: "code", required: true, pseudonym: false, directIdentifier: false, codes: [{ code: "A", label: "Amlodipine" }, { code: "P", label: "Placebo" }] },
      ],
    });
  });

  it("names the row and column of each problem, keyed by the dictionary path", () => {
    const csv = ["name,label,type,required,codes,pseudonym", "pid,Participant,text,yes,,yes", "age,Age,number,yes,,", "arm,Arm,code,maybe,A Amlodipine,"].join("\n");
    const error = errorOf(() => dictionaryFromCsv(csv));
    expect(error.message).toBe("Row 3, column “type”: “number” is not a type; the types are integer, decimal, date, code, text, boolean. (and 2 more problems)");
    expect(error.fieldErrors).toEqual({
      "columns.1.type": [expect.stringContaining("Row 3, column “type”")],
      "columns.2.required": ["Row 4, column “required”: write yes or no, not “maybe”."],
      "columns.2.codes": [expect.stringMatching(/^Row 4, column “codes”: write each code as “code, label”/)],
    });
  });

  it("refuses what the dictionary schema refuses, with the row: a direct identifier, a repeated name, no pseudonym", () => {
    const identifier = errorOf(() => dictionaryFromCsv("name,label,type,pseudonym,direct_identifier\npid,P,text,yes,\nfull_name,Name,text,,yes\n"));
    expect(identifier.fieldErrors?.["columns.1.directIdentifier"]).toEqual([
      "Row 3, column “direct_identifier”: “full_name” is a direct identifier: remove it. TrialLedger shares pseudonymised data only.",
    ]);
    const twice = errorOf(() => dictionaryFromCsv("name,label,type,pseudonym\npid,P,text,yes\nPID,Again,text,\n"));
    expect(twice.message).toBe("Row 3, column “name”: The column “PID” is listed twice.");
    const none = errorOf(() => dictionaryFromCsv("name,label,type\nage,Age,integer\n"));
    expect(none.fieldErrors).toEqual({ columns: ["Column “pseudonym”: Mark one column as the participant pseudonym."] });
  });

  it("refuses an unreadable file: unknown header, unclosed quote, no rows, not JSON", () => {
    expect(errorOf(() => dictionaryFromCsv("name,label,kind\n")).message).toMatch(/^Row 1, column 3: “kind” is not a dictionary column/);
    expect(errorOf(() => dictionaryFromCsv('name,label,type\npid,"open,text\n')).message).toMatch(/^The dictionary is not valid CSV/);
    expect(errorOf(() => dictionaryFromCsv("name,label,type\n")).fieldErrors).toEqual({ columns: [expect.stringContaining("no columns")] });
    expect(errorOf(() => dictionaryFromCsv("")).message).toBe("The dictionary file is empty.");
    expect(errorOf(() => dictionaryFromJson("{")).message).toMatch(/^The dictionary is not valid JSON/);
    expect(errorOf(() => dictionaryFromJson('{"columns":[{"name":"1x","label":"L","type":"text","required":true,"pseudonym":true}]}')).fieldErrors).toEqual({
      "columns.0.name": [expect.stringMatching(/^Column 1, “name”: A column name starts with a letter/)],
    });
  });
});
