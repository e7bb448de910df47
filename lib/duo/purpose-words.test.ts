import { describe, expect, it } from "vitest";
import { DUO_RELEASE } from "@/lib/duo/conditions";
import { PURPOSE_FLAG_NAMES } from "@/lib/duo/purpose";
import { describePurpose, purposeDiseaseIds } from "@/lib/duo/purpose-words";

const noFlags = Object.fromEntries(PURPOSE_FLAG_NAMES.map((f) => [f, false]));

describe("describePurpose", () => {
  it("names the category, the diseases by label and id, and only the flags set", () => {
    const purpose = { duoRelease: DUO_RELEASE, category: "DS", diseases: ["MONDO:0005105", "MONDO:0005015"], flags: { ...noFlags, methods: true } };
    expect(describePurpose(purpose, new Map([["MONDO:0005105", "melanoma"]]))?.text).toBe(
      "Disease-specific research: melanoma (MONDO:0005105), MONDO:0005015; methods development",
    );
  });

  it("says a general purpose without flags as its DUO label alone", () => {
    expect(describePurpose({ duoRelease: DUO_RELEASE, category: "HMB", diseases: [], flags: noFlags }, new Map())).toMatchObject({
      category: { code: "HMB", id: "DUO:0000006" },
      flags: [],
      text: "Health or medical or biomedical research",
    });
  });

  it("gives null for a purpose the portal cannot read, and no disease ids for it", () => {
    expect(describePurpose({ category: "XYZ" }, new Map())).toBeNull();
    expect(describePurpose({ duoRelease: DUO_RELEASE, category: "DS", diseases: [], flags: noFlags }, new Map())).toBeNull();
    expect(purposeDiseaseIds({ category: "XYZ" })).toEqual([]);
  });
});
