// `npm run ontology:import -- <file>` as an operator runs it: a child process on its own database
// connection (a PGlite directory, or this file's PostgreSQL database), importing the official
// Mondo release file from ../shared/data; and its refusals of a missing file and of a file that
// is not Mondo, which leave the ontology as it was.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { createPGlite } from "@/lib/pglite";
import { query } from "@/scripts/test/database";
import { sharedDataFile } from "@/scripts/test/shared-data";

const run = promisify(execFile);
const MONDO_FILE = sharedDataFile("mondo/mondo-2022-09-06-isa.obo");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-ontology-"));
const pgliteDir = path.join(dir, "pglite");
const onServer = Boolean(process.env.DATABASE_URL);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function importCommand(...args: string[]): Promise<{ code: number; out: string }> {
  // The child gets this file's database: its PostgreSQL database, or a PGlite directory of its own
  // (the test's PGlite is in memory, which another process cannot open).
  const env: NodeJS.ProcessEnv = { ...process.env, ...(onServer ? {} : { PGLITE_DIR: pgliteDir }) };
  try {
    const tsx = path.resolve("node_modules/.bin/tsx");
    const { stdout, stderr } = await run(tsx, ["--conditions=react-server", "scripts/ontology-import.ts", ...args], { env, timeout: 120_000 });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/** Terms and release as the child left them. */
async function stored(): Promise<{ terms: number; release: string | undefined }> {
  const sql = `SELECT (SELECT count(*)::int FROM "OntologyTerm") AS terms, (SELECT version FROM "OntologyRelease" WHERE ontology = 'mondo') AS release`;
  if (onServer) {
    const [row] = await query(sql);
    return { terms: Number(row?.terms), release: row?.release as string | undefined };
  }
  const db = await createPGlite(pgliteDir);
  try {
    const { rows } = await db.query<{ terms: number; release: string | null }>(sql);
    return { terms: rows[0]?.terms ?? -1, release: rows[0]?.release ?? undefined };
  } finally {
    await db.close();
  }
}

describe("npm run ontology:import", { timeout: 180_000 }, () => {
  it("imports the Mondo release file, printing progress and the count", async () => {
    const result = await importCommand(MONDO_FILE);
    expect(result.out).toContain("20,000 terms read");
    expect(result.out).toMatch(/Imported 22,382 terms of Mondo mondo\/releases\/2022-09-06 in \d+\.\d s\./);
    expect(result.code).toBe(0);
    expect(await stored()).toEqual({ terms: 22_382, release: "mondo/releases/2022-09-06" });
  });

  it("refuses a missing file and a file of another ontology, and leaves the ontology as it was", async () => {
    const missing = await importCommand(path.join(dir, "absent.obo"));
    expect(missing.code).toBe(1);
    expect(missing.out).toContain("No such file:");
    const other = path.join(dir, "hp.obo");
    fs.writeFileSync(other, "format-version: 1.2\ndata-version: hp/releases/2024-01-01\nontology: hp\n\n[Term]\nid: HP:0000001\nname: All\n");
    const wrong = await importCommand(other);
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContain('is the ontology "hp", not Mondo');
    const empty = path.join(dir, "empty.obo");
    fs.writeFileSync(empty, "format-version: 1.2\ndata-version: mondo/releases/2099-01-01\nontology: mondo\n");
    const none = await importCommand(empty);
    expect(none.code).toBe(1);
    expect(none.out).toContain("holds no Mondo terms");
    expect(await stored()).toEqual({ terms: 22_382, release: "mondo/releases/2022-09-06" });
    expect((await importCommand()).out).toContain("Usage: npm run ontology:import -- <mondo.obo>");
  });
});
