// TrialRegistry as the portal deploys it (lib/chain/deploy.ts): anchoring batched Merkle roots
// exactly once, registration and the amendment chain of a trial, and who may write. Every call is a
// real transaction on the run's anvil; reverts are identified by their custom error, decoded with
// the contract's ABI. This file sends from anvil dev accounts #2 (owner) and #3 (an outsider).
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  Contract,
  ContractFactory,
  type ContractTransactionResponse,
  HDNodeWallet,
  type JsonRpcProvider,
  type LogDescription,
  sha256,
  type Signer,
  toUtf8Bytes,
  type TransactionReceipt,
  ZeroHash,
} from "ethers";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { devSigner, revertOf } from "./support";
import { openProvider } from "@/lib/chain/client";
import { authorizeRelayer, ensureDeployment } from "@/lib/chain/deploy";
import { trialRegistryAbi } from "@/lib/chain/generated/abis";
import bytecodeFile from "@/lib/chain/generated/bytecode.json" with { type: "json" };
import type { TrialRegistryContract } from "@/lib/chain/generated/types";



const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "trialledger-registry-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A random 32-byte value: each test makes its own roots and digests, so none depends on another. */
const random32 = () => `0x${crypto.randomBytes(32).toString("hex")}`;
/** The portal's trial id: sha256 of the registration number string. */
const trialIdOf = (registrationNumber: string) => sha256(toUtf8Bytes(registrationNumber));
const newTrialId = () => trialIdOf(`TLR-2026-${crypto.randomInt(1e9).toString().padStart(9, "0")}`);

function registryAt(address: string, signer: Signer): TrialRegistryContract {
  return new Contract(address, trialRegistryAbi, signer) as unknown as TrialRegistryContract;
}

/** A registry of its own (deployer = owner = first relayer), for tests that change who may write. */
async function deployRegistry(owner: Signer): Promise<TrialRegistryContract> {
  const factory = new ContractFactory(trialRegistryAbi, bytecodeFile.contracts.TrialRegistry.bytecode, owner);
  const contract = await factory.deploy();
  await contract.waitForDeployment();
  return registryAt(await contract.getAddress(), owner);
}

async function mined(tx: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  const receipt = await (await tx).wait();
  if (!receipt || receipt.status !== 1) throw new Error("transaction failed");
  return receipt;
}

/** The registry's events in a receipt, decoded. */
function eventsOf(registry: TrialRegistryContract, receipt: TransactionReceipt): LogDescription[] {
  return receipt.logs.flatMap((log) => {
    const parsed = registry.interface.parseLog(log);
    return parsed ? [parsed] : [];
  });
}


/** trialOf as a plain object (ethers returns a Result: an array with named getters). */
async function trialState(registry: TrialRegistryContract, trialId: string) {
  const { currentDigest, version, registeredAt, updatedAt } = await registry.trialOf(trialId);
  return { currentDigest, version, registeredAt, updatedAt };
}

async function blockTimeOf(provider: JsonRpcProvider, receipt: TransactionReceipt): Promise<bigint> {
  const block = await provider.getBlock(receipt.blockNumber);
  if (!block) throw new Error(`block ${receipt.blockNumber} not found`);
  return BigInt(block.timestamp);
}

let provider: JsonRpcProvider;
let owner: HDNodeWallet;
let outsider: HDNodeWallet;
/** The registry deployed through DEPLOY_STEPS by account #2; its access list is never changed. */
let registry: TrialRegistryContract;

beforeAll(async () => {
  ({ provider } = await openProvider(inject("anvilRpcUrl")));
  owner = devSigner(provider, 2);
  outsider = devSigner(provider, 3);
  const deployment = await ensureDeployment({
    provider,
    signer: owner,
    file: path.join(tmp, "deployments.json"),
    allowDeploy: true,
  });
  registry = registryAt(deployment.contracts.TrialRegistry.address, owner);
});
afterAll(() => provider.destroy());

describe("deployment", () => {
  it("is a deploy step; the deployer is the owner and the first relayer", async () => {
    expect(await registry.owner()).toBe(owner.address);
    expect(await registry.isRelayer(owner.address)).toBe(true);
    expect(await registry.isRelayer(outsider.address)).toBe(false);
  });

  it("authorizeRelayer allows the portal's relayer once, and refuses a signer that is not the owner", async () => {
    const own = await deployRegistry(owner);
    const address = await own.getAddress();
    await expect(authorizeRelayer({ owner: outsider, registry: address, relayer: outsider.address })).rejects.toThrow(
      `is owned by ${owner.address}, not ${outsider.address}`,
    );
    expect(await authorizeRelayer({ owner, registry: address, relayer: outsider.address })).toBe(true);
    expect(await own.isRelayer(outsider.address)).toBe(true);
    const nonce = await owner.getNonce();
    expect(await authorizeRelayer({ owner, registry: address, relayer: outsider.address })).toBe(false);
    expect(await owner.getNonce()).toBe(nonce);
  });
});

describe("anchoring batched Merkle roots", () => {
  it("records block number, block time and leaf count, and emits RootAnchored", async () => {
    const root = random32();
    expect(await registry.anchorOf(root)).toEqual([0n, 0n, 0n]);

    const receipt = await mined(registry.anchorRoot(root, 1_000));
    const blockTime = await blockTimeOf(provider, receipt);
    const anchor = await registry.anchorOf(root);
    expect(anchor.blockNumber).toBe(BigInt(receipt.blockNumber));
    expect(anchor.blockTime).toBe(blockTime);
    expect(anchor.leafCount).toBe(1_000n);

    const events = eventsOf(registry, receipt);
    expect(events.map((e) => e.name)).toEqual(["RootAnchored"]);
    expect(events[0]?.args.toObject()).toEqual({ root, leafCount: 1_000n, blockTime });
    // The worker that crashed after sending finds its root by the indexed topic.
    const found = await registry.queryFilter(registry.getEvent("RootAnchored")(root), receipt.blockNumber);
    expect(found.map((log) => log.transactionHash)).toEqual([receipt.hash]);

    console.log(`TrialRegistry.anchorRoot: ${receipt.gasUsed} gas`);
  });

  it("anchors a root only once: the second attempt reverts AlreadyAnchored and the first anchor stays", async () => {
    const root = random32();
    const first = await mined(registry.anchorRoot(root, 3));
    const error = await revertOf(registry.interface, registry.anchorRoot(root, 5));
    expect(error.name).toBe("AlreadyAnchored");
    expect(error.args.toObject()).toEqual({ root });
    const anchor = await registry.anchorOf(root);
    expect(anchor.blockNumber).toBe(BigInt(first.blockNumber));
    expect(anchor.leafCount).toBe(3n);
  });

  it("refuses the zero root and an empty batch", async () => {
    expect((await revertOf(registry.interface, registry.anchorRoot(ZeroHash, 1))).name).toBe("ZeroRoot");
    const root = random32();
    expect((await revertOf(registry.interface, registry.anchorRoot(root, 0))).name).toBe("ZeroLeafCount");
    expect(await registry.anchorOf(root)).toEqual([0n, 0n, 0n]);
  });
});

describe("registration", () => {
  it("registers version 1 at the block's time and emits TrialRegistered", async () => {
    const trialId = trialIdOf(`TLR-2026-${crypto.randomInt(1e9)}`);
    const digest = random32();
    expect(await registry.isRegistered(trialId)).toBe(false);
    expect(await registry.trialOf(trialId)).toEqual([ZeroHash, 0n, 0n, 0n]);
    expect(await registry.registeredAt(trialId)).toBe(0n);

    const receipt = await mined(registry.registerTrial(trialId, digest));
    const blockTime = await blockTimeOf(provider, receipt);
    expect(await registry.isRegistered(trialId)).toBe(true);
    expect(await trialState(registry, trialId)).toEqual({
      currentDigest: digest,
      version: 1n,
      registeredAt: blockTime,
      updatedAt: blockTime,
    });
    expect(await registry.registeredAt(trialId)).toBe(blockTime);
    expect(eventsOf(registry, receipt).map((e) => [e.name, e.args.toObject()])).toEqual([
      ["TrialRegistered", { trialId, recordDigest: digest, registeredAt: blockTime }],
    ]);

    console.log(`TrialRegistry.registerTrial: ${receipt.gasUsed} gas`);
  });

  it("refuses a second registration of the same trial, keeping the first", async () => {
    const trialId = newTrialId();
    const digest = random32();
    await mined(registry.registerTrial(trialId, digest));
    const error = await revertOf(registry.interface, registry.registerTrial(trialId, random32()));
    expect(error.name).toBe("AlreadyRegistered");
    expect(error.args.toObject()).toEqual({ trialId });
    expect((await registry.trialOf(trialId)).currentDigest).toBe(digest);
  });

  it("refuses a zero digest and a zero trial id", async () => {
    const trialId = newTrialId();
    expect((await revertOf(registry.interface, registry.registerTrial(trialId, ZeroHash))).name).toBe("ZeroDigest");
    expect((await revertOf(registry.interface, registry.registerTrial(ZeroHash, random32()))).name).toBe("ZeroTrialId");
    expect(await registry.isRegistered(trialId)).toBe(false);
  });
});

describe("amendments", () => {
  it("amends to version 2 given the current digest; registeredAt stays, updatedAt moves, TrialAmended says so", async () => {
    const trialId = newTrialId();
    const v1 = random32();
    const v2 = random32();
    const registered = await mined(registry.registerTrial(trialId, v1));
    const registeredAt = await blockTimeOf(provider, registered);

    const receipt = await mined(registry.amendTrial(trialId, v1, v2));
    const amendedAt = await blockTimeOf(provider, receipt);
    expect(await trialState(registry, trialId)).toEqual({
      currentDigest: v2,
      version: 2n,
      registeredAt,
      updatedAt: amendedAt,
    });
    expect(await registry.registeredAt(trialId)).toBe(registeredAt);
    expect(eventsOf(registry, receipt).map((e) => [e.name, e.args.toObject()])).toEqual([
      ["TrialAmended", { trialId, version: 2n, previousDigest: v1, newDigest: v2, amendedAt }],
    ]);

    console.log(`TrialRegistry.amendTrial: ${receipt.gasUsed} gas`);
  });

  it("refuses a wrong previous digest, naming the expected and the given one", async () => {
    const trialId = newTrialId();
    const v1 = random32();
    await mined(registry.registerTrial(trialId, v1));
    const wrong = random32();
    const error = await revertOf(registry.interface, registry.amendTrial(trialId, wrong, random32()));
    expect(error.name).toBe("WrongPreviousDigest");
    expect(error.args.toObject()).toEqual({ trialId, expected: v1, given: wrong });
    expect((await registry.trialOf(trialId)).version).toBe(1n);
  });

  it("refuses to amend a trial that is not registered", async () => {
    const trialId = newTrialId();
    const error = await revertOf(registry.interface, registry.amendTrial(trialId, ZeroHash, random32()));
    expect(error.name).toBe("NotRegistered");
    expect(error.args.toObject()).toEqual({ trialId });
    expect(await registry.isRegistered(trialId)).toBe(false);
  });

  it("refuses a zero or unchanged new digest", async () => {
    const trialId = newTrialId();
    const v1 = random32();
    await mined(registry.registerTrial(trialId, v1));
    expect((await revertOf(registry.interface, registry.amendTrial(trialId, v1, ZeroHash))).name).toBe("ZeroDigest");
    const unchanged = await revertOf(registry.interface, registry.amendTrial(trialId, v1, v1));
    expect(unchanged.name).toBe("UnchangedDigest");
    expect(unchanged.args.toObject()).toEqual({ trialId });
  });

  it("chains amendments: versions 2, 3, 4, each accepted only on top of the latest digest", async () => {
    const trialId = newTrialId();
    const digests = [random32(), random32(), random32(), random32()] as const;
    await mined(registry.registerTrial(trialId, digests[0]));
    for (let i = 1; i < digests.length; i++) {
      const previous = digests[i - 1] ?? ZeroHash;
      const next = digests[i] ?? ZeroHash;
      if (i >= 2) {
        // An amendment prepared against the version before the latest one is stale.
        const stale = await revertOf(registry.interface, registry.amendTrial(trialId, digests[i - 2] ?? ZeroHash, next));
        expect(stale.name).toBe("WrongPreviousDigest");
        expect(stale.args.toObject()).toEqual({ trialId, expected: previous, given: digests[i - 2] });
      }
      const receipt = await mined(registry.amendTrial(trialId, previous, next));
      const [event] = eventsOf(registry, receipt);
      expect(event?.args.toObject()).toMatchObject({ version: BigInt(i + 1), previousDigest: previous, newDigest: next });
      const trial = await registry.trialOf(trialId);
      expect([trial.version, trial.currentDigest]).toEqual([BigInt(i + 1), next]);
    }
    const history = await registry.queryFilter(registry.getEvent("TrialAmended")(trialId));
    expect(history.map((log) => registry.interface.parseLog(log)?.args.getValue("version") as bigint)).toEqual([
      2n,
      3n,
      4n,
    ]);
  });
});

describe("who may write", () => {
  it("refuses writes from an account that is not a relayer until the owner allows it, and again after revoking", async () => {
    const own = await deployRegistry(owner);
    const asOutsider = own.connect(outsider) as TrialRegistryContract;
    const trialId = newTrialId();
    const v1 = random32();
    await mined(own.registerTrial(trialId, v1));

    const attempts = [
      () => asOutsider.anchorRoot(random32(), 1),
      () => asOutsider.registerTrial(newTrialId(), random32()),
      () => asOutsider.amendTrial(trialId, v1, random32()),
    ];
    for (const attempt of attempts) {
      const error = await revertOf(own.interface, attempt());
      expect(error.name).toBe("NotRelayer");
      expect(error.args.toObject()).toEqual({ caller: outsider.address });
    }

    const allowed = await mined(own.setRelayer(outsider.address, true));
    expect(eventsOf(own, allowed).map((e) => [e.name, e.args.toObject()])).toEqual([
      ["RelayerSet", { relayer: outsider.address, allowed: true }],
    ]);
    const root = random32();
    await mined(asOutsider.anchorRoot(root, 2));
    expect((await own.anchorOf(root)).leafCount).toBe(2n);
    const other = newTrialId();
    await mined(asOutsider.registerTrial(other, random32()));
    expect(await own.isRegistered(other)).toBe(true);
    const v2 = random32();
    await mined(asOutsider.amendTrial(trialId, v1, v2));
    expect((await own.trialOf(trialId)).version).toBe(2n);

    await mined(own.setRelayer(outsider.address, false));
    expect(await own.isRelayer(outsider.address)).toBe(false);
    expect((await revertOf(own.interface, asOutsider.amendTrial(trialId, v2, random32()))).name).toBe("NotRelayer");
  });

  it("lets only the owner change relayers, also when the caller is a relayer itself", async () => {
    const own = await deployRegistry(owner);
    const asOutsider = own.connect(outsider) as TrialRegistryContract;
    expect((await revertOf(own.interface, asOutsider.setRelayer(outsider.address, true))).name).toBe("NotOwner");
    expect(await own.isRelayer(outsider.address)).toBe(false);

    await mined(own.setRelayer(outsider.address, true));
    expect((await revertOf(own.interface, asOutsider.setRelayer(owner.address, false))).name).toBe("NotOwner");
    expect(await own.isRelayer(owner.address)).toBe(true);
  });
});
