// The route files under app/ as OpenAPI operations, for the tests that every route is documented.
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Every exported method of every route under `dir` (app-relative), as [method, OpenAPI path]. */
export function operationsUnder(dir: string): [string, string][] {
  const base = path.join(ROOT, "app", dir);
  return fs
    .readdirSync(base, { recursive: true, encoding: "utf8" })
    .filter((file) => /(^|[/\\])route\.tsx?$/.test(file))
    .flatMap((file) => {
      const url = `/${dir}/${path.dirname(file)}`.split(path.sep).join("/").replace(/\/\.$/, "").replace(/\[([^\]]+)\]/g, "{$1}");
      const source = fs.readFileSync(path.join(base, file), "utf8");
      return [...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m): [string, string] => [(m[1] ?? "").toLowerCase(), url]);
    });
}
