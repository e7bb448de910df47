import { randomBytes } from "node:crypto";
import type { Role, SessionUser } from "@/lib/auth/roles";
import { handlerMeta } from "@/lib/handler";

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

/**
 * Calls a public route handler through its wrapper with a JSON POST, as a browser with `headers`
 * would (no session).
 */
export function publicPost(handler: unknown, headers: Record<string, string> = {}): (body: unknown, params?: Record<string, string>) => Promise<Response> {
  const respond = handlerMeta(handler)?.respondAs;
  if (!respond) throw new Error("not a wrapped route handler");
  return (body, params = {}) =>
    respond(
      null,
      new Request("http://localhost/api/consent", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) }),
      { params: Promise.resolve(params) },
    );
}
