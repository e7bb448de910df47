import { describe, expect, it } from "vitest";
import { FIELD_ORDER, diffRecords, outcomeFlags, type OutcomeFlag } from "@/lib/registry/diff";
import { exampleTrialRecord } from "@/lib/registry/example";
import type { Outcome, TrialRecord } from "@/lib/registry/schema";

function amended(change: (record: TrialRecord) => void): TrialRecord {
  const record = structuredClone(exampleTrialRecord);
  change(record);
  return record;
}

/** The example's outcome with `id`, wherever it is. */
function outcome(record: TrialRecord, id: string): Outcome {
  const found = [...record.primaryOutcomes, ...record.secondaryOutcomes].find((item) => item.id === id);
  if (!found) throw new Error(`No outcome ${id}`);
  return found;
}

function summary(flags: OutcomeFlag[]): string[] {
  return flags.map((flag) => `${flag.type} ${flag.outcomeId}: ${flag.message}`);
}

/** Every member name that occurs in a record, at any depth. */
function memberNames(value: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) memberNames(item, names);
  else if (typeof value === "object" && value !== null) {
    for (const [name, member] of Object.entries(value)) {
      names.add(name);
      memberNames(member, names);
    }
  }
  return names;
}

describe("diffRecords", () => {
  it("finds nothing between a record and its copy, whatever the member order", () => {
    expect(diffRecords(exampleTrialRecord, structuredClone(exampleTrialRecord))).toEqual([]);
    // JSON.stringify with a list of names writes members in the list's order, at every depth.
    const reordered = JSON.parse(JSON.stringify(exampleTrialRecord, [...memberNames(exampleTrialRecord)].sort().reverse())) as TrialRecord;
    expect(Object.keys(reordered)[0]).toBe("targetSampleSize");
    expect(diffRecords(exampleTrialRecord, reordered)).toEqual([]);
  });

  it("lists countries added and removed as a set, ignoring order", () => {
    const after = amended((r) => (r.countries = ["NL", "DE", "GB", "BE"]));
    expect(diffRecords(exampleTrialRecord, after)).toEqual([
      { path: "countries", kind: "removed", before: "IE", after: undefined },
      { path: "countries", kind: "added", before: undefined, after: "DE" },
      { path: "countries", kind: "added", before: undefined, after: "BE" },
    ]);
    expect(diffRecords(exampleTrialRecord, amended((r) => r.countries.reverse()))).toEqual([]);
  });

  it("matches outcomes by id, whatever their position", () => {
    const after = amended((r) => {
      r.secondaryOutcomes.reverse();
      outcome(r, "sbp-12w").timeFrame = "24 weeks after randomisation";
      outcome(r, "adherence").measure = "Adherence by electronic pill bottle";
      r.secondaryOutcomes = r.secondaryOutcomes.filter((item) => item.id !== "adverse-events");
      r.secondaryOutcomes.push({ id: "hba1c", measure: "HbA1c", timeFrame: "24 weeks" });
    });
    expect(diffRecords(exampleTrialRecord, after)).toEqual([
      {
        path: "primaryOutcomes[sbp-12w].timeFrame",
        kind: "changed",
        before: "12 weeks after randomisation",
        after: "24 weeks after randomisation",
      },
      { path: "secondaryOutcomes[adverse-events]", kind: "removed", before: outcome(exampleTrialRecord, "adverse-events"), after: undefined },
      {
        path: "secondaryOutcomes[adherence].measure",
        kind: "changed",
        before: "Adherence to blood-pressure-lowering treatment by pill count",
        after: "Adherence by electronic pill bottle",
      },
      { path: "secondaryOutcomes[hba1c]", kind: "added", before: undefined, after: { id: "hba1c", measure: "HbA1c", timeFrame: "24 weeks" } },
    ]);
  });

  it("reports nested fields, optional objects and lists without ids by path", () => {
    const after = amended((r) => {
      r.publicTitle = "A new title";
      r.publicContact.phone = undefined;
      r.scientificContact.phone = "+44 20 7946 0999";
      r.eligibility.maxAge = { value: 80, unit: "years" };
      r.eligibility.minAge = { value: 40, unit: "years" };
      r.conditions.push({ name: "Chronic kidney disease", code: "N18" });
      const drug = r.interventions[0];
      if (drug) drug.name = "Triple pill";
      delete r.completionDate;
      r.targetSampleSize = 800;
    });
    expect(diffRecords(exampleTrialRecord, after).map(({ path, kind }) => `${kind} ${path}`)).toEqual([
      "removed publicContact.phone",
      "added scientificContact.phone",
      "changed publicTitle",
      "added conditions[1]",
      "changed interventions[0].name",
      "changed eligibility.minAge.value",
      "added eligibility.maxAge",
      "changed targetSampleSize",
      "removed completionDate",
    ]);
  });

  it("treats a type change as one change at that path", () => {
    const after = amended((r) => ((r as unknown as Record<string, unknown>).targetSampleSize = "700"));
    expect(diffRecords(exampleTrialRecord, after)).toEqual([{ path: "targetSampleSize", kind: "changed", before: 700, after: "700" }]);
  });

  it("gives the same order whatever order the members were stored in", () => {
    const after = amended((r) => {
      r.publicTitle = "Changed";
      r.countries.push("FR");
      r.ipdSharingStatement.plan = "undecided";
      r.ethicsReview.committee = "Another committee";
    });
    const shuffled = JSON.parse(JSON.stringify(after, [...memberNames(after)].sort().reverse())) as TrialRecord;
    expect(diffRecords(exampleTrialRecord, shuffled)).toEqual(diffRecords(exampleTrialRecord, after));
    expect(diffRecords(exampleTrialRecord, after).map((change) => change.path)).toEqual([
      "publicTitle",
      "countries",
      "ethicsReview.committee",
      "ipdSharingStatement.plan",
    ]);
  });

  it("has a place in FIELD_ORDER for every field of the record", () => {
    const full = amended((r) => {
      r.summaryResults = "Results.";
      r.eligibility.maxAge = { value: 80, unit: "years" };
    });
    const unlisted = [...memberNames(full)].filter((name) => !FIELD_ORDER.includes(name));
    expect(unlisted).toEqual([]);
  });
});

describe("outcomeFlags", () => {
  it("flags nothing for an unchanged record, or one whose outcomes were only reordered", () => {
    expect(outcomeFlags(exampleTrialRecord, structuredClone(exampleTrialRecord))).toEqual([]);
    expect(outcomeFlags(exampleTrialRecord, amended((r) => r.secondaryOutcomes.reverse()))).toEqual([]);
    expect(outcomeFlags(exampleTrialRecord, amended((r) => (r.publicTitle = "Other")))).toEqual([]);
  });

  it("flags a primary outcome moved to secondary, and a secondary moved to primary", () => {
    const after = amended((r) => {
      const [primary] = r.primaryOutcomes;
      const promoted = outcome(r, "sbp-24w");
      if (!primary) throw new Error("example has a primary outcome");
      r.primaryOutcomes = [promoted];
      r.secondaryOutcomes = [primary, ...r.secondaryOutcomes.filter((item) => item !== promoted)];
    });
    const flags = outcomeFlags(exampleTrialRecord, after);
    expect(summary(flags)).toEqual([
      "primary-to-secondary sbp-12w: Primary outcome “Mean seated systolic blood pressure at 12 weeks” was moved to secondary.",
      "secondary-to-primary sbp-24w: Secondary outcome “Mean seated systolic blood pressure at 24 weeks” was moved to primary.",
    ]);
    expect(flags[0]?.before).toEqual(outcome(exampleTrialRecord, "sbp-12w"));
    expect(flags[0]?.after).toEqual(outcome(exampleTrialRecord, "sbp-12w"));
  });

  it("flags primary outcomes added and removed", () => {
    const after = amended((r) => {
      r.primaryOutcomes = [{ id: "home-sbp-12w", measure: "Mean home systolic blood pressure", timeFrame: "Week 12" }];
    });
    const flags = outcomeFlags(exampleTrialRecord, after);
    expect(summary(flags)).toEqual([
      "primary-removed sbp-12w: Primary outcome “Mean seated systolic blood pressure at 12 weeks” was removed.",
      "primary-added home-sbp-12w: Primary outcome “Mean home systolic blood pressure” was added.",
    ]);
    expect(flags[0]).not.toHaveProperty("after");
    expect(flags[1]).not.toHaveProperty("before");
  });

  it("flags secondary outcomes added and removed", () => {
    const after = amended((r) => {
      r.secondaryOutcomes = r.secondaryOutcomes.filter((item) => item.id !== "adherence");
      r.secondaryOutcomes.push({ id: "egfr", measure: "Change in eGFR", timeFrame: "24 weeks" });
    });
    expect(summary(outcomeFlags(exampleTrialRecord, after))).toEqual([
      "secondary-removed adherence: Secondary outcome “Adherence to blood-pressure-lowering treatment by pill count” was removed.",
      "secondary-added egfr: Secondary outcome “Change in eGFR” was added.",
    ]);
  });

  it("flags rewording of the measure or the description", () => {
    const after = amended((r) => {
      outcome(r, "sbp-12w").measure = "Mean seated systolic blood pressure at week 12";
      outcome(r, "control-12w").description = "Both systolic below 140 and diastolic below 90 mmHg.";
      const adverse = outcome(r, "adverse-events");
      adverse.measure = "Serious adverse events";
      adverse.description = "As defined by ICH E2A.";
    });
    expect(summary(outcomeFlags(exampleTrialRecord, after))).toEqual([
      "primary-reworded sbp-12w: Primary outcome “Mean seated systolic blood pressure at 12 weeks” was reworded to “Mean seated systolic blood pressure at week 12”.",
      "secondary-reworded control-12w: The description of secondary outcome “Proportion of participants with blood pressure below 140/90 mmHg” was added.",
      "secondary-reworded adverse-events: Secondary outcome “Adverse events leading to discontinuation of study treatment” was reworded to “Serious adverse events”, and its description was added.",
    ]);
    const removedDescription = amended((r) => delete outcome(r, "sbp-12w").description);
    expect(summary(outcomeFlags(exampleTrialRecord, removedDescription))).toEqual([
      "primary-reworded sbp-12w: The description of primary outcome “Mean seated systolic blood pressure at 12 weeks” was removed.",
    ]);
  });

  it("flags a changed time frame of primary and of secondary outcomes, saying which", () => {
    const after = amended((r) => {
      outcome(r, "sbp-12w").timeFrame = "24 weeks after randomisation";
      outcome(r, "adherence").timeFrame = "24 weeks after randomisation";
    });
    expect(summary(outcomeFlags(exampleTrialRecord, after))).toEqual([
      "time-frame-changed sbp-12w: The time frame of primary outcome “Mean seated systolic blood pressure at 12 weeks” changed from “12 weeks after randomisation” to “24 weeks after randomisation”.",
      "time-frame-changed adherence: The time frame of secondary outcome “Adherence to blood-pressure-lowering treatment by pill count” changed from “12 and 24 weeks after randomisation” to “24 weeks after randomisation”.",
    ]);
  });

  it("flags a move together with the rewording and re-timing that came with it", () => {
    const after = amended((r) => {
      const [primary] = r.primaryOutcomes;
      if (!primary) throw new Error("example has a primary outcome");
      r.primaryOutcomes = [{ id: "sbp-24w-new", measure: "Systolic blood pressure at 24 weeks", timeFrame: "24 weeks" }];
      r.secondaryOutcomes.push({ ...primary, measure: "Systolic blood pressure", timeFrame: "6 weeks" });
    });
    expect(outcomeFlags(exampleTrialRecord, after).map((flag) => `${flag.type} ${flag.outcomeId}`)).toEqual([
      "primary-to-secondary sbp-12w",
      "primary-reworded sbp-12w",
      "time-frame-changed sbp-12w",
      "primary-added sbp-24w-new",
    ]);
  });

  it("orders flags the same way for the same two versions, primary outcomes first", () => {
    const after = amended((r) => {
      r.secondaryOutcomes = r.secondaryOutcomes.filter((item) => item.id !== "control-12w");
      outcome(r, "sbp-24w").timeFrame = "26 weeks";
      r.primaryOutcomes.push({ id: "dbp-12w", measure: "Diastolic blood pressure", timeFrame: "12 weeks" });
      outcome(r, "sbp-12w").measure = "Systolic blood pressure";
    });
    const flags = outcomeFlags(exampleTrialRecord, after);
    expect(flags.map((flag) => flag.type)).toEqual(["primary-reworded", "primary-added", "secondary-removed", "time-frame-changed"]);
    const shuffled = JSON.parse(JSON.stringify(after, [...memberNames(after)].sort().reverse())) as TrialRecord;
    expect(outcomeFlags(exampleTrialRecord, shuffled)).toEqual(flags);
  });
});
