// The handler registry as tests see it: every route handler (app/**/route.ts) and server action
// (files that start with "use server"), found by walking the source tree, so a new route or action
// is covered by every test that walks them (access control, malformed input) without being listed.
import fs from "node:fs";
import path from "node:path";
import type { SessionUser } from "@/lib/auth/roles";
import { type HandlerMeta, handlerMeta } from "@/lib/handler";

export const ROOT = path.resolve(import.meta.dirname, "../..");

function walk(dir: string, match: (file: string) => boolean): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "generated" ? [] : walk(full, match);
    return match(full) ? [full] : [];
  });
}

/** Route handlers are app/**\/route.ts; server actions are files that start with "use server". */
export const routeFiles = walk(path.join(ROOT, "app"), (f) => /[/\\]route\.tsx?$/.test(f));
export const actionFiles = [
  ...walk(path.join(ROOT, "app"), (f) => /\.tsx?$/.test(f)),
  ...walk(path.join(ROOT, "lib"), (f) => /\.tsx?$/.test(f) && !f.endsWith(".test.ts")),
].filter((f) => /^\s*["']use server["']/.test(fs.readFileSync(f, "utf8")));

export const HTTP_METHODS = new Set(["GET", "PUT", "POST", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

export type Entry = { file: string; exportName: string; value: unknown };

export async function exportsOf(files: string[], filter: (name: string) => boolean): Promise<Entry[]> {
  const entries: Entry[] = [];
  for (const file of files) {
    const mod = (await import(file)) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(mod)) {
      if (filter(exportName)) entries.push({ file: path.relative(ROOT, file), exportName, value });
    }
  }
  return entries;
}

/** A route's URL path and its dynamic segments: app/(public)/trials/[number]/fhir/route.ts → /trials/[number]/fhir, ["number"]. */
export function routePathOf(file: string): { path: string; params: { name: string; catchAll: boolean }[] } {
  const segments = path
    .dirname(path.relative(path.join(ROOT, "app"), path.resolve(ROOT, file)))
    .split(path.sep)
    .filter((segment) => segment !== "." && !/^\(.*\)$/.test(segment));
  const params = segments.flatMap((segment) => {
    const match = /^\[(\.\.\.)?([^\]]+)\]$/.exec(segment);
    return match?.[2] ? [{ name: match[2], catchAll: match[1] !== undefined }] : [];
  });
  return { path: `/${segments.join("/")}`, params };
}

export type DeclaredRoute = Entry & { meta: HandlerMeta; method: string } & ReturnType<typeof routePathOf>;
export type DeclaredAction = Entry & { meta: HandlerMeta };

/** Every exported route method and action that is declared through lib/handler.ts. */
export async function declaredHandlers(): Promise<{ routes: DeclaredRoute[]; actions: DeclaredAction[] }> {
  const routes = (await exportsOf(routeFiles, (name) => HTTP_METHODS.has(name))).flatMap((entry) => {
    const meta = handlerMeta(entry.value);
    return meta ? [{ ...entry, meta, method: entry.exportName, ...routePathOf(entry.file) }] : [];
  });
  const actions = (await exportsOf(actionFiles, () => true)).flatMap((entry) => {
    const meta = handlerMeta(entry.value);
    return meta ? [{ ...entry, meta }] : [];
  });
  return { routes, actions };
}

/** Every exported route method and server action, declared through lib/handler.ts or not (the access test fails on those that are not). */
export async function handlerExports(): Promise<{ routes: Entry[]; actions: Entry[] }> {
  return { routes: await exportsOf(routeFiles, (name) => HTTP_METHODS.has(name)), actions: await exportsOf(actionFiles, () => true) };
}

/** One call of a handler, as the authorization tests make it. */
export type HandlerCall =
  | { kind: "route"; method: "GET" | "POST" | "PATCH" | "HEAD" | "DELETE"; url: string; params: Record<string, string>; body?: BodyInit; headers?: Record<string, string> }
  | { kind: "action"; input: Record<string, unknown> };

/**
 * Makes the call as `person` and gives its HTTP status. An action that redirects on success (as
 * registration does) ends in Next's redirect signal: 303 here.
 */
export async function callAs(meta: HandlerMeta, person: SessionUser, call: HandlerCall): Promise<number> {
  if (call.kind === "route") {
    if (!meta.respondAs) throw new Error(`${meta.name} is not a route`);
    const request = new Request(call.url, { method: call.method, body: call.body, headers: call.headers });
    return (await meta.respondAs(person, request, { params: Promise.resolve(call.params) })).status;
  }
  try {
    return (await meta.invokeAs(person, call.input)).status;
  } catch (error) {
    if (String((error as { digest?: unknown }).digest).startsWith("NEXT_REDIRECT")) return 303;
    throw error;
  }
}
