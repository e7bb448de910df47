import { describe, expect, it } from "vitest";
import { multiLine, singleLine, textProblem } from "@/lib/schema/text";

const NUL = String.fromCharCode(0);
const FORM_FEED = String.fromCharCode(12);
const LONE_HIGH = String.fromCharCode(0xd800);
const LONE_LOW = String.fromCharCode(0xdc00);

describe("plain text", () => {
  it.each([
    ["NUL", `Trial${NUL}title`],
    ["form feed", `Trial${FORM_FEED}title`],
    ["escape", "Trial\u001btitle"],
    ["DEL", "Trial\u007ftitle"],
    ["C1 control", "Trial\u0085title"],
    ["lone high surrogate", `Trial ${LONE_HIGH}`],
    ["lone low surrogate", `${LONE_LOW} Trial`],
    ["reversed pair", `${LONE_LOW}${LONE_HIGH}`],
  ])("refuses %s in both kinds", (_label, value) => {
    expect(textProblem(value, "single-line")).toMatch(/^Remove /);
    expect(textProblem(value, "multi-line")).toMatch(/^Remove /);
  });

  it("allows tab, line feed and carriage return in multi-line text only", () => {
    const paragraph = "Inclusion:\r\n\t- adults\n\t- consent given";
    expect(textProblem(paragraph, "multi-line")).toBeUndefined();
    expect(textProblem(paragraph, "single-line")).toBe("Remove a line break (U+000D) at character 11: this field is one line.");
    expect(textProblem("a\u2028b", "single-line")).toMatch(/line break/);
  });

  it("allows any well-formed character, astral ones included", () => {
    expect(textProblem("Étude 😀 试验 — Ω", "single-line")).toBeUndefined();
  });

  it("names the character and its position in code points", () => {
    expect(textProblem(`😀ab${NUL}`, "single-line")).toBe("Remove a control character (U+0000) at character 4.");
    expect(textProblem(`x${LONE_HIGH}`, "multi-line")).toBe("Remove an unpaired surrogate (U+D800) at character 2.");
  });

  it("trims before checking, so a trailing line break is dropped, not refused", () => {
    expect(singleLine().parse("  A title\n")).toBe("A title");
    expect(multiLine().parse("\nFirst\nSecond\n")).toBe("First\nSecond");
    const refused = singleLine().safeParse(`A${FORM_FEED}title`);
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toContain("U+000C");
  });
});
