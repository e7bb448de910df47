// The disease ontology on the real database: the official Mondo release file (../shared/data)
// imported in full, the hierarchy walked both ways in SQL, search by label, a re-import that
// replaces the previous one, and the built-in seed.
import fs from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { BUILTIN_MONDO } from "@/lib/duo/builtin-mondo";
import { ancestorIds, descendantIds, ontologyRelease, searchTerms, termLabels, termsByIds } from "@/lib/duo/data";
import { importOntology, seedOntologyIfEmpty } from "@/lib/duo/mutations";
import { readObo } from "@/lib/duo/obo";
import { query } from "@/scripts/test/database";
import { sharedDataFile } from "@/scripts/test/shared-data";

const MONDO_FILE = sharedDataFile("mondo/mondo-2022-09-06-isa.obo");
/** `grep -c '^\[Term\]'` of the file; none of them is obsolete (`grep -c is_obsolete` is 0). */
const MONDO_TERMS = 22_382;

async function importFile(file: string) {
  const { header, terms } = await readObo(fs.createReadStream(file));
  const version = header.dataVersion ?? "unknown";
  return importOntology({ terms, version, source: version });
}

async function logEntries(): Promise<Array<{ body: Uint8Array }>> {
  return (await query(`SELECT body FROM "LogEntry" WHERE kind = 'ontology.imported' ORDER BY id`)) as Array<{ body: Uint8Array }>;
}

async function termCount(where = "true"): Promise<number> {
  const [row] = await query(`SELECT count(*)::int AS n FROM "OntologyTerm" WHERE ${where}`);
  return Number(row?.n);
}

describe("the Mondo ontology in the database", () => {
  it("seeds the built-in subset into an empty database, once", async () => {
    expect(await seedOntologyIfEmpty()).toBe(BUILTIN_MONDO.length);
    expect(await seedOntologyIfEmpty()).toBe(0);
    expect(await termCount()).toBe(BUILTIN_MONDO.length);
    expect(await ancestorIds(["MONDO:0005012"])).toEqual(expect.arrayContaining(["MONDO:0000001", "MONDO:0005105", "MONDO:0045024"]));
    expect(await descendantIds(["MONDO:0005044"])).toEqual(["MONDO:0001134", "MONDO:0005044"]);
    expect((await searchTerms("hypertension"))[0]).toEqual({ id: "MONDO:0001134", label: "essential hypertension" });
    expect((await ontologyRelease())?.version).toMatch(/built-in/);
  });

  it("imports the release file whole: every term, the hierarchy both ways, a log entry with version and count", { timeout: 180_000 }, async () => {
    const started = performance.now();
    const imported = await importFile(MONDO_FILE);
    const seconds = (performance.now() - started) / 1000;
    console.log(`[ontology] imported ${imported.terms} terms in ${seconds.toFixed(1)} s`);
    expect(imported).toEqual({ version: "mondo/releases/2022-09-06", terms: MONDO_TERMS });
    expect(await termCount()).toBe(MONDO_TERMS);
    expect(await termCount(`source = 'builtin'`)).toBe(0);
    expect(await ontologyRelease()).toMatchObject({ version: "mondo/releases/2022-09-06", terms: MONDO_TERMS });

    // cutaneous melanoma is-a melanoma is-a … disease or disorder
    const up = await ancestorIds(["MONDO:0005012"]);
    expect(up).toEqual(expect.arrayContaining(["MONDO:0005012", "MONDO:0005105", "MONDO:0000001"]));
    const down = await descendantIds(["MONDO:0005105"]);
    expect(down).toEqual(expect.arrayContaining(["MONDO:0005105", "MONDO:0005012"]));
    expect(down).not.toContain("MONDO:0000001");
    let started2 = performance.now();
    expect((await descendantIds(["MONDO:0000001"])).length).toBeGreaterThan(20_000);
    console.log(`[ontology] descendants of the root: ${(performance.now() - started2).toFixed(0)} ms`);
    started2 = performance.now();
    await ancestorIds(["MONDO:0005012"]);
    console.log(`[ontology] ancestors of cutaneous melanoma: ${(performance.now() - started2).toFixed(0)} ms`);

    const entries = await logEntries();
    const last = JSON.parse(Buffer.from(entries.at(-1)?.body ?? new Uint8Array()).toString("utf8")) as { details: unknown };
    expect(last.details).toEqual({ ontology: "mondo", version: "mondo/releases/2022-09-06", terms: MONDO_TERMS, source: "mondo/releases/2022-09-06" });
  });

  it("finds terms by the start of a label, by words of it, by a misspelling and by id, at most 20", async () => {
    const search = async (q: string) => (await searchTerms(q)).map((t) => `${t.id} ${t.label}`);
    expect((await search("melanoma"))[0]).toBe("MONDO:0005105 melanoma");
    expect(await search("type 2 diab")).toContain("MONDO:0005148 type 2 diabetes mellitus");
    expect((await search("cutaneous melan"))[0]).toBe("MONDO:0005012 cutaneous melanoma");
    expect(await search("essential hypertention")).toContain("MONDO:0001134 essential hypertension");
    expect(await search("MONDO:0005105")).toEqual(["MONDO:0005105 melanoma"]);
    expect(await searchTerms("disease")).toHaveLength(20);
    expect(await searchTerms("  ")).toEqual([]);
    // LIKE and regular-expression characters are taken literally
    for (const q of ["%", "_", "\\"]) expect(await searchTerms(q), q).toEqual([]);
    expect((await searchTerms("(")).every((t) => t.label.includes("("))).toBe(true);
    expect(await termsByIds(["MONDO:0005012", "MONDO:9999999", "MONDO:0005105"])).toEqual([
      { id: "MONDO:0005012", label: "cutaneous melanoma" },
      { id: "MONDO:0005105", label: "melanoma" },
    ]);
    const started = performance.now();
    for (const q of ["mel", "diabetes", "heart failure", "carcinom"]) {
      const t0 = performance.now();
      await searchTerms(q);
      console.log(`[ontology] search ${q}: ${(performance.now() - t0).toFixed(0)} ms`);
    }
    console.log(`[ontology] search: ${((performance.now() - started) / 4).toFixed(1)} ms a query over ${MONDO_TERMS} terms`);
  });

  it("replaces the previous import whole, and keeps it when an import fails half-way", { timeout: 180_000 }, async () => {
    const next = ["data-version: mondo/releases/2099-01-01", "", "[Term]", "id: MONDO:0000001", "name: disease", "", "[Term]", "id: MONDO:0005105", "name: melanoma (renamed)", 'synonym: "black cancer" EXACT []', "is_a: MONDO:0000001"].join("\n");
    const { header, terms } = await readObo(Readable.from([next]));
    expect(await importOntology({ terms, version: header.dataVersion ?? "", source: "test" })).toEqual({ version: "mondo/releases/2099-01-01", terms: 2 });
    expect(await termCount()).toBe(2);
    expect(await termLabels(["MONDO:0005105", "MONDO:0005012"])).toEqual(new Map([["MONDO:0005105", "melanoma (renamed)"]]));
    expect(await searchTerms("black canc")).toEqual([{ id: "MONDO:0005105", label: "melanoma (renamed)" }]);

    async function* broken() {
      yield { id: "MONDO:0000002", label: "new", synonyms: [], parents: [], obsolete: false };
      throw new Error("the file was cut off");
    }
    await expect(importOntology({ terms: broken(), version: "broken", source: "test" })).rejects.toThrow("the file was cut off");
    expect(await ontologyRelease()).toMatchObject({ version: "mondo/releases/2099-01-01", terms: 2 });
    expect(await termCount()).toBe(2);

    // And back to the real release, as the seed of the next test file would find it.
    expect((await importFile(MONDO_FILE)).terms).toBe(MONDO_TERMS);
    expect(await termCount()).toBe(MONDO_TERMS);
    expect((await logEntries()).length).toBe(4);
  });
});
