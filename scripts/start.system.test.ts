// The newcomer's experience, for real: `npm start` on a fresh data directory serves a healthy
// portal with demo data and a local chain; Ctrl-C leaves no process behind; a restart keeps the
// data and the deployed contracts; the embedded database has exactly one owner. It listens on
// loopback only unless HOST says otherwise, and then warns and keeps no development mailbox.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { startAnvil } from "@/lib/chain/anvil";
import { deployLocalChain } from "@/lib/chain/deploy";
import { ANVIL_DEV_KEY } from "@/lib/env";
import { type Portal, groupMembers, interrupt, startPortal } from "@/scripts/lib/portal-process";

const run = promisify(execFile);

/** Runs `npm start` with `env` added, expecting it to refuse: its exit code and everything it printed. */
async function failedStart(env: Record<string, string>): Promise<{ code: number; output: string }> {
  const result = await run("npm", ["start"], { env: { ...process.env, ...env }, timeout: 120_000 }).then(
    () => ({ code: 0, stdout: "", stderr: "" }),
    (error: unknown) => error as { code: number; stdout: string; stderr: string },
  );
  return { code: result.code, output: `${result.stdout}${result.stderr}` };
}
/** This machine's address on its network (not loopback): what another machine would connect to. */
function networkAddress(): string {
  const address = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && !i.internal && i.family === "IPv4")?.address;
  if (!address) throw new Error("these tests need a network interface besides loopback");
  return address;
}

/** Whether anything answers on `url` (false when the connection is refused). */
async function answers(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
    () => true,
    () => false,
  );
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "trialledger-system-"));
const port = 3200 + Math.floor(Math.random() * 500);
const demo = "sponsor@demo.trialledger.test";

type Health = { chain: { contracts: Record<string, { address: string }> } };

async function requestMagicLink(portal: Portal, email: string): Promise<void> {
  const csrf = await fetch(`${portal.baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const response = await fetch(`${portal.baseUrl}/api/auth/signin/email`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ email, csrfToken, callbackUrl: "/dashboard" }),
    redirect: "manual",
  });
  expect(response.status).toBe(302);
}

async function mails(portal: Portal, to: string): Promise<Array<{ subject: string }>> {
  const response = await fetch(`${portal.baseUrl}/api/dev/mailbox?to=${encodeURIComponent(to)}`);
  return ((await response.json()) as { mails: Array<{ subject: string }> }).mails;
}

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start", () => {
  let firstAddresses: Record<string, { address: string }> = {};

  it("starts on a fresh data directory with demo data, and Ctrl-C leaves nothing running", async () => {
    const portal = await startPortal({ dataDir, port });
    try {
      expect(portal.output()).toContain("Demo accounts");
      expect(portal.output()).toContain(demo);
      const health = (await (await fetch(`${portal.baseUrl}/api/health`)).json()) as Health;
      firstAddresses = health.chain.contracts;
      expect(Object.keys(firstAddresses)).toContain("Semaphore");
      await requestMagicLink(portal, demo);
      expect(await mails(portal, demo)).toHaveLength(1);
      // Loopback only: nothing answers on the machine's network address.
      expect(portal.output()).toContain(`listening on 127.0.0.1:${port}`);
      expect(await answers(`http://${networkAddress()}:${port}/api/health`)).toBe(false);

      // The embedded database belongs to the running portal: a second process is refused.
      const second = run("npm", ["run", "db:reset"], { env: { ...process.env, DATA_DIR: dataDir } });
      await expect(second).rejects.toMatchObject({ stderr: expect.stringMatching(/in use by process \d+/) as unknown });
    } finally {
      const pgid = portal.child.pid;
      await interrupt(portal);
      if (pgid !== undefined) expect(groupMembers(pgid)).toEqual([]);
    }
    const { stdout } = await run("ps", ["-eo", "args"]);
    expect(stdout).not.toContain(dataDir);
  });

  it("restarts with the same data and the same contracts", async () => {
    const portal = await startPortal({ dataDir, port });
    try {
      expect(portal.output()).not.toContain("Demo accounts");
      expect(await mails(portal, demo)).toHaveLength(1);
      const health = (await (await fetch(`${portal.baseUrl}/api/health`)).json()) as Health;
      expect(health.chain.contracts).toEqual(firstAddresses);
      expect(portal.output()).toContain("contracts reused");
    } finally {
      await interrupt(portal);
    }
  });

  it("on a network address in development: warns, and the development mailbox is off", async () => {
    const portal = await startPortal({ dataDir, port, env: { HOST: "0.0.0.0" } });
    try {
      expect(portal.output()).toContain(`WARNING: a development portal is listening on 0.0.0.0:${port}, reachable from the network.`);
      expect(portal.output()).toContain("The development mailbox (/api/dev/mailbox) is OFF");
      const outside = `http://${networkAddress()}:${port}`;
      expect(await answers(`${outside}/api/health`)).toBe(true);
      await requestMagicLink(portal, demo);
      for (const base of [portal.baseUrl, outside]) {
        const response = await fetch(`${base}/api/dev/mailbox?to=${encodeURIComponent(demo)}`);
        expect(response.status).toBe(404);
      }
      // The link is in the operator's log, not in a mailbox anyone could read.
      expect(portal.output()).toContain(`[mail] to ${demo}: Your TrialLedger sign-in link`);
    } finally {
      await interrupt(portal);
    }
  });
});

describe("npm start on a chain without the contracts", () => {
  it("refuses to start and says how to fix it", async () => {
    const anvil = await startAnvil({ silent: true });
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), "trialledger-nochain-"));
    try {
      const { code, output } = await failedStart({ DATA_DIR: otherDir, PORT: String(port + 1), CHAIN_RPC_URL: anvil.rpcUrl });
      expect(code).toBe(1);
      expect(output).toContain("TrialLedger cannot start");
      expect(output).toMatch(/contracts:deploy/);
    } finally {
      await anvil.stop();
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  });
});

describe("npm start with a relayer the contracts do not know", () => {
  it("refuses to start and says how to allow it", async () => {
    const anvil = await startAnvil({ silent: true });
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), "trialledger-relayer-"));
    const deploymentsFile = path.join(otherDir, "deployments.json");
    try {
      await deployLocalChain({ rpcUrl: anvil.rpcUrl, file: deploymentsFile, privateKey: ANVIL_DEV_KEY });
      const { code, output } = await failedStart({
        DATA_DIR: otherDir,
        PORT: String(port + 2),
        CHAIN_RPC_URL: anvil.rpcUrl,
        DEPLOYMENTS_FILE: deploymentsFile,
        // anvil's dev account #5: funded, but never made a relayer.
        RELAYER_PRIVATE_KEY: "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
      });
      expect(code).toBe(1);
      expect(output).toMatch(/relayer 0x[0-9a-fA-F]{40} .* may not write to TrialRegistry/);
    } finally {
      await anvil.stop();
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  });
});
