// bench/validate — throughput of dataset validation (lib/datasets/validate.ts) on a generated
// ~200 MB CSV (the demo's synthetic release for 100,000 pseudonyms × 15 visits), beside a plain
// csv-parse pass over the same file in the same run (records counted, nothing checked: the floor a
// validation built on csv-parse can approach). Each pass runs in a child process of its own, so its
// peak RSS (getrusage maxrss) is its own; 2 runs each, alternating, best kept. Pseudonyms are
// looked up in an in-memory set: this measures the parsing and checking, not the database.
// MB is 10^6 bytes. Usage: npm run bench:validate
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

// BENCH_PSEUDONYMS=25000 BENCH_VISITS=60 makes the same size with a quarter of the pseudonyms, and
// BENCH_PSEUDONYMS=25000 alone a quarter of the file: peak RSS follows the distinct pseudonyms
// (remembered after their lookup, ≤ 200,000), not the file's size.
const PSEUDONYMS = Number(process.env.BENCH_PSEUDONYMS ?? 100_000);
const VISITS = Number(process.env.BENCH_VISITS ?? 15);
const RUNS = 2;

type Pass = { seconds: number; rows: number; maxRssMb: number; errors?: number };

/** One pass in this process (the child): prints its figures as JSON. */
async function child(kind: string, file: string, pseudonymFile: string): Promise<void> {
  const t0 = performance.now();
  let rows = 0;
  let errors: number | undefined;
  if (kind === "plain") {
    const { parse } = await import("csv-parse");
    for await (const record of fs.createReadStream(file).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true }))) {
      if ((record as string[]).length) rows++;
    }
    rows--;
  } else {
    const { validateTabular } = await import("@/lib/datasets/validate");
    const { demoDictionary } = await import("@/lib/datasets/synthetic");
    const known = new Set(fs.readFileSync(pseudonymFile, "utf8").split("\n"));
    const report = await validateTabular(fs.createReadStream(file), {
      format: "csv",
      dictionary: demoDictionary(),
      knownPseudonyms: (values) => Promise.resolve(new Set(values.filter((v) => known.has(v)))),
    });
    rows = report.rows;
    errors = report.errors;
  }
  const seconds = (performance.now() - t0) / 1000;
  // maxRSS is in kibibytes on Linux.
  const pass: Pass = { seconds, rows, maxRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6, ...(errors === undefined ? {} : { errors }) };
  process.stdout.write(JSON.stringify(pass));
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-bench-validate-"));
  try {
    const file = path.join(dir, "visits.csv");
    const pseudonymFile = path.join(dir, "pseudonyms.txt");
    const { syntheticRows } = await import("@/lib/datasets/synthetic");
    const pseudonyms = Array.from({ length: PSEUDONYMS }, () => BigInt(`0x${randomBytes(31).toString("hex")}`).toString());
    fs.writeFileSync(pseudonymFile, pseudonyms.join("\n"));
    const out = fs.createWriteStream(file);
    let batch = "";
    for (const line of syntheticRows(pseudonyms, { visits: VISITS, seed: 1 })) {
      batch += line;
      if (batch.length > 1 << 20) {
        if (!out.write(batch)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
        batch = "";
      }
    }
    out.end(batch);
    await new Promise<void>((resolve) => out.once("finish", () => resolve()));
    const bytes = fs.statSync(file).size;
    console.log(`file: ${(bytes / 1e6).toFixed(0)} MB, ${(PSEUDONYMS * VISITS).toLocaleString("en-GB")} rows, ${PSEUDONYMS.toLocaleString("en-GB")} pseudonyms; node ${process.version}, ${os.cpus().length} cores (shared)`);

    const run = promisify(execFile);
    const once = async (kind: string): Promise<Pass> => {
      const { stdout } = await run(process.execPath, [...process.execArgv, import.meta.filename, kind, file, pseudonymFile], { maxBuffer: 1 << 20 });
      return JSON.parse(stdout) as Pass;
    };
    const best: Record<string, Pass> = {};
    for (let i = 0; i < RUNS; i++) {
      for (const kind of ["plain", "validate"]) {
        const pass = await once(kind);
        const mbps = bytes / 1e6 / pass.seconds;
        console.log(`  run ${i + 1} ${kind.padEnd(8)} ${pass.seconds.toFixed(2)} s  ${mbps.toFixed(1)} MB/s  ${pass.rows.toLocaleString("en-GB")} rows  peak RSS ${pass.maxRssMb.toFixed(0)} MB${pass.errors === undefined ? "" : `  errors ${pass.errors}`}`);
        if (!best[kind] || pass.seconds < (best[kind]?.seconds ?? Infinity)) best[kind] = pass;
      }
    }
    const plain = best.plain;
    const validate = best.validate;
    if (!plain || !validate) throw new Error("a pass is missing");
    if (validate.errors !== 0) throw new Error(`the synthetic file should validate cleanly, got ${validate.errors} errors`);
    if (validate.rows !== plain.rows) throw new Error(`row counts differ: ${validate.rows} validated, ${plain.rows} parsed`);
    console.log(
      `best: csv-parse ${(bytes / 1e6 / plain.seconds).toFixed(1)} MB/s (peak RSS ${plain.maxRssMb.toFixed(0)} MB); ` +
        `validateTabular ${(bytes / 1e6 / validate.seconds).toFixed(1)} MB/s (peak RSS ${validate.maxRssMb.toFixed(0)} MB); ` +
        `ratio ${(plain.seconds / validate.seconds).toFixed(2)} × csv-parse`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const [kind, file, pseudonymFile] = process.argv.slice(2);
if (kind && file && pseudonymFile) await child(kind, file, pseudonymFile);
else await main();
