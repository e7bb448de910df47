// bench/export — throughput of the consent-gated export's streaming core (lib/exports/stream.ts) on a
// generated CSV (default 1,000,000 rows × 20 columns, ~5,000 distinct 77-digit pseudonyms): copyTabular
// (parse + write, no filter: the baseline) vs exportTabular (≈ 80 % kept, pseudonyms re-keyed with a
// lazily cached HMAC-SHA256), both to a null sink (the SHA-256 is computed by the module). Then peak
// RSS of the export in child processes at 100,000 rows and at the full size. Usage: npm run bench:export [-- --rows N]
import { execFile } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";

const argRows = process.argv.indexOf("--rows");
const ROWS = argRows !== -1 ? Number(process.argv[argRows + 1]) : 1_000_000;
const DISTINCT = 5000;

async function generate(file: string, rows: number): Promise<string[]> {
  const pseudonyms = Array.from({ length: DISTINCT }, () => BigInt(`0x${randomBytes(32).toString("hex")}`).toString());
  const out = fs.createWriteStream(file);
  const header = ["pseudonym", ...Array.from({ length: 19 }, (_, i) => `c${i + 1}`)];
  let batch = `${header.join(",")}\n`;
  for (let r = 0; r < rows; r++) {
    const p = pseudonyms[r % DISTINCT] ?? "";
    batch += `${p},${r},${(r % 997) / 10 - 30},2026-${String((r % 12) + 1).padStart(2, "0")}-${String((r % 28) + 1).padStart(2, "0")},C${r % 50},"text, ${r % 13}",${r * 7},${-(r % 100)},1,0,ok,${r % 3},2.5,abc,${r % 77},X${r % 9},-1.25,yes,note ${r % 5},${r % 1000}\n`;
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      batch = "";
    }
  }
  out.end(batch);
  await new Promise<void>((resolve) => out.once("finish", () => resolve()));
  return pseudonyms;
}

const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

async function pass(kind: "copy" | "export", file: string, keptFile: string): Promise<{ seconds: number; rows: number; sha256: string; maxRssMb: number }> {
  const { copyTabular, exportTabular } = await import("@/lib/exports/stream");
  const kept = new Set(fs.readFileSync(keptFile, "utf8").split("\n"));
  const key = randomBytes(32);
  const cache = new Map<string, string | null>();
  const t0 = performance.now();
  const run =
    kind === "copy"
      ? copyTabular(fs.createReadStream(file), { format: "csv" })
      : exportTabular(fs.createReadStream(file), {
          format: "csv",
          pseudonymColumn: "pseudonym",
          decide: (p) => {
            let v = cache.get(p);
            if (v === undefined) {
              v = kept.has(p) ? createHmac("sha256", key).update(p).digest("hex") : null;
              cache.set(p, v);
            }
            return v;
          },
        });
  await pipeline(run.output, sink());
  const r = await run.done;
  return { seconds: (performance.now() - t0) / 1000, rows: r.rowsKept + r.rowsExcluded, sha256: r.sha256, maxRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6 };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-bench-export-"));
  try {
    const run = promisify(execFile);
    const child = async (kind: string, file: string, keptFile: string) =>
      JSON.parse((await run(process.execPath, [...process.execArgv, import.meta.filename, "--child", kind, file, keptFile], { maxBuffer: 1 << 20 })).stdout) as Awaited<ReturnType<typeof pass>>;
    const sizes = [...new Set([Math.min(100_000, ROWS), ROWS])];
    const figures: string[] = [];
    for (const rows of sizes) {
      const file = path.join(dir, `rows-${rows}.csv`);
      const pseudonyms = await generate(file, rows);
      const keptFile = path.join(dir, "kept.txt");
      fs.writeFileSync(keptFile, pseudonyms.filter((_, i) => i % 5 !== 0).join("\n"));
      const mb = fs.statSync(file).size / 1e6;
      const copy = await child("copy", file, keptFile);
      const exp = await child("export", file, keptFile);
      figures.push(
        `${rows.toLocaleString("en-GB").padStart(10)} rows ${mb.toFixed(0).padStart(5)} MB | copy ${(copy.rows / copy.seconds / 1000).toFixed(0).padStart(5)} k rows/s ${copy.seconds.toFixed(2)} s RSS ${copy.maxRssMb.toFixed(0)} MB | export ${(exp.rows / exp.seconds / 1000).toFixed(0).padStart(5)} k rows/s ${exp.seconds.toFixed(2)} s RSS ${exp.maxRssMb.toFixed(0)} MB | ratio ${(copy.seconds / exp.seconds).toFixed(2)}`,
      );
      fs.rmSync(file);
    }
    console.log(`node ${process.version}, ${os.cpus().length} cores (shared); 20 columns, ${DISTINCT} distinct pseudonyms, 80 % kept; each pass in its own child (peak RSS = getrusage maxrss)`);
    for (const line of figures) console.log(line);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--child") {
  const [, kind, file, keptFile] = process.argv.slice(2);
  process.stdout.write(JSON.stringify(await pass(kind as "copy" | "export", file ?? "", keptFile ?? "")));
} else await main();
