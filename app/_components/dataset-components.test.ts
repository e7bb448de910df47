// The two dataset components rendered to HTML on the server (as the page first sends them): the
// report's verdict in words and its tables; the editor's hidden input carrying the dictionary.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DictionaryEditor } from "@/app/_components/dictionary-editor";
import { ValidationReport, reportSummary } from "@/app/_components/validation-report";
import type { DataDictionary } from "@/lib/datasets/dictionary";
import { validationReport } from "@/lib/datasets/report";
import { validateTabular } from "@/lib/datasets/validate";

const dictionary: DataDictionary = {
  columns: [
    { name: "pseudonym", label: "Participant pseudonym", type: "text", required: true, pseudonym: true },
    { name: "sbp", label: "Systolic", type: "integer", unit: "mmHg", required: true },
    { name: "sex", label: "Sex", type: "code", required: false, codes: [{ code: "F", label: "Female" }, { code: "M", label: "Male" }], description: "As recorded." },
  ],
};

async function reportOf(csv: string) {
  return validateTabular(
    (async function* () {
      yield new TextEncoder().encode(csv);
    })(),
    { format: "csv", dictionary, knownPseudonyms: (v) => Promise.resolve(new Set(v.filter((x) => x === "p1"))) },
  );
}

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/\s+/g, " ");

describe("ValidationReport", () => {
  it("says the verdict in words and lists counts, first rows and unknown pseudonyms", async () => {
    const report = await reportOf("pseudonym,sbp,sex\np1,high,F\nghost,120,X\np1,130,M\n");
    expect(reportSummary(report)).toBe("3 rows, 3 errors");
    const html = text(renderToStaticMarkup(createElement(ValidationReport, { report })));
    expect(html).toContain("Has errors: 3 rows, 3 errors");
    expect(html).toContain("cannot be published");
    expect(html).toMatch(/sbp Wrong type 1 Expected a whole number/);
    expect(html).toMatch(/2 sex Not an allowed code X/);
    expect(html).toContain("1 pseudonym in 1 row was not proved");
    expect(html).toContain("ghost");
  });

  it("says a clean file is valid, and a stopped one where it stopped", async () => {
    const clean = await reportOf("pseudonym,sbp\np1,120\n");
    expect(text(renderToStaticMarkup(createElement(ValidationReport, { report: clean })))).toContain("Valid: 1 row, no errors against the dictionary.");
    const stopped = validationReport.parse(await reportOf('pseudonym,sbp\np1,120\n"p1,1\n'));
    expect(text(renderToStaticMarkup(createElement(ValidationReport, { report: stopped })))).toContain("Reading stopped at line 3:");
  });
});

describe("DictionaryEditor", () => {
  it("carries the initial dictionary in its hidden input unchanged, and shows the server's errors beside their field", () => {
    const html = renderToStaticMarkup(
      createElement(DictionaryEditor, { name: "value", initial: dictionary, errors: { "columns.1.type": ["The type is one of …"], columns: ["Mark one column as the participant pseudonym."] } }),
    );
    const value = /<input type="hidden" name="value" value="([^"]*)"/.exec(html)?.[1] ?? "";
    expect(JSON.parse(value.replace(/&quot;/g, '"'))).toEqual(dictionary);
    expect(html).toMatch(/<select[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*type-error"/);
    expect(text(html)).toContain("The type is one of …");
    expect(text(html)).toContain("Mark one column as the participant pseudonym.");
  });

  it("starts a new dictionary with its pseudonym column", () => {
    const html = renderToStaticMarkup(createElement(DictionaryEditor, { name: "value" }));
    const value = (/<input type="hidden" name="value" value="([^"]*)"/.exec(html)?.[1] ?? "").replace(/&quot;/g, '"');
    expect(JSON.parse(value)).toEqual({ columns: [{ name: "pseudonym", label: "Participant pseudonym", type: "text", required: true, pseudonym: true }] });
  });
});
