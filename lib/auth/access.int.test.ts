// Every server action and route handler, found by walking the source tree, must be declared
// through lib/handler.ts, and every one that is not declared public must refuse a request without
// a session (401) and, where its declaration names roles, a session with none of them (403).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROLES, roleOutside } from "@/lib/auth/roles";
import { handlerMeta } from "@/lib/handler";
import { sessionWith } from "@/scripts/test/support";

const ROOT = path.resolve(import.meta.dirname, "../..");

function walk(dir: string, match: (file: string) => boolean): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "generated" ? [] : walk(full, match);
    return match(full) ? [full] : [];
  });
}

/** Route handlers are app/**\/route.ts; server actions are files that start with "use server". */
const routeFiles = walk(path.join(ROOT, "app"), (f) => /[/\\]route\.tsx?$/.test(f));
const actionFiles = [...walk(path.join(ROOT, "app"), (f) => /\.tsx?$/.test(f)), ...walk(path.join(ROOT, "lib"), (f) => /\.tsx?$/.test(f) && !f.endsWith(".test.ts"))].filter(
  (f) => /^\s*["']use server["']/.test(fs.readFileSync(f, "utf8")),
);

/** Handlers that anyone may call, with the reason. A new public handler must be added here. */
const DECLARED_PUBLIC: Record<string, string> = {
  "auth.signUp": "creating an account needs no account",
  "auth.signIn": "signing in needs no session",
  "auth.requestMagicLink": "signing in needs no session",
  "auth.endpoint.get": "Auth.js's own endpoints (CSRF token, session, magic-link callback)",
  "auth.endpoint.post": "Auth.js's own endpoints (sign-in callbacks)",
  "prefs.setTheme": "a display preference",
  health: "monitoring, no data",
  deployments: "verifiers must learn the contracts to trust from the operator, not from a receipt; addresses are public on chain",
  "dev.mailbox": "development only; absent in production",
  "trials.list": "the registry is public: registered trials are published for anyone (WHO registry criteria)",
  "trials.get": "the registry is public: every version of a record is published, so amendments are visible",
  "trials.receipt": "receipts exist so anyone can verify a record without trusting the portal",
  "trials.record": "the frozen registration record, which anyone may verify against its receipt",
  "trials.fileReceipt": "receipts of registered files, for independent verification",
  "files.get": "files attached to registered trials are public, to be verified",
  openapi: "describes the public API; no data",
  "trials.fhir": "public registry data (FHIR)",
  "consent.enrolment.check": "participants have no account by design (DESIGN.md consent model); spends nothing",
  "consent.enrolment.redeem": "participants have no account; the single-use code is the authorisation",
  "consent.trials": "which trials take participants is public, like the registry",
  "consent.overview": "the consent tally is public transparency data",
  "consent.group": "the group's commitments are public on chain; devices need them to prove membership",
  "consent.events": "every decision and its proof is public on chain, for anyone to re-verify",
  "consent.decide": "participants have no account; the zero-knowledge proof is the authorisation",
  "consent.handover.answer": "participants have no account; the proof over the one-time challenge is the authorisation",
};

const HTTP_METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

type Entry = { file: string; exportName: string; value: unknown };

async function exportsOf(files: string[], filter: (name: string) => boolean): Promise<Entry[]> {
  const entries: Entry[] = [];
  for (const file of files) {
    const mod = (await import(file)) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(mod)) {
      if (filter(exportName)) entries.push({ file: path.relative(ROOT, file), exportName, value });
    }
  }
  return entries;
}

describe("access control of every action and route", async () => {
  const routes = await exportsOf(routeFiles, (name) => HTTP_METHODS.has(name));
  const actions = await exportsOf(actionFiles, (name) => typeof name === "string");
  const all = [...routes, ...actions];

  it("finds the handlers", () => {
    expect(routes.length).toBeGreaterThanOrEqual(4);
    expect(actions.length).toBeGreaterThanOrEqual(8);
  });

  it.each(all.map((e) => [`${e.file} ${e.exportName}`, e] as const))("%s is declared through the wrapper", (_label, entry) => {
    expect(handlerMeta(entry.value), `${entry.file} exports ${entry.exportName} without lib/handler.ts`).toBeDefined();
  });

  const declared = all.flatMap((entry) => {
    const meta = handlerMeta(entry.value);
    return meta ? [{ ...entry, meta }] : [];
  });

  it("declares public only what is listed as public, with a reason", () => {
    const publicNames = declared.filter((d) => d.meta.access === "public").map((d) => d.meta.name);
    expect(new Set(publicNames)).toEqual(new Set(Object.keys(DECLARED_PUBLIC)));
  });

  const guarded = declared.filter((d) => d.meta.access !== "public");

  it.each(guarded.map((d) => [`${d.meta.kind} ${d.meta.name}`, d] as const))("%s refuses a missing session with 401", async (_label, d) => {
    const request = new Request("http://localhost/api/x", { method: d.exportName === "GET" ? "GET" : "POST" });
    const result = await d.meta.invokeAs(null, ...(d.meta.kind === "route" ? [request] : [{}]));
    expect(result.status).toBe(401);
  });

  it.each(guarded.map((d) => [`${d.meta.kind} ${d.meta.name}`, d] as const))("%s refuses a role it does not allow with 403", async (_label, d) => {
    const outside = roleOutside(d.meta.access);
    if (!outside) {
      // Declared for any signed-in account: every role passes the role check.
      expect(d.meta.access).toBe("signed-in");
      return;
    }
    expect(outside.every((r) => ROLES.includes(r))).toBe(true);
    const request = new Request("http://localhost/api/x", { method: "POST" });
    const result = await d.meta.invokeAs(sessionWith(outside), ...(d.meta.kind === "route" ? [request] : [{}]));
    expect(result.status).toBe(403);
  });
});
