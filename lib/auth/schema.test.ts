import { describe, expect, it } from "vitest";
import { signUpInput } from "@/lib/auth/schema";

describe("signUpInput", () => {
  const base = { name: "Ann", email: "ann@example.org", password: "twelve chars", accountType: "SPONSOR" };
  it("requires 12-character passwords and an institution for researchers", () => {
    expect(signUpInput.safeParse(base).success).toBe(true);
    expect(signUpInput.safeParse({ ...base, password: "elevenchars" }).success).toBe(false);
    const researcher = signUpInput.safeParse({ ...base, accountType: "RESEARCHER" });
    expect(researcher.success).toBe(false);
    expect(researcher.error?.issues[0]?.path).toEqual(["institution"]);
  });
});
