import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";

/**
 * A local anvil chain as a child process: the embedded mode's chain (`npm start`) and the contract
 * tests' chain. The binary comes from npm (`@foundry-rs/anvil-<platform>`), so nothing is
 * downloaded at run time.
 *
 * Lifetime: the child never outlives its parent.
 * - It stays in the parent's process group, so Ctrl-C in a terminal (SIGINT to the whole
 *   foreground group) reaches anvil too, and anvil shuts down cleanly, saving its state.
 * - A `process.on("exit")` hook sends it SIGTERM when the parent exits normally or on an uncaught
 *   exception (signal handlers are deliberately not installed: they would change how the caller's
 *   process reacts to SIGTERM/SIGINT).
 * - On Linux, anvil is started through util-linux `setpriv --pdeathsig TERM`, so the kernel sends it
 *   SIGTERM when the parent dies in a way no hook sees (SIGKILL, OOM killer). Caveat: the kernel
 *   fires this when the *thread* that spawned anvil exits — call startAnvil from a process's main
 *   thread, or accept that anvil stops with the worker thread that started it.
 *
 * State file (checked on anvil 1.7.1):
 * - `--state <file>` loads the chain from the file and writes it back when anvil shuts down on
 *   SIGTERM or SIGINT — also the pdeathsig SIGTERM, so a SIGKILLed parent loses nothing.
 * - anvil's own periodic dump (`--state-interval`, default 60 s) rewrites the whole chain every
 *   interval, idle or not, in place (open with O_TRUNC, then write): the file holds every block and
 *   receipt, ~9 KB per Semaphore addMember (9 MB after 1,000), and a kill during the write leaves it
 *   truncated. So the parent saves instead: within SAVE_INTERVAL_MS after each new block it fetches
 *   `anvil_dumpState` and writes it to a temporary file that it renames over the state file. An idle
 *   chain costs no writes; a hard kill of anvil itself (SIGKILL, OOM, power loss) loses about the
 *   last second of blocks — blocks whose transactions the database may already have recorded.
 * - A state file that still ends up damaged (killed during the shutdown write) is replaced at the
 *   next start by the copy kept at the previous start (`<file>.bak`), with a warning.
 */

export type StartAnvilOptions = {
  /** anvil loads its chain from this file when it exists and saves it there (see above). */
  stateFile?: string;
  /** Port on 127.0.0.1; a free one is chosen when absent. */
  port?: number;
  /** Do not forward anvil's output (its stderr is still kept for error messages). */
  silent?: boolean;
  /** How long to wait for the JSON-RPC endpoint before giving up; 15 s by default. */
  startTimeoutMs?: number;
  /**
   * EIP-155 chain id; anvil's 31337 by default. Tests that run a chain of their own next to the
   * shared one give it another id, so the anchoring worker (which re-checks anchors per chain id
   * and contract, and both chains deploy to the same addresses) never mistakes one for the other.
   */
  chainId?: number;
};

export type AnvilProcess = {
  rpcUrl: string;
  chainId: number;
  pid: number;
  /**
   * Stops saving, sends SIGTERM (anvil writes its state file, then exits) and resolves once it has
   * exited; SIGKILL after 10 s. Idempotent.
   */
  stop(): Promise<void>;
};

/** After a new block, the state file is rewritten within this long. */
const SAVE_INTERVAL_MS = 1_000;
/**
 * anvil's own periodic dump cannot be switched off; an hour keeps it as a rare backstop in case the
 * parent's saving keeps failing (which it reports).
 */
const ANVIL_STATE_INTERVAL_SECONDS = 3_600;
/** Writing a large state at shutdown can take a while; SIGKILL only after this. */
const STOP_TIMEOUT_MS = 10_000;
/** Bytes of anvil's stderr kept for error messages. */
const STDERR_TAIL = 8_192;

const PLATFORM_PACKAGES: Partial<Record<string, Partial<Record<string, string>>>> = {
  linux: { x64: "@foundry-rs/anvil-linux-amd64", arm64: "@foundry-rs/anvil-linux-arm64" },
  darwin: { x64: "@foundry-rs/anvil-darwin-amd64", arm64: "@foundry-rs/anvil-darwin-arm64" },
  win32: { x64: "@foundry-rs/anvil-win32-amd64" },
};

/** Path of the anvil binary shipped by npm for this platform. Throws with install advice when missing. */
export function anvilBinary(): string {
  const pkg = PLATFORM_PACKAGES[process.platform]?.[process.arch];
  if (!pkg) {
    throw new Error(
      `anvil is not published on npm for ${process.platform}/${process.arch}; ` +
        "set CHAIN_RPC_URL to an EVM JSON-RPC endpoint instead of using the embedded chain",
    );
  }
  const binary = process.platform === "win32" ? "anvil.exe" : "anvil";
  try {
    return createRequire(import.meta.url).resolve(`${pkg}/bin/${binary}`);
  } catch {
    throw new Error(
      `the anvil binary is missing: npm package ${pkg} is not installed. ` +
        `TrialLedger lists only the Linux x64 build (the one the npm registry here serves) as an optional dependency; ` +
        `on another platform run \`npm install --no-save ${pkg}\`, or point CHAIN_RPC_URL at a chain of your own.`,
    );
  }
}

let setprivChecked: string | null | undefined;
/** util-linux setpriv when it supports --pdeathsig (util-linux ≥ 2.33), else null. */
function setprivWithPdeathsig(): string | null {
  if (setprivChecked !== undefined) return setprivChecked;
  setprivChecked = null;
  if (process.platform !== "linux") return null;
  for (const candidate of ["/usr/bin/setpriv", "/bin/setpriv"]) {
    if (!fs.existsSync(candidate)) continue;
    const help = spawnSync(candidate, ["--help"], { encoding: "utf8", timeout: 2_000 });
    if (help.stdout?.includes("--pdeathsig")) setprivChecked = candidate;
    break;
  }
  return setprivChecked;
}

function isValidJsonFile(file: string): boolean {
  try {
    JSON.parse(fs.readFileSync(file, "utf8"));
    return true;
  } catch {
    return false;
  }
}

/** Keeps a copy of a state file that parses (`<file>.bak`) and falls back to it when the file is damaged. */
function prepareStateFile(stateFile: string): void {
  fs.mkdirSync(path.dirname(stateFile), { recursive: true });
  const backup = `${stateFile}.bak`;
  if (!fs.existsSync(stateFile)) return;
  if (isValidJsonFile(stateFile)) {
    fs.copyFileSync(stateFile, `${backup}.tmp`);
    fs.renameSync(`${backup}.tmp`, backup);
    return;
  }
  if (fs.existsSync(backup) && isValidJsonFile(backup)) {
    const when = fs.statSync(backup).mtime.toISOString();
    console.warn(
      `anvil state file ${stateFile} is damaged (anvil was killed while writing it); ` +
        `restoring the copy from ${when}: chain history after that is lost`,
    );
    fs.renameSync(stateFile, `${stateFile}.damaged`);
    fs.copyFileSync(backup, stateFile);
    return;
  }
  throw new Error(
    `anvil state file ${stateFile} is damaged and there is no usable backup (${backup}). ` +
      "Move it away to start a fresh chain (its contracts will be deployed again).",
  );
}

async function rpc(rpcUrl: string, method: string, timeoutMs: number): Promise<string> {
  const response = await fetch(rpcUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: [] }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message?: string } };
  if (typeof body.result !== "string") throw new Error(`${method}: ${body.error?.message ?? "no result"}`);
  return body.result;
}

/** Rewrites the state file from `anvil_dumpState` after each new block; see the file comment. */
function startSaving(rpcUrl: string, stateFile: string, startBlock: string, isRunning: () => boolean) {
  let savedBlock = startBlock;
  let inFlight: Promise<void> | undefined;
  let lastWarning = 0;

  async function save(): Promise<void> {
    const block = await rpc(rpcUrl, "eth_blockNumber", 5_000);
    if (block === savedBlock) return;
    // The result is the gzipped JSON that --state loads, hex-encoded.
    const dump = await rpc(rpcUrl, "anvil_dumpState", 30_000);
    const json = await promisify(gunzip)(Buffer.from(dump.slice(2), "hex"));
    const tmp = `${stateFile}.${process.pid}.tmp`;
    await fs.promises.writeFile(tmp, json);
    await fs.promises.rename(tmp, stateFile);
    savedBlock = block;
  }

  const timer = setInterval(() => {
    inFlight ??= save()
      .catch((error: unknown) => {
        // Failures while anvil shuts down are expected; others are reported at most once a minute.
        if (!isRunning() || Date.now() - lastWarning < 60_000) return;
        lastWarning = Date.now();
        console.warn(`[anvil] saving ${stateFile} failed: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        inFlight = undefined;
      });
  }, SAVE_INTERVAL_MS);
  timer.unref();

  return async function stopSaving(): Promise<void> {
    clearInterval(timer);
    await inFlight;
  };
}

/** Resolves to `onTimeout` after `ms` unless `promise` settles first; never keeps the process alive. */
async function raceTimeout<T, U>(promise: Promise<T>, ms: number, onTimeout: U): Promise<T | U> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<U>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts anvil on 127.0.0.1 and resolves once its JSON-RPC answers.
 * Throws when the binary is missing, the state file is damaged beyond its backup, anvil exits
 * early (e.g. the port is taken) or the endpoint does not answer within `startTimeoutMs`; the
 * message includes anvil's stderr.
 */
export async function startAnvil(opts: StartAnvilOptions = {}): Promise<AnvilProcess> {
  const binary = anvilBinary();
  // Port 0 lets the kernel pick a free port with no probe-then-bind race; anvil prints the real one.
  const args = ["--host", "127.0.0.1", "--port", String(opts.port ?? 0)];
  if (opts.chainId !== undefined) args.push("--chain-id", String(opts.chainId));
  const stateFile = opts.stateFile ? path.resolve(opts.stateFile) : undefined;
  if (stateFile) {
    prepareStateFile(stateFile);
    args.push("--state", stateFile, "--state-interval", String(ANVIL_STATE_INTERVAL_SECONDS));
  }
  const setpriv = setprivWithPdeathsig();
  const [command, commandArgs] = setpriv
    ? [setpriv, ["--pdeathsig", "TERM", "--", binary, ...args]]
    : [binary, args];

  const child = spawn(command, commandArgs, { stdio: ["ignore", "pipe", "pipe"] });

  let stderr = "";
  let stdoutBuffer = "";
  let listening: ((port: number) => void) | undefined;
  const portPromise = new Promise<number>((resolve) => (listening = resolve));
  let hasExited = false;
  let stopping = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      hasExited = true;
      process.off("exit", killOnExit);
      resolve({ code, signal });
    }),
  );
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));

  // Both pipes must be drained even when silent, or anvil blocks once the pipe buffer fills.
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    if (!opts.silent) process.stdout.write(chunk);
    if (!listening) return;
    stdoutBuffer = (stdoutBuffer + chunk).slice(-4_096);
    const match = /Listening on [^\s:]+:(\d+)/.exec(stdoutBuffer);
    if (match?.[1]) {
      listening(Number(match[1]));
      listening = undefined;
    }
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    if (!opts.silent) process.stderr.write(chunk);
    stderr = (stderr + chunk).slice(-STDERR_TAIL);
  });

  function killOnExit(): void {
    child.kill("SIGTERM");
  }
  process.on("exit", killOnExit);

  let stopSaving: (() => Promise<void>) | undefined;
  async function stop(): Promise<void> {
    stopping = true;
    await stopSaving?.();
    if (hasExited) return;
    child.kill("SIGTERM");
    if ((await raceTimeout(exited, STOP_TIMEOUT_MS, "timeout" as const)) === "timeout") {
      child.kill("SIGKILL");
      await exited;
    }
  }

  const timeoutMs = opts.startTimeoutMs ?? 15_000;
  const deadline = performance.now() + timeoutMs;
  const fail = async (reason: string): Promise<never> => {
    await stop();
    const tail = stderr.trim() ? `\nanvil stderr:\n${stderr.trim()}` : "";
    throw new Error(`anvil did not start: ${reason}${tail}`);
  };

  const first = await raceTimeout(
    Promise.race([
      portPromise.then((port) => ({ kind: "port" as const, port })),
      exited.then((e) => ({ kind: "exit" as const, ...e })),
      spawnError.then((error) => ({ kind: "error" as const, error })),
    ]),
    timeoutMs,
    { kind: "timeout" as const },
  );
  if (first.kind === "error") return fail(`cannot run ${command}: ${first.error.message}`);
  if (first.kind === "exit") return fail(`it exited with ${first.signal ?? `code ${first.code}`}`);
  if (first.kind === "timeout") return fail(`no "Listening on" line within ${timeoutMs} ms`);

  const rpcUrl = `http://127.0.0.1:${first.port}`;
  let lastError = "";
  while (performance.now() < deadline) {
    if (hasExited) return fail("it exited while starting");
    try {
      const chainId = Number.parseInt(await rpc(rpcUrl, "eth_chainId", 1_000), 16);
      if (child.pid === undefined) return fail("it has no process id");
      if (stateFile) {
        const startBlock = await rpc(rpcUrl, "eth_blockNumber", 1_000);
        stopSaving = startSaving(rpcUrl, stateFile, startBlock, () => !stopping && !hasExited);
      }
      return { rpcUrl, chainId, pid: child.pid, stop };
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
      await sleep(50);
    }
  }
  return fail(`${rpcUrl} did not answer eth_chainId within ${timeoutMs} ms (${lastError})`);
}
