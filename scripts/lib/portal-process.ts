import { type ChildProcess, execFileSync, spawn } from "node:child_process";

/**
 * Starts `npm start` as a newcomer would, in its own process group (so a test can send the
 * group SIGINT, exactly what Ctrl-C in a terminal does), and waits for /api/health to answer 200.
 * Used by the start-up tests and bench/startup.
 */
export type Portal = {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
  /** Milliseconds from spawn to the first 200 on /api/health. */
  readyAfterMs: number;
};

export async function startPortal(opts: { dataDir: string; port: number; env?: Record<string, string>; timeoutMs?: number }): Promise<Portal> {
  const baseUrl = `http://localhost:${opts.port}`;
  const started = performance.now();
  const child = spawn("npm", ["start"], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATA_DIR: opts.dataDir,
      PORT: String(opts.port),
      AUTH_URL: baseUrl,
      NEXT_TELEMETRY_DISABLED: "1",
      ...opts.env,
    },
  });
  let log = "";
  child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const deadline = Date.now() + (opts.timeoutMs ?? 240_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${log}`);
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.status === 200) return { child, baseUrl, output: () => log, readyAfterMs: performance.now() - started };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  stopGroup(child, "SIGKILL");
  throw new Error(`the portal did not become healthy in time:\n${log}`);
}

function stopGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** The pids still alive in the portal's process group. */
export function groupMembers(pgid: number): number[] {
  try {
    const out = execFileSync("ps", ["-o", "pid=", "-g", String(pgid)], { encoding: "utf8" });
    return out.split("\n").map((s) => Number.parseInt(s.trim(), 10)).filter(Number.isInteger);
  } catch {
    return []; // ps exits 1 when no process matches
  }
}

/** Ctrl-C: SIGINT to the whole group; resolves with npm's exit once it is gone. */
export async function interrupt(portal: Portal, timeoutMs = 30_000): Promise<number | null> {
  const { child } = portal;
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
  stopGroup(child, "SIGINT");
  const timer = setTimeout(() => stopGroup(child, "SIGKILL"), timeoutMs);
  const code = await exited;
  clearTimeout(timer);
  // The group's other members (the server, anvil) may outlive npm by a moment.
  const deadline = Date.now() + timeoutMs;
  while (child.pid !== undefined && groupMembers(child.pid).length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  return code;
}
