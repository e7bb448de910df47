// bench/consent — the cost of a consent decision.
// Proofs (benchProofs): Semaphore proof generation at the portal's depth (20) for a group of 100, in
// Node (generateProof with the artifact paths) beside Debian's headless Chromium running the portal's
// own browser code (lib/consent/prover.ts and its Web Worker, bundled with esbuild and served with the
// portal's CSP from a throw-away server on 127.0.0.1, random port). Medians of 10, Node and Chromium
// interleaved run by run:
//   cold  — Node: the first proof in a fresh process; Chromium: a fresh browser context (artifact
//           download over loopback + SHA-256 check + worker start + proof);
//   return visit — Chromium only: a new page in the same context (artifacts from Cache Storage);
//   warm  — the same process / the same page and worker, artifacts loaded.
// Every proof is checked in Node (verifyProof, root, message, scope, and the same nullifier in Node
// and Chromium for the same identity); the bench fails otherwise.
// Relay (benchRelay, bench/consent-relay.ts): decisions accepted and relayed per minute on anvil, gas per decision.
// Results: printed, and written to bench/results/consent.json. Usage: npx tsx bench/consent.ts
import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { type BrowserContext, type Page, chromium } from "@playwright/test";
import { Group, Identity, type SemaphoreProof, generateProof, verifyProof } from "@semaphore-protocol/core";
import * as esbuild from "esbuild";
import { CONSENT_TREE_DEPTH, PROVING_ARTIFACTS, SEMAPHORE_ARTIFACTS_PACKAGE } from "@/lib/consent/artifacts";
import { consentScope, grantsMask, packConsentMessage } from "@/lib/consent/message";
import type { Prover, createProver, loadProvingArtifacts } from "@/lib/consent/prover";
import { contentSecurityPolicy } from "@/lib/security/csp";
import { type RelayFigures, benchRelay as runRelayBench } from "./consent-relay";

const root = path.resolve(import.meta.dirname, "..");
const require = createRequire(import.meta.url);
const run = promisify(execFile);

const MEMBERS = 100;
const COLD_PROOF_FLAG = "--cold-proof";
const RUNS = 10;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// The same flags as playwright.config.ts: keep Chromium off the closed network.
const CHROMIUM_ARGS = ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function stopSnarkjs(): Promise<void> {
  await (globalThis as { curve_bn128?: { terminate?: () => Promise<void> } }).curve_bn128?.terminate?.();
}

/** One trial's consent group and the proofs' inputs: identity i proves decision i. */
function fixture() {
  const identities = Array.from({ length: MEMBERS }, (_, i) => new Identity(`trialledger-bench-member-${i}`));
  const group = new Group(identities.map((identity) => identity.commitment));
  const scope = consentScope({
    chainId: 31337,
    consentRegistry: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    chainTrialId: `0x${"ab".repeat(32)}`,
  }).toString();
  const message = (i: number) => packConsentMessage({ grants: grantsMask([0, 2, 5]), textVersion: 1, sequence: BigInt(i + 1) }).toString();
  const input = (i: number) => ({ identity: identities[i]?.export() ?? "", members: group.members.map(String), message: message(i), scope });
  return { identities, group, scope, message, input };
}
type Fixture = ReturnType<typeof fixture>;

const artifactPaths = () => {
  const dir = path.dirname(require.resolve(`${SEMAPHORE_ARTIFACTS_PACKAGE}/package.json`));
  return { wasm: path.join(dir, PROVING_ARTIFACTS.wasm.file), zkey: path.join(dir, PROVING_ARTIFACTS.zkey.file) };
};

type Timed = { ms: number; proof: SemaphoreProof };

async function proveInNode(f: Fixture, i: number): Promise<Timed> {
  const identity = f.identities[i];
  if (!identity) throw new Error(`no identity ${i}`);
  const t0 = performance.now();
  const proof = await generateProof(identity, f.group, f.message(i), f.scope, CONSENT_TREE_DEPTH, artifactPaths());
  return { ms: performance.now() - t0, proof };
}

/**
 * Node's cold proof: the first generateProof in a fresh process (it reads the artifacts from disk and
 * builds snarkjs's curve and worker threads), in a child running this file with --cold-proof.
 */
async function proveInFreshNode(i: number): Promise<Timed> {
  const { stdout } = await run(process.execPath, [...process.execArgv, import.meta.filename, COLD_PROOF_FLAG, String(i)], { cwd: root });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as Timed;
}

/**
 * The page's script: the portal's browser prover, exposed to the bench. esbuild leaves
 * `new URL("./prover.worker.ts", import.meta.url)` as it is (only Next's bundlers rewrite it), so
 * the server below answers that URL with the worker's bundle.
 */
async function bundle(): Promise<{ page: Uint8Array; worker: Uint8Array }> {
  const common = { bundle: true, format: "esm", platform: "browser", target: "es2022", minify: true, write: false, logLevel: "warning", absWorkingDir: root } as const;
  const page = await esbuild.build({
    ...common,
    stdin: {
      contents: `import { createProver, loadProvingArtifacts } from "@/lib/consent/prover";\nObject.assign(globalThis, { trialledger: { createProver, loadProvingArtifacts } });`,
      resolveDir: root,
      sourcefile: "bench-page.ts",
      loader: "ts",
    },
  });
  const worker = await esbuild.build({ ...common, entryPoints: [path.join(root, "lib/consent/prover.worker.ts")] });
  const [pageFile] = page.outputFiles;
  const [workerFile] = worker.outputFiles;
  if (!pageFile || !workerFile) throw new Error("esbuild produced no output");
  return { page: pageFile.contents, worker: workerFile.contents };
}

type Served = { url: string; artifactRequests: () => number; close: () => Promise<void> };

/** A throw-away server on 127.0.0.1 (a random port) with the page, the bundles and the artifacts. */
async function serve(bundles: { page: Uint8Array; worker: Uint8Array }): Promise<Served> {
  const dir = path.dirname(require.resolve(`${SEMAPHORE_ARTIFACTS_PACKAGE}/package.json`));
  const wasm = fs.readFileSync(path.join(dir, PROVING_ARTIFACTS.wasm.file));
  const zkey = fs.readFileSync(path.join(dir, PROVING_ARTIFACTS.zkey.file));
  const corrupt = Buffer.from(zkey);
  corrupt[1000] = (corrupt[1000] ?? 0) ^ 1;
  let artifactRequests = 0;
  const files = new Map<string, { body: Uint8Array; type: string }>([
    ["/app.js", { body: bundles.page, type: "text/javascript" }],
    ["/prover.worker.ts", { body: bundles.worker, type: "text/javascript" }],
    [PROVING_ARTIFACTS.wasm.url, { body: wasm, type: "application/wasm" }],
    [PROVING_ARTIFACTS.zkey.url, { body: zkey, type: "application/octet-stream" }],
    [`/corrupt${PROVING_ARTIFACTS.wasm.url}`, { body: wasm, type: "application/wasm" }],
    [`/corrupt${PROVING_ARTIFACTS.zkey.url}`, { body: corrupt, type: "application/octet-stream" }],
  ]);
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    // The headers next.config.mjs sets on every response.
    res.setHeader("x-content-type-options", "nosniff");
    res.setHeader("cross-origin-opener-policy", "same-origin");
    if (pathname === "/") {
      const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
      // The portal's CSP as proxy.ts sets it on pages; static files (here the bundles) get none.
      res.setHeader("content-security-policy", contentSecurityPolicy(nonce));
      res.setHeader("content-type", "text/html; charset=utf-8");
      res.end(`<!doctype html><meta charset="utf-8"><title>consent bench</title><link rel="icon" href="data:,"><script type="module" nonce="${nonce}" src="/app.js"></script>`);
      return;
    }
    const file = files.get(pathname);
    if (!file) {
      res.statusCode = 404;
      res.end();
      return;
    }
    if (pathname.includes("/semaphore/")) artifactRequests++;
    res.setHeader("content-type", file.type);
    res.setHeader("content-length", file.body.byteLength);
    res.end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    artifactRequests: () => artifactRequests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** What the bench page exposes (see bundle()); `prover` is the warm runs' worker. */
type PageApi = { createProver: typeof createProver; loadProvingArtifacts: typeof loadProvingArtifacts; prover?: Prover };
type PageInput = { identity: string; members: string[]; message: string; scope: string };
type PageRun = { proof: SemaphoreProof; loadMs: number; totalMs: number };

// The functions given to page.evaluate run in the browser: they may use only their argument and
// the page's globals, and declare no named functions (tsx would wrap them in a helper the page lacks).
const runInPage = (input: PageInput): Promise<PageRun> =>
  (async () => {
    const api = (globalThis as unknown as { trialledger: PageApi }).trialledger;
    const t0 = performance.now();
    const artifacts = await api.loadProvingArtifacts();
    const t1 = performance.now();
    api.prover ??= api.createProver();
    const proof = await api.prover.prove({ ...input, artifacts });
    return { proof, loadMs: t1 - t0, totalMs: performance.now() - t0 };
  })();

type BrowserProof = { proof: SemaphoreProof; i: number; label: string };

/**
 * Debian's Chromium on the throw-away server. Each method makes one measured proof; every proof is
 * kept for checking in Node at the end, and every page error or console error is a problem that fails
 * the bench (a CSP violation shows up as one).
 */
async function startChromium(f: Fixture) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not at ${CHROMIUM}: run scripts/ensure-chromium.sh (or set CHROMIUM_PATH).`);
  const served = await serve(await bundle());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const proofs: BrowserProof[] = [];
  const problems: string[] = [];
  const requests = { cold: 0, returnVisits: 0, warm: 0 };

  const open = async (context: BrowserContext, label: string): Promise<Page> => {
    const page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`${label}: page error ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`${label}: console error ${message.text()}`);
    });
    await page.goto(served.url);
    await page.waitForFunction(() => "trialledger" in globalThis);
    return page;
  };
  const prove = async (page: Page, i: number, label: string, counter: keyof typeof requests): Promise<PageRun> => {
    const before = served.artifactRequests();
    const result = await page.evaluate(runInPage, f.input(i));
    requests[counter] += served.artifactRequests() - before;
    proofs.push({ proof: result.proof, i, label });
    return result;
  };
  let warm: { context: BrowserContext; page: Page } | null = null;

  return {
    version: browser.version(),
    proofs,
    problems,
    requests,
    /** A fresh context (cold), then a new page in the same context (a return visit: Cache Storage). */
    async visitTwice(i: number): Promise<{ cold: PageRun; back: PageRun }> {
      const context = await browser.newContext();
      try {
        const first = await open(context, `cold ${i}`);
        const cold = await prove(first, i, `cold ${i}`, "cold");
        await first.close();
        const back = await prove(await open(context, `return ${i}`), i, `return ${i}`, "returnVisits");
        return { cold, back };
      } finally {
        await context.close();
      }
    },
    /** The same page and worker every time; the first call also makes an unmeasured proof by identity 0. */
    async proveWarm(i: number): Promise<PageRun> {
      if (!warm) {
        const context = await browser.newContext();
        const page = await open(context, "warm");
        await prove(page, 0, "warm-up", "cold");
        warm = { context, page };
      }
      return prove(warm.page, i, `warm ${i}`, "warm");
    },
    /** The refusals the page must make: a non-member's proof, a tampered zkey. Returns their messages. */
    async refusals(): Promise<{ nonMember: string; tampered: string }> {
      const context = await browser.newContext();
      try {
        const page = await open(context, "refusals");
        const nonMember = await page.evaluate(
          (input) => {
            const api = (globalThis as unknown as { trialledger: PageApi }).trialledger;
            return api
              .loadProvingArtifacts()
              .then((artifacts) => api.createProver().prove({ ...input, artifacts }))
              .then(() => "proved", (error: unknown) => (error instanceof Error ? error.message : String(error)));
          },
          { ...f.input(1), identity: new Identity("trialledger-bench-outsider").export() },
        );
        const tampered = await page.evaluate(() =>
          (globalThis as unknown as { trialledger: PageApi }).trialledger
            .loadProvingArtifacts({ baseUrl: "/corrupt" })
            .then(() => "loaded", (error: unknown) => (error instanceof Error ? error.message : String(error))),
        );
        return { nonMember, tampered };
      } finally {
        await context.close();
      }
    },
    async close(): Promise<void> {
      await browser.close();
      await served.close();
    },
  };
}

type ProofFigures = {
  /** 1-minute load averages: `before` shows other work on the machine (which slows every figure); the bench itself adds ~3. */
  loadAverage: { before: number; after: number };
  members: number;
  depth: number;
  runs: number;
  node: { coldMedianMs: number; warmMedianMs: number; verifyMedianMs: number };
  chromium: {
    version: string;
    coldMedianMs: number;
    coldArtifactLoadMedianMs: number;
    returnVisitMedianMs: number;
    returnVisitArtifactLoadMedianMs: number;
    warmMedianMs: number;
  };
  ratios: { cold: number; warm: number };
  raw: {
    node: { coldMs: number[]; warmMs: number[]; verifyMs: number[] };
    chromium: { coldMs: number[]; coldLoadMs: number[]; returnMs: number[]; returnLoadMs: number[]; warmMs: number[] };
  };
};

/**
 * Proof generation in Node and in Chromium, interleaved run by run so that other work on the machine
 * weighs on both alike. Identity i makes decision i everywhere, so Node's and Chromium's proofs for the
 * same i must carry the same nullifier. Prints a table and returns the figures.
 */
async function benchProofs(): Promise<ProofFigures> {
  const before = os.loadavg()[0] ?? 0;
  const f = fixture();
  const browser = await startChromium(f);
  const nodeProofs: BrowserProof[] = [];
  const raw: ProofFigures["raw"] = {
    node: { coldMs: [], warmMs: [], verifyMs: [] },
    chromium: { coldMs: [], coldLoadMs: [], returnMs: [], returnLoadMs: [], warmMs: [] },
  };
  try {
    for (let i = 1; i <= RUNS; i++) {
      const node = await proveInFreshNode(i);
      raw.node.coldMs.push(node.ms);
      nodeProofs.push({ proof: node.proof, i, label: `node cold ${i}` });
      const { cold, back } = await browser.visitTwice(i);
      raw.chromium.coldMs.push(cold.totalMs);
      raw.chromium.coldLoadMs.push(cold.loadMs);
      raw.chromium.returnMs.push(back.totalMs);
      raw.chromium.returnLoadMs.push(back.loadMs);
    }
    nodeProofs.push({ proof: (await proveInNode(f, 0)).proof, i: 0, label: "node warm-up" });
    for (let i = 1; i <= RUNS; i++) {
      const node = await proveInNode(f, i);
      raw.node.warmMs.push(node.ms);
      nodeProofs.push({ proof: node.proof, i, label: `node warm ${i}` });
      raw.chromium.warmMs.push((await browser.proveWarm(i)).totalMs);
    }
    const refusals = await browser.refusals();

    // Every proof checked: Node's own (timing verifyProof on the in-process ones), then Chromium's.
    const problems = [...browser.problems];
    const nullifiers = new Map<number, string>();
    for (const { proof, i, label } of [...nodeProofs, ...browser.proofs]) {
      const t0 = performance.now();
      const valid = await verifyProof(proof);
      if (label.startsWith("node warm")) raw.node.verifyMs.push(performance.now() - t0);
      if (!valid) problems.push(`${label}: the proof does not verify`);
      if (proof.merkleTreeRoot !== f.group.root.toString()) problems.push(`${label}: root ${proof.merkleTreeRoot} is not the group's`);
      if (proof.message !== f.message(i) || proof.scope !== f.scope) problems.push(`${label}: message or scope differs`);
      const nullifier = nullifiers.get(i) ?? proof.nullifier;
      nullifiers.set(i, nullifier);
      if (proof.nullifier !== nullifier) problems.push(`${label}: nullifier differs from Node's for the same identity and scope`);
    }
    if (refusals.nonMember !== "this identity is not a member of the group") problems.push(`non-member: expected a refusal, got "${refusals.nonMember}"`);
    if (!refusals.tampered.includes("is not the expected one")) problems.push(`tampered zkey: expected a refusal, got "${refusals.tampered}"`);
    const { requests } = browser;
    // Cold: both files for every fresh context and the warm page's first load; then never again.
    if (requests.cold !== 2 * (RUNS + 1)) problems.push(`cold pages fetched ${requests.cold} artifacts, expected ${2 * (RUNS + 1)}`);
    if (requests.returnVisits !== 0) problems.push(`return visits fetched ${requests.returnVisits} artifacts, expected 0 (Cache Storage)`);
    if (requests.warm !== 0) problems.push(`warm proofs fetched ${requests.warm} artifacts, expected 0`);
    if (problems.length) throw new Error(`the proofs are not right:\n  ${problems.join("\n  ")}`);
  } finally {
    await browser.close();
  }

  const figures: ProofFigures = {
    loadAverage: { before, after: os.loadavg()[0] ?? 0 },
    members: MEMBERS,
    depth: CONSENT_TREE_DEPTH,
    runs: RUNS,
    node: { coldMedianMs: median(raw.node.coldMs), warmMedianMs: median(raw.node.warmMs), verifyMedianMs: median(raw.node.verifyMs) },
    chromium: {
      version: browser.version,
      coldMedianMs: median(raw.chromium.coldMs),
      coldArtifactLoadMedianMs: median(raw.chromium.coldLoadMs),
      returnVisitMedianMs: median(raw.chromium.returnMs),
      returnVisitArtifactLoadMedianMs: median(raw.chromium.returnLoadMs),
      warmMedianMs: median(raw.chromium.warmMs),
    },
    ratios: { cold: 0, warm: 0 },
    raw,
  };
  figures.ratios = {
    cold: figures.chromium.coldMedianMs / figures.node.coldMedianMs,
    warm: figures.chromium.warmMedianMs / figures.node.warmMedianMs,
  };

  const ms = (n: number) => `${Math.round(n).toLocaleString("en")} ms`.padStart(9);
  const ratio = (n: number) => `${n.toFixed(2)}×`.padStart(6);
  const { node, chromium: c } = figures;
  console.log(`\nSemaphore proof generation, depth ${CONSENT_TREE_DEPTH}, group of ${MEMBERS}, medians of ${RUNS} (${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"}, node ${process.version}, Chromium ${c.version})`);
  console.log(`                                     Node   Chromium  Chromium ÷ Node`);
  console.log(`  cold                            ${ms(node.coldMedianMs)}  ${ms(c.coldMedianMs)}   ${ratio(figures.ratios.cold)}   Node: fresh process; Chromium: fresh context`);
  console.log(`    Chromium: loading artifacts              ${ms(c.coldArtifactLoadMedianMs)}            over loopback, SHA-256 checked`);
  console.log(`  return visit (Cache Storage)               ${ms(c.returnVisitMedianMs)}            new page and worker`);
  console.log(`    Chromium: loading artifacts              ${ms(c.returnVisitArtifactLoadMedianMs)}`);
  console.log(`  warm                            ${ms(node.warmMedianMs)}  ${ms(c.warmMedianMs)}   ${ratio(figures.ratios.warm)}   same process / same page and worker`);
  console.log(`  verifyProof                     ${ms(node.verifyMedianMs)}`);
  console.log(`  1-minute load average before the run ${figures.loadAverage.before.toFixed(1)} (other work on the 2 cores slows every figure)`);
  console.log(`  all ${browser.proofs.length} Chromium proofs verified in Node (root, nullifier, message, scope); non-member and tampered zkey refused`);
  return figures;
}

/** The relay half (bench/consent-relay.ts): the portal's pipeline and relay on anvil, printed. */
async function benchRelay(): Promise<RelayFigures> {
  const figures = await runRelayBench(25);
  const n = (x: number) => Math.round(x).toLocaleString("en");
  console.log(`\nConsent relay on anvil, ${figures.consents} decisions (first and second decision of 25 participants), in-memory PGlite`);
  console.log(`  accepted by the portal (proof pipeline + outbox)  ${n(figures.acceptPerMinute)} per minute`);
  console.log(`  relayed on chain (submitConsent, confirmed)       ${n(figures.relayPerMinute)} per minute`);
  console.log(`  gas: first decision ${n(figures.gasFirstDecision)}, later decision ${n(figures.gasLaterDecision)}, enrolment ${n(figures.gasEnrolPerMember)} per member (batched)`);
  return figures;
}

async function main(): Promise<void> {
  const proofs = await benchProofs();
  const relay = await benchRelay();
  const out = path.join(root, "bench", "results", "consent.json");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const machine = { cores: os.cpus().length, cpu: os.cpus()[0]?.model ?? "?", node: process.version };
  fs.writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), machine, proofs, relay }, null, 2)}\n`);
  console.log(`\n→ ${path.relative(root, out)}`);
}

/** In a child started by proveInFreshNode: one proof, printed as JSON. */
async function coldProofChild(i: number): Promise<void> {
  console.log(JSON.stringify(await proveInNode(fixture(), i)));
}

const coldProof = process.argv.indexOf(COLD_PROOF_FLAG);
(coldProof > 0 ? coldProofChild(Number(process.argv[coldProof + 1])) : main())
  .then(async () => {
    await stopSnarkjs();
    process.exit(0);
  })
  .catch(async (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    await stopSnarkjs();
    process.exit(1);
  });
