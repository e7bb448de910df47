// The request form's field model: where the server's errors go, and what each section sends.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RadioGroup, TextControl, YES_NO } from "@/app/(researcher)/requests/[number]/controls";
import { FIELDS, errorsOf, fieldId, fieldSpec, patchOf, placeErrors, purposeComplete, purposeOf, valueAt } from "@/app/(researcher)/requests/[number]/form-fields";
import { requestForm } from "@/lib/access/schema";
import { DUO_RELEASE } from "@/lib/duo/conditions";
import { PURPOSE_FLAG_NAMES } from "@/lib/duo/purpose";

const formData = (entries: Array<[string, string]>) => {
  const form = new FormData();
  for (const [k, v] of entries) form.append(k, v);
  return form;
};

const allFlags = (answer: "yes" | "no") => PURPOSE_FLAG_NAMES.map((name): [string, string] => [`purpose.flags.${name}`, answer]);

describe("FIELDS", () => {
  it("covers every field of the request form and every purpose flag", () => {
    const paths = new Set(FIELDS.map((f) => f.path));
    for (const key of Object.keys(requestForm.shape)) {
      if (key === "purpose" || key === "institution") continue;
      expect(paths).toContain(key);
    }
    for (const key of ["name", "notForProfit", "country"]) expect(paths).toContain(`institution.${key}`);
    for (const name of PURPOSE_FLAG_NAMES) expect(paths).toContain(`purpose.flags.${name}`);
  });
});

describe("placeErrors", () => {
  it("orders the server's errors as the form shows its fields, whatever order they come in", () => {
    const placed = placeErrors({
      months: ["Ask for at least one month."],
      "institution.name": ["Enter the institution's name."],
      "purpose.flags.commercial": ["Answer: Is the research commercial…"],
      title: ["Enter the title."],
      "purpose.diseases": ["Disease-specific research names at least one disease."],
    });
    expect(placed.fields.map(([id]) => id)).toEqual([
      "request-title",
      "request-purpose-diseases",
      "request-purpose-flags-commercial",
      "request-institution-name",
      "request-months",
    ]);
    expect(placed.labels["request-institution-name"]).toBe("Institution");
    expect(placed.unplaced).toEqual([]);
  });

  it("places a nested path at its field, a prefixed one too, a section's error at the section, and keeps the rest unplaced", () => {
    const placed = placeErrors({
      "form.purpose.diseases.0": ["That is not a Mondo disease id."],
      members: ["Ann has not accepted the agreement."],
      "documents.irb": ["Upload the ethics (IRB) approval."],
      _form: ["The request is no longer a draft."],
    });
    expect(placed.fields).toEqual([
      ["request-purpose-diseases", ["That is not a Mondo disease id."]],
      ["section-team", ["Ann has not accepted the agreement."]],
      ["section-documents", ["Upload the ethics (IRB) approval."]],
    ]);
    expect(placed.unplaced).toEqual(["The request is no longer a draft."]);
  });

  it("puts a section's own error before its fields", () => {
    const placed = placeErrors({ "institution.country": ["Give the country as its two-letter ISO code, like NL."], institution: ["Say where the research is done."] });
    expect(placed.fields.map(([id]) => id)).toEqual(["section-institution", "request-institution-country"]);
  });
});

describe("errorsOf", () => {
  it("collects the field's own errors and those of its parts", () => {
    const fe = { "purpose.diseases.1": ["Not a Mondo id."], "purpose.diseases": ["Too many."], title: ["Enter the title."] };
    expect(errorsOf(fe, "purpose.diseases")).toEqual(["Not a Mondo id.", "Too many."]);
    expect(errorsOf(fe, "purpose.other")).toBeUndefined();
  });
});

describe("patchOf", () => {
  it("sends the section's filled fields, nested by path, with yes/no as booleans and empty fields left out", () => {
    const form = formData([
      ["institution.name", "  Leiden University Medical Center "],
      ["institution.notForProfit", "yes"],
      ["institution.country", ""],
      ["title", "not in this section"],
    ]);
    expect(patchOf(["institution.name", "institution.notForProfit", "institution.country"], form)).toEqual({
      institution: { name: "Leiden University Medical Center", notForProfit: true },
    });
    expect(patchOf(["institution.notForProfit"], formData([["institution.notForProfit", "no"]]))).toEqual({ institution: { notForProfit: false } });
    expect(patchOf(["months", "funding"], formData([["months", "18"], ["funding", "ZonMw grant 1234"]]))).toEqual({ months: "18", funding: "ZonMw grant 1234" });
  });

  it("refuses a path that is not a field, rather than sending it", () => {
    expect(() => patchOf(["purpose"], new FormData())).toThrow(/not a field/);
  });
});

describe("purposeOf and purposeComplete", () => {
  it("builds a whole purpose the server accepts from a disease-specific answer", () => {
    const form = formData([["purpose.category", "DS"], ["purpose.diseases", "MONDO:0005012"], ...allFlags("no").filter(([k]) => k !== "purpose.flags.genetic"), ["purpose.flags.genetic", "yes"]]);
    const { purpose } = purposeOf(form);
    expect(purpose).toMatchObject({ duoRelease: DUO_RELEASE, category: "DS", diseases: ["MONDO:0005012"] });
    expect((purpose.flags as Record<string, boolean>).genetic).toBe(true);
    expect((purpose.flags as Record<string, boolean>).commercial).toBe(false);
    expect(purposeComplete(purpose)).toBe(true);
    expect(requestForm.shape.purpose.safeParse(purpose).success).toBe(true);
  });

  it("drops diseases unless the research is disease-specific, and leaves unanswered flags out", () => {
    const form = formData([["purpose.category", "HMB"], ["purpose.diseases", "MONDO:0005012"], ["purpose.flags.commercial", "yes"]]);
    const { purpose } = purposeOf(form);
    expect(purpose.diseases).toEqual([]);
    expect(purpose.flags).toEqual({ commercial: true });
    expect(purposeComplete(purpose)).toBe(false);
    const parsed = requestForm.shape.purpose.safeParse(purpose);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.some((i) => i.path.join(".") === "flags.methods")).toBe(true);
  });

  it("is incomplete without a category or, for DS, without a disease", () => {
    expect(purposeComplete(purposeOf(formData(allFlags("no"))).purpose)).toBe(false);
    expect(purposeComplete(purposeOf(formData([["purpose.category", "DS"], ...allFlags("no")])).purpose)).toBe(false);
    expect(purposeComplete(purposeOf(formData([["purpose.category", "GRU"], ...allFlags("no")])).purpose)).toBe(true);
  });
});

describe("valueAt", () => {
  it("reads a dotted path of the saved draft", () => {
    const draft = { institution: { name: "LUMC", notForProfit: false }, months: 12 };
    expect(valueAt(draft, "institution.notForProfit")).toBe(false);
    expect(valueAt(draft, "months")).toBe(12);
    expect(valueAt(draft, "purpose.category")).toBeUndefined();
  });
});

describe("controls", () => {
  it("renders a yes/no question as a fieldset whose legend is the question, the first radio holding the field's id and the error described", () => {
    const html = renderToStaticMarkup(
      createElement(RadioGroup, { path: "institution.notForProfit", legend: fieldSpec("institution.notForProfit").label, options: YES_NO, initial: "no", errors: ["Say whether…"] }),
    );
    expect(html).toMatch(/<fieldset[^>]*aria-describedby="request-institution-notForProfit-error"/);
    expect(html).toContain("<legend");
    expect(html).toContain("Is the institution a not-for-profit organisation?");
    expect(html).toMatch(/<input id="request-institution-notForProfit" type="radio"[^>]*name="institution.notForProfit"[^>]*value="yes"/);
    expect(html).toMatch(/<label for="request-institution-notForProfit" [^>]*>Yes</);
    expect(html).toMatch(/<input id="request-institution-notForProfit-no"[^>]*checked=""[^>]*value="no"/);
    expect(html).toContain('id="request-institution-notForProfit-error"');
  });

  it("labels a text field and ties its hint and error to it", () => {
    const html = renderToStaticMarkup(createElement(TextControl, { spec: fieldSpec("laySummary"), initial: "Short", errors: ["Write the lay summary in at least 50 characters."] }));
    expect(html).toContain(`<label for="${fieldId("laySummary")}"`);
    expect(html).toMatch(/<textarea id="request-laySummary" name="laySummary" aria-invalid="true" aria-describedby="request-laySummary-hint request-laySummary-error"/);
    expect(html).toContain("Write the lay summary in at least 50 characters.");
  });
});
