import { describe, expect, it } from "vitest";
import { demoDictionary, syntheticRows } from "@/lib/datasets/synthetic";
import { validateTabular } from "@/lib/datasets/validate";

const pseudonyms = Array.from({ length: 60 }, (_, i) => `${9_000_000_000_000_000_000n + BigInt(i) * 7_919n}`);

async function validate(text: string, known: readonly string[]) {
  return validateTabular(
    (async function* () {
      yield new TextEncoder().encode(text);
    })(),
    { format: "csv", dictionary: demoDictionary(), knownPseudonyms: (values) => Promise.resolve(new Set(values.filter((v) => known.includes(v)))) },
  );
}

describe("the demo's synthetic release", () => {
  it("validates cleanly against its own dictionary: a few hundred rows keyed by the given pseudonyms", async () => {
    const text = [...syntheticRows(pseudonyms, { visits: 5, seed: 2026 })].join("");
    const report = await validate(text, pseudonyms);
    expect(report).toMatchObject({ rows: 300, errors: 0, hasErrors: false, fatal: null });
    expect(report.columns).toEqual(demoDictionary().columns.map((c) => c.name));
    // The rows are keyed by exactly those pseudonyms: one not proved makes its rows errors.
    expect((await validate(text, pseudonyms.slice(1))).unknownPseudonyms).toMatchObject({ count: 1, rows: 5 });
  });

  it("is deterministic in its seed and looks like the trial: the triple pill lowers pressure more", () => {
    const a = [...syntheticRows(pseudonyms, { seed: 7 })];
    expect([...syntheticRows(pseudonyms, { seed: 7 })]).toEqual(a);
    expect([...syntheticRows(pseudonyms, { seed: 8 })]).not.toEqual(a);
    const header = (a[0] ?? "").trim().split(",");
    const rows = a.slice(1).map((line): Record<string, string> => Object.fromEntries(line.trim().split(",").map((v, i) => [header[i] ?? "", v])));
    const mean = (arm: string, week: string) => {
      const values = rows.filter((r) => r.arm === arm && r.visit_week === week).map((r) => Number(r.systolic_mmhg));
      return values.reduce((s, v) => s + v, 0) / values.length;
    };
    const fall = (arm: string) => mean(arm, "0") - mean(arm, "24");
    expect(fall("TRIPLE") - fall("UC")).toBeGreaterThan(6);
    expect(new Set(rows.map((r) => r.adverse_event))).toEqual(new Set(["true", "false"]));
  });
});
