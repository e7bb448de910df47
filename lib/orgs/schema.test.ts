import { describe, expect, it } from "vitest";
import { acceptInviteInput, inviteInput, slugify } from "@/lib/orgs/schema";

describe("slugify", () => {
  it("makes URL-safe slugs from any name", () => {
    expect(slugify("Northwind Clinical Research")).toBe("northwind-clinical-research");
    expect(slugify("  Hôpital Saint-Éloi & Co. ")).toBe("hopital-saint-eloi-co");
    expect(slugify("日本")).toBe("org");
    expect(slugify("a".repeat(60) + " b").length).toBeLessThanOrEqual(48);
    expect(slugify(`${"x".repeat(47)} y`)).not.toMatch(/-$/);
  });
});

describe("invitation input", () => {
  it("lower-cases the email and reads the checkbox", () => {
    expect(inviteInput.parse({ orgId: "o1", email: "Ann@Example.ORG", role: "MEMBER", committee: "true" })).toEqual({
      orgId: "o1",
      email: "ann@example.org",
      role: "MEMBER",
      committee: true,
    });
    expect(inviteInput.parse({ orgId: "o1", email: "a@example.org", role: "ADMIN" }).committee).toBe(false);
  });
  it("accepts only well-formed tokens", () => {
    expect(acceptInviteInput.safeParse({ token: "A".repeat(43) }).success).toBe(true);
    expect(acceptInviteInput.safeParse({ token: "../../etc" }).success).toBe(false);
  });
});
