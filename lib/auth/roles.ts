/**
 * Roles and the access rule every server action and route handler declares. Pure: no I/O, so
 * the rule is unit-tested directly and the wrapper in lib/handler.ts only feeds it a session.
 */

export const ROLES = ["sponsor", "researcher", "committee", "site-admin"] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in person as every handler sees it. Never carries a password hash or a token. */
export type SessionUser = { id: string; email: string; name: string; roles: Role[] };

/**
 * - `public`: anyone, signed in or not (the catalogue, the verifier, sign-up itself).
 * - `signed-in`: any account, whatever its roles (own password, own profile).
 * - a list of roles: an account holding at least one of them.
 */
export type Access = "public" | "signed-in" | readonly Role[];

export type AccessDecision = { ok: true } | { ok: false; code: "UNAUTHENTICATED" | "FORBIDDEN" };

export function decideAccess(access: Access, session: SessionUser | null): AccessDecision {
  if (access === "public") return { ok: true };
  if (!session) return { ok: false, code: "UNAUTHENTICATED" };
  if (access === "signed-in") return { ok: true };
  return session.roles.some((role) => access.includes(role)) ? { ok: true } : { ok: false, code: "FORBIDDEN" };
}

/** The facts about an account that its roles follow from. */
export type RoleFacts = {
  accountType: "SPONSOR" | "RESEARCHER";
  siteAdmin: boolean;
  committeeSeats: number;
};

/**
 * Roles follow from the account, not from a stored list, so they cannot drift: sponsor staff are
 * `sponsor` (what they may do in a given organisation is checked against their membership there),
 * researchers `researcher`, a seat on any data-access committee adds `committee`.
 */
export function rolesOf(facts: RoleFacts): Role[] {
  const roles: Role[] = [facts.accountType === "SPONSOR" ? "sponsor" : "researcher"];
  if (facts.committeeSeats > 0) roles.push("committee");
  if (facts.siteAdmin) roles.push("site-admin");
  return roles;
}

/** A role set that `access` refuses, for the access test; undefined when every signed-in user passes. */
export function roleOutside(access: Access): Role[] | undefined {
  if (access === "public" || access === "signed-in") return undefined;
  const outside = ROLES.filter((role) => !access.includes(role));
  return outside.length > 0 ? outside : undefined;
}
