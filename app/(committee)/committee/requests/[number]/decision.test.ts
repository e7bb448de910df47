import { describe, expect, it } from "vitest";
import { capText, decisionPayload, placeErrors, takesConditions, takesEnd, takesReason, type DecisionDraft } from "@/app/(committee)/committee/requests/[number]/decision";
import { decisionInput } from "@/lib/access/schema";

const draft: DecisionDraft = {
  decision: undefined,
  end: "2027-12-02",
  conditions: "Publish the code of every analysis.",
  reason: "The analysis plan does not say how missing values are handled.",
  password: "correct horse",
};
const meaning = "I decide this request.";

describe("the decision form's input", () => {
  it("sends an approval with its end date and the signature, nothing typed for other decisions", () => {
    const input = decisionPayload("DAR-2026-00001", { ...draft, decision: "approve" }, meaning);
    expect(input).toEqual({ number: "DAR-2026-00001", decision: "approve", end: "2027-12-02", signature: { password: "correct horse", meaning } });
    const { number: _, ...rest } = input;
    expect(decisionInput.safeParse(rest).success).toBe(true);
  });

  it("sends conditions only with approve-with-conditions, and a reason only with return and deny", () => {
    const withConditions = decisionPayload("DAR-2026-00001", { ...draft, decision: "approve-with-conditions" }, meaning);
    expect(withConditions).toMatchObject({ conditions: draft.conditions, end: draft.end });
    expect(withConditions).not.toHaveProperty("reason");
    for (const decision of ["return", "deny"] as const) {
      const input = decisionPayload("DAR-2026-00001", { ...draft, decision }, meaning);
      expect(input).toMatchObject({ decision, reason: draft.reason });
      expect(input).not.toHaveProperty("end");
      expect(input).not.toHaveProperty("conditions");
      const { number: _, ...rest } = input;
      expect(decisionInput.safeParse(rest).success).toBe(true);
    }
  });

  it("leaves a denial without a reason for the schema to refuse", () => {
    const { number: _, ...rest } = decisionPayload("DAR-2026-00001", { ...draft, decision: "deny", reason: "" }, meaning);
    const parsed = decisionInput.safeParse(rest);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["reason"]);
  });

  it("carries no decision when none is chosen, so the server names the missing choice", () => {
    const input = decisionPayload("DAR-2026-00001", draft, meaning);
    expect(input).toEqual({ number: "DAR-2026-00001", signature: { password: "correct horse", meaning } });
  });

  it("says which fields each decision takes", () => {
    expect([takesEnd("approve"), takesEnd("approve-with-conditions"), takesEnd("deny"), takesEnd(undefined)]).toEqual([true, true, false, false]);
    expect([takesReason("return"), takesReason("deny"), takesReason("approve")]).toEqual([true, true, false]);
    expect([takesConditions("approve-with-conditions"), takesConditions("approve")]).toEqual([true, false]);
  });
});

describe("the TS cap and the errors", () => {
  it("explains the cap with its date, and says nothing without one", () => {
    expect(capText("2027-06-02")).toContain("by 2027-06-02 at the latest");
    expect(capText("2027-06-02T00:00:00.000Z")).toContain("2027-06-02 at");
    expect(capText(null)).toBeUndefined();
  });

  it("places field errors in the form's order and lists the others", () => {
    const { placed, unplaced } = placeErrors({
      "signature.password": ["That is not your password."],
      reason: ["Enter the reason for the denial."],
      "signature.meaning": ["The meaning has changed; read it again."],
    });
    expect(placed.map(([field]) => field)).toEqual(["reason", "signature.password"]);
    expect(unplaced).toEqual(["The meaning has changed; read it again."]);
    expect(placeErrors(undefined)).toEqual({ placed: [], unplaced: [] });
  });
});
