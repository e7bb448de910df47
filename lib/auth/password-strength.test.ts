import { describe, expect, it } from "vitest";
import { weakPasswordReason } from "@/lib/auth/password-strength";
import { signUpInput } from "@/lib/auth/schema";

describe("weakPasswordReason", () => {
  it("refuses common passwords of allowed length, and the email itself", () => {
    for (const common of ["password1234", "qwertyuiop123", "iloveyou12345", "123456789012", "Password123!"]) {
      expect(weakPasswordReason(common, {}), common).toBeDefined();
    }
    expect(weakPasswordReason("ann.smith@example.org", { email: "ann.smith@example.org" })).toContain("email");
    expect(weakPasswordReason("ANN.SMITH@example.org", { email: "ann.smith@example.org" })).toContain("email");
    expect(weakPasswordReason("ann.smith1234", { email: "ann.smith@example.org", name: "Ann Smith" })).toBeDefined();
  });

  it("accepts a few unrelated words", () => {
    expect(weakPasswordReason("correct horse battery", { email: "ann@example.org" })).toBeUndefined();
    expect(weakPasswordReason("tulip gravel orbit", {})).toBeUndefined();
  });
});

describe("signUpInput", () => {
  it("names the password field when the password is too easy to guess", () => {
    const result = signUpInput.safeParse({ name: "Ann", email: "ann@example.org", password: "password1234", accountType: "SPONSOR" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toEqual([["password"]]);
  });
});
