import { randomBytes } from "node:crypto";
import type { Role, SessionUser } from "@/lib/auth/roles";

/** A unique, valid email for one test, so tests never collide in a shared database. */
export function uniqueEmail(label = "user"): string {
  return `${label}-${randomBytes(6).toString("hex")}@example.org`;
}

/** A session for handler tests; the id need not exist for access decisions. */
export function sessionWith(roles: Role[], overrides: Partial<SessionUser> = {}): SessionUser {
  return { id: `test-${randomBytes(6).toString("hex")}`, email: uniqueEmail("session"), name: "Test Person", roles, ...overrides };
}

/** The error of class `kind` that `fn` throws; fails the test when it throws nothing or something else. */
export function thrownBy<E extends Error>(kind: abstract new (...args: never[]) => E, fn: () => unknown): E {
  try {
    fn();
  } catch (error) {
    if (error instanceof kind) return error;
    throw error;
  }
  throw new Error(`expected a ${kind.name}`);
}
