// npm start — the portal on its embedded defaults, from a fresh clone, with nothing started by hand:
//   1. validates the configuration;
//   2. builds the contracts and the Next.js app when their sources changed since the last build;
//   3. without CHAIN_RPC_URL, starts anvil (state kept in .data/anvil) and deploys the contracts once;
//   4. runs the portal's server (scripts/serve.ts: Next.js behind a server that records each
//      request's socket address) on HOST, loopback unless set; its start-up (instrumentation.ts)
//      migrates and seeds the database.
// Ctrl-C (or SIGTERM) stops the server first, then anvil, and leaves no child process behind.
import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { type AnvilProcess, startAnvil } from "@/lib/chain/anvil";
import { deployLocalChain } from "@/lib/chain/deploy";
import { exposureWarning } from "@/lib/dev/access";
import { envOrExit } from "@/lib/env";
import { copySemaphoreArtifacts } from "@/scripts/semaphore-artifacts";

const ROOT = process.cwd();
const BUILD_STAMP = path.join(ROOT, ".next", "trialledger-build-stamp");
/** What a production build depends on; a change in any of these triggers `next build`. */
const BUILD_INPUTS = ["app", "lib", "public", "proxy.ts", "instrumentation.ts", "next.config.mjs", "postcss.config.mjs", "package-lock.json", "tsconfig.json", "prisma/schema.prisma"];

function log(message: string): void {
  console.log(`[start] ${message}`);
}

function hashTree(entries: string[]): string {
  const hash = createHash("sha256");
  const visit = (file: string) => {
    if (!fs.existsSync(file)) return;
    const stat = fs.statSync(file);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(file).sort()) {
        if (name === "node_modules" || name.startsWith(".")) continue;
        if (name.endsWith(".test.ts") || name === "generated") continue;
        visit(path.join(file, name));
      }
      return;
    }
    hash.update(path.relative(ROOT, file)).update("\0").update(fs.readFileSync(file)).update("\0");
  };
  for (const entry of entries) visit(path.join(ROOT, entry));
  return hash.digest("hex");
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

const nextBin = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");


async function buildIfStale(): Promise<void> {
  await run(process.execPath, [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/contracts-build.ts"]);
  const stamp = hashTree(BUILD_INPUTS);
  const built = fs.existsSync(BUILD_STAMP) ? fs.readFileSync(BUILD_STAMP, "utf8") : "";
  if (built === stamp && fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"))) return;
  log("building the portal (next build; about a minute on a fresh clone)…");
  await run(process.execPath, [nextBin, "build"], { ...process.env, NEXT_TELEMETRY_DISABLED: "1" });
  fs.writeFileSync(BUILD_STAMP, stamp);
}

/** Outside production a missing AUTH_SECRET is generated once and kept in the data directory. */
function developmentSecret(dataDir: string): string {
  const file = path.join(dataDir, "auth-secret");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(33).toString("base64");
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

function waitForExit(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve();
    }, ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function main(): Promise<void> {
  const config = envOrExit();

  // The browser's proving files (normally copied by postinstall; again here after --ignore-scripts).
  copySemaphoreArtifacts();
  await buildIfStale();

  const warning = exposureWarning(config);
  if (warning) console.warn(warning);

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(config.PORT),
    HOST: config.host,
  };
  if (!config.AUTH_SECRET && config.APP_ENV !== "production") childEnv.AUTH_SECRET = developmentSecret(config.dataDir);
  childEnv.AUTH_URL = config.authUrl;

  // What is running, for the shutdown path (which may run before either exists).
  const running: { anvil?: AnvilProcess; server?: ChildProcess } = {};
  let stopping = false;

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const { server, anvil } = running;
    if (server) {
      if (server.exitCode === null) server.kill("SIGTERM");
      await waitForExit(server, 15_000);
    }
    if (anvil) await anvil.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(130));
  process.on("SIGTERM", () => void stop(143));
  process.on("SIGHUP", () => void stop(129));

  if (!config.CHAIN_RPC_URL) {
    const stateDir = path.join(config.dataDir, "anvil");
    fs.mkdirSync(stateDir, { recursive: true });
    const anvil = await startAnvil({ stateFile: path.join(stateDir, "state.json"), silent: true });
    running.anvil = anvil;
    log(`local chain (anvil) on ${anvil.rpcUrl}, chain id ${anvil.chainId}`);
    const deployment = await deployLocalChain({ rpcUrl: anvil.rpcUrl, file: config.deploymentsFile, privateKey: config.relayerKey });
    log(`contracts ${deployment.deployed ? "deployed" : "reused"}: ${Object.keys(deployment.contracts).join(", ")}`);
    childEnv.CHAIN_RPC_URL = anvil.rpcUrl;
  }

  log(
    `starting the portal on ${config.authUrl}, listening on ${config.host}:${config.PORT} (${config.databaseKind === "pglite" ? `embedded database in ${config.pgliteDir}` : "PostgreSQL"})`,
  );
  const server = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "serve.ts")], { stdio: "inherit", env: childEnv });
  running.server = server;
  server.on("exit", (code, signal) => {
    if (stopping) return;
    log(`the portal stopped (${signal ?? `exit ${code}`})`);
    void stop(code ?? 1);
  });
}

main().catch((error: unknown) => {
  console.error(`\nTrialLedger cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
