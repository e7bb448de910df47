import { describe, expect, it } from "vitest";
import { conditionsOf, initialValues } from "@/app/_components/duo-draft";
import { DUO_RELEASE, type DataUseConditions, type ModifierCode, dataUseConditions } from "@/lib/duo/conditions";

const blank = initialValues(undefined);

describe("the DUO picker's draft", () => {
  it("becomes conditions that dataUseConditions accepts, with only the ticked modifiers and lists split", () => {
    const on = new Set<ModifierCode>(["NPU", "TS", "GS", "MOR", "US"]);
    const value = conditionsOf("DS", ["MONDO:0005105"], on, { ...blank, months: "12", regions: "NL, BE", date: "2027-06-30", users: "a@example.org\n0000-0002-1825-0097", topic: "ignored: RS is not ticked" });
    expect(dataUseConditions.parse(JSON.parse(JSON.stringify(value)))).toEqual({
      duoRelease: DUO_RELEASE,
      permission: { code: "DS", diseases: ["MONDO:0005105"] },
      modifiers: { NPU: true, TS: { months: 12 }, GS: { regions: ["NL", "BE"] }, MOR: { date: "2027-06-30" }, US: { users: ["a@example.org", "0000-0002-1825-0097"] } },
    });
  });

  it("leaves a missing value for the server to name, at the modifier's path", () => {
    const value = JSON.parse(JSON.stringify(conditionsOf("GRU", [], new Set<ModifierCode>(["TS"]), blank))) as unknown;
    const parsed = dataUseConditions.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path.join(".")).toBe("modifiers.TS.months");
    expect(dataUseConditions.safeParse(conditionsOf("DS", [], new Set(), blank)).error?.issues[0]?.path.join(".")).toBe("permission.diseases");
  });

  it("starts from saved conditions and gives them back unchanged", () => {
    const saved: DataUseConditions = dataUseConditions.parse({
      duoRelease: DUO_RELEASE,
      permission: { code: "HMB" },
      modifiers: { IRB: true, PS: { project: "BP follow-up" }, IS: { institutions: ["Erasmus MC", "https://ror.org/018906e22"] }, RS: { topic: "Cardiology" }, GS: { regions: ["EU"] } },
    });
    const on = new Set(Object.keys(saved.modifiers) as ModifierCode[]);
    expect(conditionsOf("HMB", [], on, initialValues(saved.modifiers))).toEqual(saved);
  });
});
