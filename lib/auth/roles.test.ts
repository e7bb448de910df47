import { describe, expect, it } from "vitest";
import { type SessionUser, decideAccess, roleOutside, rolesOf } from "@/lib/auth/roles";

const user = (roles: SessionUser["roles"]): SessionUser => ({ id: "u1", email: "a@example.org", name: "A", roles });

describe("decideAccess", () => {
  it("lets anyone through a public declaration", () => {
    expect(decideAccess("public", null)).toEqual({ ok: true });
  });
  it("refuses a missing session with UNAUTHENTICATED before looking at roles", () => {
    expect(decideAccess("signed-in", null)).toEqual({ ok: false, code: "UNAUTHENTICATED" });
    expect(decideAccess(["sponsor"], null)).toEqual({ ok: false, code: "UNAUTHENTICATED" });
  });
  it("requires one of the listed roles", () => {
    expect(decideAccess(["sponsor"], user(["researcher"]))).toEqual({ ok: false, code: "FORBIDDEN" });
    expect(decideAccess(["sponsor", "committee"], user(["committee"]))).toEqual({ ok: true });
    expect(decideAccess([], user(["site-admin"]))).toEqual({ ok: false, code: "FORBIDDEN" });
  });
  it("lets any account through signed-in", () => {
    expect(decideAccess("signed-in", user([]))).toEqual({ ok: true });
  });
});

describe("rolesOf", () => {
  it("derives roles from the account", () => {
    expect(rolesOf({ accountType: "SPONSOR", siteAdmin: false, committeeSeats: 0 })).toEqual(["sponsor"]);
    expect(rolesOf({ accountType: "RESEARCHER", siteAdmin: false, committeeSeats: 0 })).toEqual(["researcher"]);
    expect(rolesOf({ accountType: "SPONSOR", siteAdmin: true, committeeSeats: 2 })).toEqual(["sponsor", "committee", "site-admin"]);
  });
});

describe("roleOutside", () => {
  it("names roles a declaration refuses", () => {
    expect(roleOutside(["sponsor"])).toEqual(["researcher", "committee", "site-admin"]);
    expect(roleOutside("signed-in")).toBeUndefined();
    expect(roleOutside(["sponsor", "researcher", "committee", "site-admin"])).toBeUndefined();
  });
});
