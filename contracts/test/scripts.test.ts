// The two contract commands as a person runs them: `contracts:build` skips an unchanged build,
// `contracts:deploy` deploys to a given RPC with a deployer key, records the addresses for the
// chain id, and reuses them on a second run. Uses anvil dev account #4 (nothing else sends from it).
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";
import { readDeployments } from "@/lib/chain/deploy";

const run = promisify(execFile);
const ACCOUNT_4 = "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a";

describe("contract scripts", () => {
  it("contracts:build reports an unchanged build without compiling", async () => {
    const before = fs.statSync("lib/chain/generated/bytecode.json").mtimeMs;
    const { stdout } = await run("npm", ["run", "--silent", "contracts:build"]);
    expect(stdout).toContain("contracts up to date");
    expect(fs.statSync("lib/chain/generated/bytecode.json").mtimeMs).toBe(before);
  });

  it("contracts:deploy deploys with the deployer key, records per chain id, and reuses on a second run", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-deploy-"));
    const file = path.join(dir, "deployments.json");
    const env = { ...process.env, CHAIN_RPC_URL: inject("anvilRpcUrl"), DEPLOYER_PRIVATE_KEY: ACCOUNT_4, DEPLOYMENTS_FILE: file, RELAYER_PRIVATE_KEY: "" };
    try {
      await run("npm", ["run", "--silent", "contracts:deploy"], { env });
      const first = readDeployments(file)["31337"]?.contracts;
      expect(Object.keys(first ?? {})).toEqual(expect.arrayContaining(["Semaphore", "TrialRegistry"]));
      await run("npm", ["run", "--silent", "contracts:deploy"], { env });
      expect(readDeployments(file)["31337"]?.contracts).toEqual(first);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("contracts:deploy says what is missing without a deployer key", async () => {
    const attempt = run("npm", ["run", "--silent", "contracts:deploy"], {
      env: { ...process.env, CHAIN_RPC_URL: inject("anvilRpcUrl"), DEPLOYER_PRIVATE_KEY: "" },
    });
    await expect(attempt).rejects.toMatchObject({ stderr: expect.stringContaining("DEPLOYER_PRIVATE_KEY") as unknown });
  });
});
