import { describe, expect, it } from "vitest";
import { DUO_RELEASE, type DataUseConditions, MODIFIER_CODES, dataUseConditions } from "@/lib/duo/conditions";
import { describeConditions } from "@/lib/duo/describe";

const labels = new Map([["MONDO:0005105", "melanoma"]]);

describe("describeConditions", () => {
  it("names the diseases of a disease-specific permission by label and id, and an unknown one by id", () => {
    const conditions: DataUseConditions = { duoRelease: DUO_RELEASE, permission: { code: "DS", diseases: ["MONDO:0005105", "MONDO:0005012"] }, modifiers: {} };
    expect(describeConditions(conditions, labels)).toEqual([
      { code: "DS", id: "DUO:0000007", label: "Disease-specific research", text: "Disease-specific research: melanoma (MONDO:0005105), MONDO:0005012" },
    ]);
  });

  it("gives each modifier its value in words, in a fixed order whatever order they came in", () => {
    const conditions = dataUseConditions.parse({
      duoRelease: DUO_RELEASE,
      permission: { code: "GRU" },
      modifiers: { GS: { regions: ["NL", "BE"] }, TS: { months: 12 }, NPU: true, MOR: { date: "2027-06-30" }, RS: { topic: "Cardiology" } },
    });
    expect(describeConditions(conditions, labels).map((c) => c.text)).toEqual([
      "General research use",
      "Not-for-profit organisation use only",
      "Time limit on use: 12 months",
      "Geographical restriction: NL, BE",
      "Publication moratorium: no publication before 2027-06-30",
      "Research-specific restrictions: Cardiology",
    ]);
    expect(describeConditions({ ...conditions, modifiers: { TS: { months: 1 } } }, labels)[1]?.text).toBe("Time limit on use: 1 month");
  });

  it("describes every modifier with its DUO id", () => {
    const conditions = dataUseConditions.parse({
      duoRelease: DUO_RELEASE,
      permission: { code: "HMB" },
      modifiers: {
        NPU: true, NCU: true, IRB: true, PUB: true, COL: true, RTN: true, TS: { months: 6 }, GS: { regions: ["EU"] }, MOR: { date: "2027-01-01" },
        US: { users: ["a@example.org"] }, PS: { project: "The BP-3 follow-up" }, IS: { institutions: ["https://ror.org/02jx3x895"] },
        NPOA: true, NMDS: true, GSO: true, CC: true, RS: { topic: "Genetics" },
      },
    });
    const described = describeConditions(conditions, labels);
    expect(described.map((c) => c.code)).toEqual(["HMB", ...MODIFIER_CODES]);
    expect(described.every((c) => /^DUO:\d{7}$/.test(c.id) && c.text.startsWith(c.label))).toBe(true);
    expect(described.find((c) => c.code === "US")?.text).toBe("User-specific restriction: a@example.org");
    expect(described.find((c) => c.code === "IS")?.text).toBe("Institution-specific restriction: https://ror.org/02jx3x895");
    expect(described.find((c) => c.code === "PS")?.text).toBe("Project-specific restriction: The BP-3 follow-up");
  });
});
