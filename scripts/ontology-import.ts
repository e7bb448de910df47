// npm run ontology:import -- <mondo.obo> — replaces the disease ontology in the configured
// database with a Mondo release file in OBO format (https://mondo.monarchinitiative.org/,
// mondo.obo), read as a stream, in one transaction: the previous release stays in place if
// anything fails. The embedded database must not be open in a running portal.
import fs from "node:fs";
import { migrationTarget } from "@/lib/db";
import { importOntology } from "@/lib/duo/mutations";
import { readObo } from "@/lib/duo/obo";
import { applyMigrations } from "@/lib/migrate";
import { runScript } from "@/scripts/lib/run-script";

/** Progress every 5,000 terms: four or five lines for Mondo's 22,000–50,000. */
const EVERY = 5000;

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error("Usage: npm run ontology:import -- <mondo.obo>");
  if (!fs.existsSync(file)) throw new Error(`No such file: ${file}`);
  const { header, terms } = await readObo(fs.createReadStream(file));
  if (header.ontology !== undefined && header.ontology !== "mondo") throw new Error(`${file} is the ontology "${header.ontology}", not Mondo.`);
  const version = header.dataVersion;
  if (!version) throw new Error(`${file} has no data-version header: which Mondo release is it?`);

  await applyMigrations(migrationTarget());
  const started = performance.now();
  let read = 0;
  async function* counted() {
    for await (const term of terms) {
      read++;
      if (read % EVERY === 0) console.log(`  ${read.toLocaleString("en-US")} terms read`);
      yield term;
    }
  }
  console.log(`Importing Mondo ${version} from ${file}`);
  const imported = await importOntology({ terms: counted(), version, source: version });
  console.log(`Imported ${imported.terms.toLocaleString("en-US")} terms of Mondo ${version} in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}

runScript(main);
