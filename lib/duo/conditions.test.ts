import { describe, expect, it } from "vitest";
import { canonicalize } from "@/lib/canonical-json";
import { DUO_RELEASE, MODIFIER_CODES, dataUseConditions } from "@/lib/duo/conditions";

const base = { duoRelease: DUO_RELEASE, permission: { code: "GRU" }, modifiers: {} };

function issuesOf(input: unknown): string[] {
  const parsed = dataUseConditions.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("DUO data-use conditions", () => {
  it("accepts a permission with modifiers and their values", () => {
    const conditions = {
      duoRelease: DUO_RELEASE,
      permission: { code: "DS", diseases: ["MONDO:0005105"] },
      modifiers: { NPU: true, IRB: true, TS: { months: 24 }, GS: { regions: ["GB", "EU"] }, MOR: { date: "2027-06-30" } },
    };
    expect(dataUseConditions.parse(conditions)).toEqual(conditions);
  });

  it("needs at least one well-formed Mondo id for disease-specific research", () => {
    expect(issuesOf({ ...base, permission: { code: "DS", diseases: [] } })).toEqual(["permission.diseases: Disease-specific research names at least one disease."]);
    expect(issuesOf({ ...base, permission: { code: "DS", diseases: ["DOID:1909"] } })[0]).toMatch(/^permission\.diseases\.0: That is not a Mondo disease id/);
  });

  it("refuses an unknown permission, an unknown modifier, a modifier value out of range and another DUO release", () => {
    expect(issuesOf({ ...base, permission: { code: "NRES" } })).not.toEqual([]);
    expect(issuesOf({ ...base, modifiers: { XYZ: true } })).not.toEqual([]);
    expect(issuesOf({ ...base, modifiers: { TS: { months: 0 } } })[0]).toMatch(/^modifiers\.TS\.months/);
    expect(issuesOf({ ...base, modifiers: { MOR: { date: "30/06/2027" } } })[0]).toMatch(/^modifiers\.MOR\.date/);
    expect(issuesOf({ ...base, modifiers: { NCU: false } })[0]).toMatch(/^modifiers\.NCU/);
    expect(issuesOf({ ...base, duoRelease: "2019-01-01" })[0]).toMatch(/^duoRelease/);
  });

  it("lists the modifiers of the issue, each once", () => {
    expect([...MODIFIER_CODES].sort()).toEqual(
      ["CC", "COL", "GS", "GSO", "IRB", "IS", "MOR", "NCU", "NMDS", "NPOA", "NPU", "PS", "PUB", "RS", "RTN", "TS", "US"].sort(),
    );
  });

  it("freezes the same conditions to the same bytes whatever order the modifiers came in", () => {
    const a = dataUseConditions.parse({ ...base, modifiers: { PUB: true, NPU: true, TS: { months: 12 } } });
    const b = dataUseConditions.parse({ ...base, modifiers: { TS: { months: 12 }, NPU: true, PUB: true } });
    expect(canonicalize(a)).toBe(canonicalize(b));
  });
});
