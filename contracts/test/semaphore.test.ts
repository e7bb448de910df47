// Semaphore v4 as the portal deploys it (lib/chain/deploy.ts): PoseidonT3 linked into Semaphore,
// group roots identical to @semaphore-protocol/core's off-chain Group, the deployments file
// trusted only when the chain holds the recorded code, and anvil's state file surviving a restart.
// Proofs against these contracts are in consent-registry.test.ts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Group, Identity } from "@semaphore-protocol/core";
import { Contract, type JsonRpcProvider, type Signer, Wallet } from "ethers";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { devSigner } from "./support";
import { startAnvil } from "@/lib/chain/anvil";
import { openProvider } from "@/lib/chain/client";
import { DEPLOY_STEPS, DeploymentMissingError, deployLocalChain, ensureDeployment, readDeployments } from "@/lib/chain/deploy";
import { semaphoreAbi } from "@/lib/chain/generated/abis";
import type { SemaphoreContract } from "@/lib/chain/generated/types";
import { ANVIL_DEV_KEY } from "@/lib/env";



const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "trialledger-contracts-"));
let counter = 0;
/** A deployments file of its own for each test, so no test sees another's record. */
const freshFile = () => path.join(tmp, `deployments-${++counter}.json`);

function semaphoreAt(address: string, signer: Signer): SemaphoreContract {
  return new Contract(address, semaphoreAbi, signer) as unknown as SemaphoreContract;
}

async function createGroup(semaphore: SemaphoreContract): Promise<bigint> {
  const receipt = await (await semaphore["createGroup()"]()).wait();
  for (const log of receipt?.logs ?? []) {
    const event = semaphore.interface.parseLog(log);
    if (event?.name === "GroupCreated") return event.args.getValue("groupId") as bigint;
  }
  throw new Error("no GroupCreated event");
}

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("deployment on the run's anvil", () => {
  let provider: JsonRpcProvider;
  let signer: Signer;

  beforeAll(async () => {
    ({ provider } = await openProvider(inject("anvilRpcUrl")));
    signer = devSigner(provider, 1);
  });
  afterAll(() => provider.destroy());

  it("refuses a chain that lacks the recorded contracts, naming them, the chain and the fix", async () => {
    const empty = freshFile();
    const error = await ensureDeployment({ provider, file: empty, allowDeploy: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeploymentMissingError);
    expect((error as Error).message).toMatch(/not deployed on chain 31337/);
    expect((error as Error).message).toMatch(/Semaphore is not recorded/);
    expect((error as Error).message).toMatch(/npm run contracts:deploy/);

    // A record that names addresses with no code (e.g. a chain that was reset) is refused too.
    const stale = freshFile();
    const nowhere = Wallet.createRandom().address;
    const entry = { address: nowhere, blockNumber: 1, txHash: "0x", codeHash: `0x${"0".repeat(64)}`, args: [] };
    fs.writeFileSync(
      stale,
      JSON.stringify({
        "31337": { deployedAt: "", contracts: { PoseidonT3: entry, SemaphoreVerifier: entry, Semaphore: entry } },
      }),
    );
    await expect(ensureDeployment({ provider, file: stale, allowDeploy: false })).rejects.toThrow(
      `Semaphore: no contract at ${nowhere}`,
    );
  });

  it("deploys once, then accepts and reuses the recorded addresses without sending a transaction", async () => {
    const file = freshFile();
    const first = await ensureDeployment({ provider, signer, file, allowDeploy: true });
    expect(first.newlyDeployed).toEqual(DEPLOY_STEPS.map((step) => step.contract));
    expect(first.newlyDeployed.slice(0, 3)).toEqual(["PoseidonT3", "SemaphoreVerifier", "Semaphore"]);
    expect(readDeployments(file)["31337"]?.contracts.Semaphore?.address).toBe(first.contracts.Semaphore.address);

    const nonce = await signer.getNonce();
    const checked = await ensureDeployment({ provider, file, allowDeploy: false });
    expect(checked.contracts).toEqual(first.contracts);
    const again = await ensureDeployment({ provider, signer, file, allowDeploy: true });
    expect(again.newlyDeployed).toEqual([]);
    expect(again.contracts).toEqual(first.contracts);
    expect(await signer.getNonce()).toBe(nonce);

    const semaphore = semaphoreAt(first.contracts.Semaphore.address, signer);
    expect(await semaphore.verifier()).toBe(first.contracts.SemaphoreVerifier.address);
  });

  it("refuses a recorded address that holds another contract", async () => {
    const file = freshFile();
    const { contracts } = await ensureDeployment({ provider, signer, file, allowDeploy: true });
    const all = readDeployments(file);
    const chain = all["31337"];
    if (!chain) throw new Error("no record for chain 31337");
    // Point Semaphore's record at the verifier (codeHash included, so only the build comparison can catch it).
    chain.contracts.Semaphore = { ...contracts.SemaphoreVerifier, args: contracts.Semaphore.args };
    fs.writeFileSync(file, JSON.stringify(all));

    await expect(ensureDeployment({ provider, file, allowDeploy: false })).rejects.toThrow(
      /Semaphore at 0x[0-9a-fA-F]{40} is another build/,
    );
    const repaired = await ensureDeployment({ provider, signer, file, allowDeploy: true });
    expect(repaired.newlyDeployed).toEqual(["Semaphore", "ConsentRegistry"]);
    expect(repaired.contracts.PoseidonT3).toEqual(contracts.PoseidonT3);
  });

  it("keeps the same Merkle root on chain as @semaphore-protocol/core's Group (PoseidonT3 linked right)", async () => {
    const { contracts } = await ensureDeployment({ provider, signer, file: freshFile(), allowDeploy: true });
    const semaphore = semaphoreAt(contracts.Semaphore.address, signer);
    const groupId = await createGroup(semaphore);
    const group = new Group();
    const identities = Array.from({ length: 7 }, (_, i) => new Identity(`semaphore-test-${groupId}-${i}`));

    // One at a time: the root with one member is the member itself; hashing starts with the second.
    for (const identity of identities.slice(0, 2)) {
      await (await semaphore.addMember(groupId, identity.commitment)).wait();
      group.addMember(identity.commitment);
      expect(await semaphore.getMerkleTreeRoot(groupId)).toBe(group.root);
    }
    const batch = identities.slice(2).map((i) => i.commitment);
    await (await semaphore.addMembers(groupId, batch)).wait();
    group.addMembers(batch);

    expect(await semaphore.getMerkleTreeRoot(groupId)).toBe(group.root);
    expect(await semaphore.getMerkleTreeSize(groupId)).toBe(BigInt(group.size));
    expect(await semaphore.getMerkleTreeDepth(groupId)).toBe(BigInt(group.depth));
    expect(await semaphore.hasMember(groupId, identities[6]?.commitment ?? 0n)).toBe(true);
  });
});

describe("anvil state file", () => {
  it("keeps the contracts and their state across a restart, and the deployment is reused", async () => {
    const stateFile = path.join(tmp, "anvil", "state.json");
    const file = freshFile();

    const first = await startAnvil({ stateFile, silent: true });
    let root: bigint;
    let groupId: bigint;
    let deployed;
    try {
      const { provider } = await openProvider(first.rpcUrl);
      await expect(ensureDeployment({ provider, file, allowDeploy: false })).rejects.toThrow(DeploymentMissingError);
      deployed = await deployLocalChain({ rpcUrl: first.rpcUrl, file, privateKey: ANVIL_DEV_KEY });
      expect(deployed.deployed).toBe(true);
      const semaphore = semaphoreAt(deployed.contracts.Semaphore.address, new Wallet(ANVIL_DEV_KEY, provider));
      groupId = await createGroup(semaphore);
      await (await semaphore.addMembers(groupId, [11n, 22n, 33n])).wait();
      root = await semaphore.getMerkleTreeRoot(groupId);
      provider.destroy();
    } finally {
      await first.stop();
    }
    expect(fs.existsSync(stateFile)).toBe(true);

    const second = await startAnvil({ stateFile, silent: true });
    try {
      const again = await deployLocalChain({ rpcUrl: second.rpcUrl, file, privateKey: ANVIL_DEV_KEY });
      expect(again.deployed).toBe(false);
      expect(again.contracts).toEqual(deployed.contracts);
      const { provider } = await openProvider(second.rpcUrl);
      const semaphore = semaphoreAt(again.contracts.Semaphore.address, new Wallet(ANVIL_DEV_KEY, provider));
      expect(await semaphore.getMerkleTreeRoot(groupId)).toBe(root);
      provider.destroy();
    } finally {
      await second.stop();
    }
  });

  it("saves the chain within about a second of a block, so a hard kill of anvil keeps the contracts", async () => {
    const stateFile = path.join(tmp, "anvil-kill", "state.json");
    const file = freshFile();
    const first = await startAnvil({ stateFile, silent: true });
    const deployed = await deployLocalChain({ rpcUrl: first.rpcUrl, file, privateKey: ANVIL_DEV_KEY });
    const lastBlock = deployed.contracts.Semaphore.blockNumber;
    const saved = () => {
      try {
        return (JSON.parse(fs.readFileSync(stateFile, "utf8")) as { best_block_number: number }).best_block_number;
      } catch {
        return -1;
      }
    };
    await vi.waitFor(() => expect(saved()).toBeGreaterThanOrEqual(lastBlock), { timeout: 3_000, interval: 100 });
    process.kill(first.pid, "SIGKILL");
    await first.stop();

    const second = await startAnvil({ stateFile, silent: true });
    try {
      const again = await deployLocalChain({ rpcUrl: second.rpcUrl, file, privateKey: ANVIL_DEV_KEY });
      expect(again.deployed).toBe(false);
    } finally {
      await second.stop();
    }
  });

  it("falls back to the copy kept at the previous start when the state file is damaged", async () => {
    const stateFile = path.join(tmp, "anvil-damaged", "state.json");
    const file = freshFile();
    const first = await startAnvil({ stateFile, silent: true });
    await deployLocalChain({ rpcUrl: first.rpcUrl, file, privateKey: ANVIL_DEV_KEY }).finally(() => first.stop());
    await (await startAnvil({ stateFile, silent: true })).stop(); // this start keeps state.json.bak
    fs.writeFileSync(stateFile, fs.readFileSync(stateFile, "utf8").slice(0, 1_000)); // as if killed mid-write

    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const third = await startAnvil({ stateFile, silent: true });
    try {
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/is damaged .* restoring the copy/));
      expect(fs.existsSync(`${stateFile}.damaged`)).toBe(true);
      const again = await deployLocalChain({ rpcUrl: third.rpcUrl, file, privateKey: ANVIL_DEV_KEY });
      expect(again.deployed).toBe(false);
    } finally {
      warn.mockRestore();
      await third.stop();
    }
  });
});
