import { describe, expect, it } from "vitest";
import { safeCallbackPath, signUpInput } from "@/lib/auth/schema";

describe("safeCallbackPath", () => {
  it("keeps same-site paths and drops everything else", () => {
    expect(safeCallbackPath("/orgs/acme?tab=members")).toBe("/orgs/acme?tab=members");
    expect(safeCallbackPath("https://evil.example/")).toBe("/dashboard");
    expect(safeCallbackPath("//evil.example/")).toBe("/dashboard");
    expect(safeCallbackPath("/\\evil.example")).toBe("/dashboard");
    expect(safeCallbackPath(undefined, "/")).toBe("/");
  });
});

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
