// bench/catalogue — the registry and dataset catalogue searching in SQL (issue 10, point 8), on a
// PostgreSQL database of its own (created, then dropped):
//   (a) 10,000 trials and 10,000 datasets; 50 concurrent clients (autocannon, 20 s each) against
//       GET /api/trials and GET /api/datasets searches and, in the same run, GET /api/openapi.json,
//       a route that reads no database (/api/health reads the database and the chain). Prints
//       requests/s, p99 and the ratio to the no-database route. Goal: ≥ 0.5 × its rate, p99 ≤ 200 ms.
//       Needs a production build (.next, from `next build`): the bench starts `next start` on it.
//   (b) 1,000,000 trials: the median time of one search (searchCatalogue, through Prisma) over 20
//       queries of different kinds, each run 3 times warm. Goal: ≤ 100 ms.
// The rows are written with one bulk INSERT … SELECT per 100,000 (the tsvector computed by the
// same expression as lib/search/mutations.ts), not through indexTrial: a million registrations
// would take hours and measure the registry, not search.
// Usage: npm run bench:catalogue [-- --scale-only | --concurrency-only]
//   BENCH_PG_URL: the server, without a database name (default postgresql://postgres@127.0.0.1:5432).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

const ROOT = path.resolve(import.meta.dirname, "..");
const SERVER_URL = process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432";
const scaleOnly = process.argv.includes("--scale-only");
/** `--concurrency-only`: part (a) alone, without the 1,000,000-row load (about 4½ minutes). */
const concurrencyOnly = process.argv.includes("--concurrency-only");
// BENCH_KEEP_DB=1 keeps the database for EXPLAIN; BENCH_DB=<name> searches a kept one (no load, not dropped).
const reuse = process.env.BENCH_DB;
const DATABASE = reuse ?? `trialledger_bench_catalogue_${Date.now()}`;
const keep = Boolean(reuse) || process.env.BENCH_KEEP_DB === "1";
const DATABASE_URL = `${SERVER_URL.replace(/\/$/, "")}/${DATABASE}`;

if (!scaleOnly && !fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
  console.error(
    "bench:catalogue part (a) needs a production build of the portal (.next/BUILD_ID is missing).\n" +
      "Run `npx next build` first, or `npm run bench:catalogue -- --scale-only` for part (b) alone.",
  );
  process.exit(1);
}

process.env.DATABASE_URL = DATABASE_URL;
process.env.APP_ENV = "test";

const admin = new pg.Pool({ connectionString: `${SERVER_URL}/postgres`, max: 1 });
if (!reuse) await admin.query(`CREATE DATABASE ${DATABASE}`);

const { closeDatabase, migrationTarget } = await import("@/lib/db");
const { applyMigrations } = await import("@/lib/migrate");
const { searchCatalogue } = await import("@/lib/search/data");
const { searchQuery } = await import("@/lib/search/schema");

// ─── Synthetic rows ─────────────────────────────────────────────────────────────────────────────

const CONDITIONS = [
  "type 2 diabetes mellitus", "type 1 diabetes", "diabetic nephropathy", "essential hypertension", "heart failure",
  "atrial fibrillation", "coronary artery disease", "stroke", "asthma", "chronic obstructive pulmonary disease",
  "breast cancer", "prostate cancer", "colorectal cancer", "lung cancer", "pancreatic cancer", "melanoma", "leukaemia",
  "lymphoma", "multiple myeloma", "rheumatoid arthritis", "osteoarthritis", "psoriasis", "atopic dermatitis",
  "Crohn's disease", "ulcerative colitis", "chronic kidney disease", "hepatitis C", "HIV infection", "tuberculosis",
  "malaria", "influenza", "COVID-19", "major depressive disorder", "schizophrenia", "bipolar disorder",
  "generalised anxiety disorder", "Alzheimer's disease", "Parkinson's disease", "multiple sclerosis", "epilepsy",
  "migraine", "obesity", "non-alcoholic steatohepatitis", "osteoporosis", "sickle cell disease", "cystic fibrosis",
  "anaemia in pregnancy", "pre-eclampsia", "neonatal sepsis", "chronic pain",
];
const INTERVENTIONS = [
  "metformin", "insulin glargine", "semaglutide", "empagliflozin", "amlodipine", "telmisartan", "indapamide",
  "apixaban", "atorvastatin", "sacubitril valsartan", "inhaled budesonide", "tiotropium", "pembrolizumab",
  "nivolumab", "trastuzumab", "docetaxel", "enzalutamide", "methotrexate", "adalimumab", "ustekinumab",
  "dupilumab", "sofosbuvir", "dolutegravir", "artemether lumefantrine", "oseltamivir", "remdesivir",
  "sertraline", "cognitive behavioural therapy", "lithium", "donepezil", "levodopa", "ocrelizumab",
  "levetiracetam", "erenumab", "a low-calorie diet", "supervised exercise", "vitamin D", "hydroxyurea",
  "ivacaftor", "oral iron", "aspirin",
];
const WORDS = ["randomised", "double-blind", "placebo-controlled", "open-label", "pragmatic", "multicentre", "pilot", "cluster-randomised", "non-inferiority", "dose-finding"];
const COUNTRIES = ["GB", "US", "DE", "FR", "NL", "IE", "ES", "IT", "SE", "DK", "NO", "FI", "PL", "CZ", "AT", "CH", "BE", "PT", "CA", "AU", "NZ", "JP", "KR", "IN", "BR", "ZA", "KE", "NG", "MX", "AR"];
const PHASES = ["early-phase-1", "phase-1", "phase-1-2", "phase-2", "phase-2-3", "phase-3", "phase-4", "not-applicable"];
const STATUSES = ["pending", "recruiting", "suspended", "complete", "other"];
const SPONSORS = Array.from({ length: 500 }, (_, i) => `${["Northwind", "Southwind", "Eastmoor", "Westfield", "Highgate"][i % 5]} ${["Clinical Research", "Pharma", "University Hospital", "Institute", "Foundation"][Math.floor(i / 5) % 5]} ${Math.floor(i / 25) + 1}`);
const MONDO = Array.from({ length: 200 }, (_, i) => `MONDO:${String(8_000_000 + i).padStart(7, "0")}`);

/** One element of a text[] parameter, chosen by a random number in SQL (1-based). */
const pick = (param: string, length: number) => `(${param})[1 + floor(random() * ${length})::int]`;

/** The tsvector expression of lib/search/mutations.ts, over the generated title and text. */
const TSV = `setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', text), 'B')`;

async function insertTrials(client: pg.PoolClient, from: number, to: number): Promise<void> {
  await client.query(
    `INSERT INTO "SearchDocument" ("id", "kind", "ref", "title", "text", "sponsor", "phase", "status", "countries",
       "conditionIds", "permission", "fileTypes", "registeredAt", "updatedAt", "summary", "tsv")
     SELECT 'trial:bench-' || g, 'trial', ref, title, text, sponsor, phase, status, countries, '{}', NULL, '{}', at, at,
       jsonb_build_object('registrationNumber', ref, 'publicTitle', title, 'primarySponsor', sponsor,
         'conditions', jsonb_build_array(jsonb_build_object('name', condition)), 'phase', phase, 'recruitmentStatus', status,
         'countries', to_jsonb(countries), 'currentVersion', 1, 'registeredAt', to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
       ${TSV}
     FROM (
       SELECT g, ref, condition, sponsor, phase, status, countries, at,
         intervention || ' versus usual care in ' || condition AS title,
         ref || E'\\n' || intervention || ' versus usual care in ' || condition || E'\\nA ' || word || ' trial of ' || intervention ||
           ' in adults with ' || condition || E'\\n' || sponsor || E'\\n' || condition || E'\\n' || intervention AS text
       FROM (
         SELECT g, 'TLR-2026-' || lpad(g::text, 7, '0') AS ref,
           ${pick("$1::text[]", CONDITIONS.length)} AS condition, ${pick("$2::text[]", INTERVENTIONS.length)} AS intervention,
           ${pick("$3::text[]", WORDS.length)} AS word, ${pick("$4::text[]", SPONSORS.length)} AS sponsor,
           ${pick("$5::text[]", PHASES.length)} AS phase, ${pick("$6::text[]", STATUSES.length)} AS status,
           ARRAY(SELECT DISTINCT ${pick("$7::text[]", COUNTRIES.length)} FROM generate_series(0, (g % 3)) WHERE g IS NOT NULL) AS countries,
           timestamp '2016-01-01' + (g * interval '2 minutes') AS at
         FROM generate_series($8::int, $9::int) g
       ) r
     ) s`,
    [CONDITIONS, INTERVENTIONS, WORDS, SPONSORS, PHASES, STATUSES, COUNTRIES, from, to],
  );
}

async function insertDatasets(client: pg.PoolClient, count: number): Promise<void> {
  await client.query(
    `INSERT INTO "SearchDocument" ("id", "kind", "ref", "title", "text", "sponsor", "phase", "status", "countries",
       "conditionIds", "permission", "fileTypes", "registeredAt", "updatedAt", "summary", "tsv")
     SELECT 'dataset:bench-' || g, 'dataset', ref, title, text, sponsor, phase, NULL, countries, conditions, permission, files, at, at,
       jsonb_build_object('number', ref, 'title', title, 'description', text, 'sponsor', sponsor,
         'trial', jsonb_build_object('registrationNumber', split_part(ref, '.', 1), 'publicTitle', title),
         'conditions', '[]'::jsonb, 'permission', permission, 'fileTypes', to_jsonb(files), 'release', 1,
         'publishedAt', to_char(at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
       ${TSV}
     FROM (
       SELECT g, 'TLR-2026-' || lpad(g::text, 7, '0') || '.D1' AS ref, sponsor, phase, countries, permission, files, at,
         conditions, 'Visits of the ' || condition || ' trial' AS title,
         'Participant-level data of a ' || word || ' trial in ' || condition || ', one row per visit' AS text
       FROM (
         SELECT g, ${pick("$1::text[]", CONDITIONS.length)} AS condition, ${pick("$2::text[]", WORDS.length)} AS word,
           ${pick("$3::text[]", SPONSORS.length)} AS sponsor, ${pick("$4::text[]", PHASES.length)} AS phase,
           ARRAY[${pick("$5::text[]", COUNTRIES.length)}] AS countries,
           (ARRAY['GRU', 'HMB', 'DS', 'POA'])[1 + floor(random() * 4)::int] AS permission,
           string_to_array((ARRAY['csv,other', 'other,tsv', 'csv,ndjson', 'csv'])[1 + floor(random() * 4)::int], ',') AS files,
           -- Two of 200 leaf conditions and the shared root, as indexDataset stores ancestors.
           ARRAY[${pick("$6::text[]", MONDO.length)}, ${pick("$6::text[]", MONDO.length)}, 'MONDO:0000001'] AS conditions,
           timestamp '2020-01-01' + (g * interval '1 hour') AS at
         FROM generate_series(1, $7::int) g
       ) r
     ) s`,
    [CONDITIONS, WORDS, SPONSORS, PHASES, COUNTRIES, MONDO, count],
  );
}

/** The search row's GIN indexes, dropped for a bulk load and rebuilt from their own definitions. */
async function withoutGinIndexes(client: pg.PoolClient, load: () => Promise<void>): Promise<void> {
  const { rows } = await client.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'SearchDocument' AND indexdef LIKE '%USING gin%'`,
  );
  for (const row of rows) await client.query(`DROP INDEX "${row.indexname}"`);
  await load();
  await client.query("SET maintenance_work_mem = '512MB'");
  for (const row of rows) {
    const started = performance.now();
    await client.query(row.indexdef);
    console.log(`  rebuilt ${row.indexname} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

// ─── Part (a): 50 concurrent clients against a running portal ──────────────────────────────────

type Cannon = { rps: number; p99: number; p50: number; non2xx: number; errors: number; timeouts: number };

function autocannon(url: string): Cannon {
  const out = execFileSync(path.join(ROOT, "node_modules/.bin/autocannon"), ["-c", "50", "-d", "20", "-j", url], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "ignore"],
  });
  const result = JSON.parse(out) as {
    requests: { average: number };
    latency: { p99: number; p50: number };
    non2xx: number;
    errors: number;
    timeouts: number;
  };
  return { rps: result.requests.average, p99: result.latency.p99, p50: result.latency.p50, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** `next start` on the existing build, on the bench's database; ready when the no-database route answers. */
async function startNext(port: number): Promise<ChildProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-bench-catalogue-"));
  const child = spawn(path.join(ROOT, "node_modules/.bin/next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DATABASE_URL, DATA_DIR: dataDir, PORT: String(port), AUTH_URL: `http://127.0.0.1:${port}`, NEXT_TELEMETRY_DISABLED: "1",
      // Search alone: no demo seed, no outbox pumps, and no chain (boot only warns without one).
      DEMO_SEED: "false", ANCHOR_WORKER: "off", CHAIN_RPC_URL: "" },
  });
  let log = "";
  child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}:\n${log}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/openapi.json`)).status === 200) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`next start did not answer in 120 s:\n${log}`);
}

function stop(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // already gone
  }
}

async function partA(): Promise<void> {
  const port = await freePort();
  const portal = await startNext(port);
  try {
    const base = `http://127.0.0.1:${port}`;
    // Warm-up: the first request of each route compiles nothing in production, but fills caches.
    for (const url of ["/api/openapi.json", "/api/trials?q=diabetes", "/api/datasets?condition=MONDO:0000001"]) await fetch(base + url);
    const runs: Array<[string, Cannon]> = [];
    for (const [label, url] of [
      ["no database: GET /api/openapi.json", "/api/openapi.json"],
      ["search: GET /api/trials?q=diabetes", "/api/trials?q=diabetes"],
      ["search: GET /api/trials?q=cancer&country=DE", "/api/trials?q=cancer&country=DE"],
      ["search: GET /api/datasets?condition=MONDO:0000001&permission=HMB", "/api/datasets?condition=MONDO:0000001&permission=HMB"],
    ] as const) {
      runs.push([label, autocannon(base + url)]);
    }
    const baseline = runs[0]?.[1].rps ?? 1;
    console.log("\n(a) 50 concurrent clients, 20 s each, 10,000 trials + 10,000 datasets");
    for (const [label, r] of runs) {
      console.log(
        `  ${label.padEnd(70)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(5)} ms  ` +
          `ratio ${(r.rps / baseline).toFixed(2)}  non-2xx ${r.non2xx}  errors ${r.errors}  timeouts ${r.timeouts}`,
      );
    }
    console.log("  goal: search ≥ 0.50 × the no-database route's rate, p99 ≤ 200 ms");
  } finally {
    stop(portal);
  }
}

// ─── Part (b): one search at a time on 1,000,000 trials ────────────────────────────────────────

const QUERIES: Array<{ kind: "trial" | "dataset"; query: Record<string, string> }> = [
  { kind: "trial", query: { q: "diabetes" } },
  { kind: "trial", query: { q: "diabetic" } },
  { kind: "trial", query: { q: "hypertension" } },
  { kind: "trial", query: { q: "metformin" } },
  { kind: "trial", query: { q: '"breast cancer"' } },
  { kind: "trial", query: { q: "diab" } },
  { kind: "trial", query: { q: "glarg" } },
  { kind: "trial", query: { q: "xylophone" } },
  { kind: "trial", query: { q: "asthma", phase: "phase-3" } },
  { kind: "trial", query: { q: "cancer", country: "DE" } },
  { kind: "trial", query: { phase: "phase-2" } },
  { kind: "trial", query: { country: "GB", sort: "oldest" } },
  { kind: "trial", query: { status: "recruiting", sort: "newest" } },
  { kind: "trial", query: { sponsor: "Southwind Pharma 3" } },
  { kind: "trial", query: {} },
  { kind: "trial", query: { sort: "title" } },
  { kind: "trial", query: { q: "cancer", sort: "newest" } },
  { kind: "trial", query: { q: "insulin", page: "50" } },
  { kind: "trial", query: { q: "TLR-2026-0123456" } },
  { kind: "trial", query: { q: "pilot trial of sertraline", sponsor: "Eastmoor Institute 2" } },
  { kind: "dataset", query: { condition: "MONDO:0000001", permission: "DS" } },
  { kind: "dataset", query: { q: "asthma", fileType: "ndjson" } },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function partB(): Promise<void> {
  console.log("\n(b) one search at a time, 1,000,000 trials + 10,000 datasets (each query once cold, then 3 times)");
  const all: number[] = [];
  for (const { kind, query } of QUERIES) {
    const parsed = searchQuery.parse(query);
    const run = () => (kind === "trial" ? searchCatalogue("trial", parsed) : searchCatalogue("dataset", parsed));
    const first = await run();
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await run();
      times.push(performance.now() - started);
    }
    all.push(...times);
    const label = `${kind}s ${new URLSearchParams(query).toString() || "(no filter)"}`;
    console.log(`  ${label.padEnd(62)} median ${median(times).toFixed(1).padStart(6)} ms  ${first.totalIsExact ? "" : "≥"}${first.total} matches`);
  }
  const sorted = [...all].sort((a, b) => a - b);
  console.log(
    `  over ${QUERIES.length} queries × 3: median ${median(all).toFixed(1)} ms, p90 ${(sorted[Math.floor(sorted.length * 0.9)] ?? 0).toFixed(1)} ms, ` +
      `max ${(sorted.at(-1) ?? 0).toFixed(1)} ms (goal: median ≤ 100 ms)`,
  );
}

// ─── Run ────────────────────────────────────────────────────────────────────────────────────────

const db = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
try {
  await applyMigrations(migrationTarget());
  if (!reuse) await load();
  if (!concurrencyOnly) await partB();
} finally {
  await closeDatabase();
  await db.end();
  if (keep) console.log(`kept the database ${DATABASE}`);
  else await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.end();
}

async function load(): Promise<void> {
  const client = await db.connect();
  try {
    await client.query("SELECT setseed(0.42)");
    let started = performance.now();
    await insertTrials(client, 1, 10_000);
    await insertDatasets(client, 10_000);
    await client.query(`ANALYZE "SearchDocument"`);
    console.log(`10,000 trials and 10,000 datasets written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    if (!scaleOnly) await partA();
    if (concurrencyOnly) return;

    started = performance.now();
    await withoutGinIndexes(client, async () => {
      for (let from = 10_001; from <= 1_000_000; from += 100_000) {
        await insertTrials(client, from, Math.min(from + 99_999, 1_000_000));
        process.stdout.write(`  ${Math.min(from + 99_999, 1_000_000).toLocaleString("en")} trials\r`);
      }
      process.stdout.write("\n");
    });
    await client.query(`VACUUM ANALYZE "SearchDocument"`);
    console.log(`1,000,000 trials written and indexed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    client.release();
  }
}
