// Every server action and route handler of the portal, found by walking the source tree, with its
// declaration from lib/handler.ts. The access tests enumerate handlers through it, so a new route
// or action is covered (or makes a test fail) without anyone listing it.
import fs from "node:fs";
import path from "node:path";
import { type HandlerMeta, handlerMeta } from "@/lib/handler";

const ROOT = path.resolve(import.meta.dirname, "../..");

function walk(dir: string, match: (file: string) => boolean): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "generated" ? [] : walk(full, match);
    return match(full) ? [full] : [];
  });
}

const HTTP_METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

/** One export of a route file (an HTTP method) or of a "use server" file; `file` is relative to the repository. */
export type HandlerExport = { file: string; exportName: string; value: unknown };
export type DeclaredHandler = HandlerExport & { meta: HandlerMeta };

async function exportsOf(files: string[], filter: (name: string) => boolean): Promise<HandlerExport[]> {
  const entries: HandlerExport[] = [];
  for (const file of files) {
    const mod = (await import(file)) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(mod)) {
      if (filter(exportName)) entries.push({ file: path.relative(ROOT, file), exportName, value });
    }
  }
  return entries;
}

/** Route handlers are app/**\/route.ts exports named after HTTP methods; server actions are every export of a file that starts with "use server". */
export async function handlerExports(): Promise<{ routes: HandlerExport[]; actions: HandlerExport[] }> {
  const routeFiles = walk(path.join(ROOT, "app"), (f) => /[/\\]route\.tsx?$/.test(f));
  const actionFiles = [...walk(path.join(ROOT, "app"), (f) => /\.tsx?$/.test(f)), ...walk(path.join(ROOT, "lib"), (f) => /\.tsx?$/.test(f) && !f.endsWith(".test.ts"))].filter(
    (f) => /^\s*["']use server["']/.test(fs.readFileSync(f, "utf8")),
  );
  return { routes: await exportsOf(routeFiles, (name) => HTTP_METHODS.has(name)), actions: await exportsOf(actionFiles, () => true) };
}

/** The exports declared through lib/handler.ts, with their declarations. */
export function declaredHandlers(exports: HandlerExport[]): DeclaredHandler[] {
  return exports.flatMap((entry) => {
    const meta = handlerMeta(entry.value);
    return meta ? [{ ...entry, meta }] : [];
  });
}
