import { describe, expect, it } from "vitest";
import { auditFilterFrom, auditFilterInput, subjectFilterOf } from "@/lib/audit/schema";

describe("audit filter", () => {
  it("ignores blank fields, as an empty form sends them", () => {
    expect(auditFilterInput.parse({ actor: "", kind: "", subject: " ", from: "", to: "", org: "", before: "" })).toEqual({});
  });

  it("reads times as UTC; a bare day as `to` means its end", () => {
    const parsed = auditFilterInput.parse({ from: "2026-12-02", to: "2026-12-02", before: "42" });
    expect(parsed.from?.toISOString()).toBe("2026-12-02T00:00:00.000Z");
    expect(parsed.to?.toISOString()).toBe("2026-12-02T23:59:59.999Z");
    expect(parsed.before).toBe(42n);
    expect(auditFilterInput.parse({ from: "2026-12-02T14:30" }).from?.toISOString()).toBe("2026-12-02T14:30:00.000Z");
  });

  it("refuses an unknown kind, a time that is not one, a cursor past bigint, and control characters", () => {
    for (const bad of [{ kind: "auth.nope" }, { from: "yesterday" }, { to: "12/02/2026" }, { before: "9223372036854775808" }, { before: "-1" }, { actor: `a${String.fromCharCode(0)}b` }]) {
      expect(auditFilterInput.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(auditFilterInput.parse({ before: "9223372036854775807" }).before).toBe(2n ** 63n - 1n);
  });

  it("drops the fields of a hand-edited address that do not parse and names them, keeping the rest", () => {
    const { filter, errors } = auditFilterFrom({ kind: "auth.signed-in", from: "soon", actor: ["a@example.org", "b@example.org"] });
    expect(filter).toEqual({ kind: "auth.signed-in", actor: "a@example.org" });
    expect(Object.keys(errors)).toEqual(["from"]);
  });

  it("splits a subject into its type and id", () => {
    expect(subjectFilterOf("trial")).toEqual({ type: "trial" });
    expect(subjectFilterOf("trial:TLR-2026-00001")).toEqual({ type: "trial", id: "TLR-2026-00001" });
    expect(subjectFilterOf("trial:")).toEqual({ type: "trial" });
  });
});
