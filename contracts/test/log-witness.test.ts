// LogWitness as the portal deploys it (lib/chain/deploy.ts): it keeps the latest anchored checkpoint
// of the transparency log and accepts a new one only with a valid RFC 9162 consistency proof from
// it. Every call is a real transaction (or eth_call) on the run's anvil; reverts are identified by
// their custom error, decoded with the contract's ABI. Proofs come from lib/merkle, so these tests
// also check that the Solidity verifier and the TypeScript one agree. This file sends from anvil
// dev accounts #7 (owner and writer) and #8 (a stranger).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  Contract,
  ContractFactory,
  type ContractTransactionResponse,
  type HDNodeWallet,
  hexlify,
  type JsonRpcProvider,
  type Signer,
  type TransactionReceipt,
} from "ethers";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { devSigner, revertOf } from "./support";
import { openProvider } from "@/lib/chain/client";
import { authorizeRelayer, ensureDeployment } from "@/lib/chain/deploy";
import { logWitnessAbi } from "@/lib/chain/generated/abis";
import bytecodeFile from "@/lib/chain/generated/bytecode.json" with { type: "json" };
import type { LogWitnessContract } from "@/lib/chain/generated/types";
import { EMPTY_ROOT, consistencyProof, leafHash, rootOf, toHex, verifyConsistency } from "@/lib/merkle";

const ORIGIN = "witness.test/log";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "trialledger-witness-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const enc = new TextEncoder();
/** The leaf hashes of a log; `fork` gives another log that agrees on nothing. */
const logOf = (size: number, fork = "") => Array.from({ length: size }, (_, i) => leafHash(enc.encode(`${fork}entry ${i}`)));
const LOG = logOf(300);
const rootHex = (n: number, log = LOG) => toHex(rootOf(log.slice(0, n)));
const proofHex = (m: number, n: number, log = LOG) => consistencyProof(log.slice(0, n), m).map(toHex);
const flipped = (hex: string, at = 2) => `${hex.slice(0, at)}${(Number.parseInt(hex[at] ?? "0", 16) ^ 1).toString(16)}${hex.slice(at + 1)}`;

function witnessAt(address: string, signer: Signer): LogWitnessContract {
  return new Contract(address, logWitnessAbi, signer) as unknown as LogWitnessContract;
}

/** A witness of its own (deployer = owner = first writer), so each test starts from the empty tree. */
async function deployWitness(owner: Signer, origin = ORIGIN): Promise<LogWitnessContract> {
  const factory = new ContractFactory(logWitnessAbi, bytecodeFile.contracts.LogWitness.bytecode, owner);
  const contract = await factory.deploy(origin);
  await contract.waitForDeployment();
  return witnessAt(await contract.getAddress(), owner);
}

async function mined(tx: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  const receipt = await (await tx).wait();
  if (!receipt || receipt.status !== 1) throw new Error("transaction failed");
  return receipt;
}

async function latestOf(witness: LogWitnessContract) {
  const [size, root, blockNumber] = await witness.latest();
  return { size: Number(size), root, blockNumber: Number(blockNumber) };
}

/** Anchors m → n of `log` with its honest proof. */
const anchor = (witness: LogWitnessContract, m: number, n: number, log = LOG) =>
  mined(witness.anchorCheckpoint(m, n, rootHex(n, log), proofHex(m, n, log)));

let provider: JsonRpcProvider;
let owner: HDNodeWallet;
let stranger: HDNodeWallet;

beforeAll(async () => {
  ({ provider } = await openProvider(inject("anvilRpcUrl")));
  owner = devSigner(provider, 7);
  stranger = devSigner(provider, 8);
});
afterAll(() => provider.destroy());

describe("deployment", () => {
  it("is a deploy step with the log's origin; authorizeRelayer makes the relayer a writer once", async () => {
    const deployment = await ensureDeployment({
      provider,
      signer: owner,
      file: path.join(tmp, "deployments.json"),
      allowDeploy: true,
      logOrigin: ORIGIN,
    });
    const witness = witnessAt(deployment.contracts.LogWitness.address, owner);
    expect(deployment.contracts.LogWitness.args).toEqual([ORIGIN]);
    expect(await witness.origin()).toBe(ORIGIN);
    expect(await witness.owner()).toBe(owner.address);
    expect(await witness.isWriter(owner.address)).toBe(true);
    expect(await witness.isWriter(stranger.address)).toBe(false);

    expect(await authorizeRelayer({ owner, contracts: deployment.contracts, relayer: stranger.address })).toBe(true);
    expect(await witness.isWriter(stranger.address)).toBe(true);
    const nonce = await owner.getNonce();
    expect(await authorizeRelayer({ owner, contracts: deployment.contracts, relayer: stranger.address })).toBe(false);
    expect(await owner.getNonce()).toBe(nonce);

    // Another origin is another log: the recorded witness no longer fits, and is replaced.
    await expect(
      ensureDeployment({ provider, file: path.join(tmp, "deployments.json"), allowDeploy: false, logOrigin: "other.test/log" }),
    ).rejects.toThrow(/LogWitness at 0x[0-9a-fA-F]{40} was deployed with other constructor arguments/);
  });
});

describe("an empty witness", () => {
  it("holds the empty tree, anchored in no block", async () => {
    const witness = await deployWitness(owner);
    expect(await latestOf(witness)).toEqual({ size: 0, root: toHex(EMPTY_ROOT), blockNumber: 0 });
    expect(await witness.EMPTY_ROOT()).toBe(toHex(EMPTY_ROOT));
  });

  it("accepts any first checkpoint with an empty proof, and no proof where none is due", async () => {
    const witness = await deployWitness(owner);
    await expect(
      revertOf(witness.interface, witness.anchorCheckpoint(0, 5, rootHex(5), [rootHex(1)])),
    ).resolves.toMatchObject({ name: "InconsistentCheckpoint" });
    const receipt = await anchor(witness, 0, 5);
    expect(await latestOf(witness)).toEqual({ size: 5, root: rootHex(5), blockNumber: receipt.blockNumber });
    const [event] = receipt.logs.flatMap((log) => witness.interface.parseLog(log) ?? []);
    expect(event?.name).toBe("CheckpointAnchored");
    expect(event?.args.toObject()).toEqual({ size: 5n, root: rootHex(5), oldSize: 0n });
  });

  it("takes 0 → 0 only with the empty tree's root", async () => {
    const witness = await deployWitness(owner);
    await expect(revertOf(witness.interface, witness.anchorCheckpoint(0, 0, rootHex(1), []))).resolves.toMatchObject({
      name: "InconsistentCheckpoint",
    });
    await mined(witness.anchorCheckpoint(0, 0, toHex(EMPTY_ROOT), []));
    expect((await latestOf(witness)).size).toBe(0);
  });
});

describe("anchorCheckpoint", () => {
  it("accepts a growing log with valid proofs, at sizes that are and are not powers of two", async () => {
    const witness = await deployWitness(owner);
    let size = 0;
    for (const next of [1, 2, 3, 4, 7, 8, 13, 64, 65, 100, 255, 256, 257, 300]) {
      const receipt = await anchor(witness, size, next);
      expect(await latestOf(witness), `${size} → ${next}`).toEqual({ size: next, root: rootHex(next), blockNumber: receipt.blockNumber });
      size = next;
    }
  });

  it("refuses a forged root, and a fork whose own proof is valid for its own history", async () => {
    const witness = await deployWitness(owner);
    await anchor(witness, 0, 12);
    const forged = witness.anchorCheckpoint(12, 20, flipped(rootHex(20)), proofHex(12, 20));
    await expect(revertOf(witness.interface, forged)).resolves.toMatchObject({ name: "InconsistentCheckpoint" });
    // A log that rewrote entry 3: its proof from its own size-12 tree is honest, but not from ours.
    const rewritten = [...LOG.slice(0, 3), leafHash(enc.encode("rewritten")), ...LOG.slice(4)];
    const fork = witness.anchorCheckpoint(12, 20, rootHex(20, rewritten), proofHex(12, 20, rewritten));
    await expect(revertOf(witness.interface, fork)).resolves.toMatchObject({ name: "InconsistentCheckpoint" });
    // A proof hash with one bit changed.
    const proof = proofHex(12, 20);
    const tampered = witness.anchorCheckpoint(12, 20, rootHex(20), proof.map((h, i) => (i === 1 ? flipped(h, 40) : h)));
    await expect(revertOf(witness.interface, tampered)).resolves.toMatchObject({ name: "InconsistentCheckpoint" });
    expect(await latestOf(witness)).toMatchObject({ size: 12, root: rootHex(12) });
  });

  it("refuses a shrinking size", async () => {
    const witness = await deployWitness(owner);
    await anchor(witness, 0, 12);
    const error = await revertOf(witness.interface, witness.anchorCheckpoint(12, 11, rootHex(11), []));
    expect(error.name).toBe("SizeDecreased");
    expect(error.args.toArray()).toEqual([12n, 11n]);
  });

  it("refuses a stale old size, naming the anchored one", async () => {
    const witness = await deployWitness(owner);
    await anchor(witness, 0, 12);
    await anchor(witness, 12, 20);
    // A second pump that still believes 12 is anchored: its proof is honest, but for the wrong start.
    const error = await revertOf(witness.interface, witness.anchorCheckpoint(12, 30, rootHex(30), proofHex(12, 30)));
    expect(error.name).toBe("StaleSize");
    expect(error.args.toArray()).toEqual([20n]);
    await expect(revertOf(witness.interface, witness.anchorCheckpoint(21, 30, rootHex(30), proofHex(21, 30)))).resolves.toMatchObject({
      name: "StaleSize",
    });
  });

  it("refuses a proof for another old size, given with the anchored one", async () => {
    const witness = await deployWitness(owner);
    await anchor(witness, 0, 12);
    for (const other of [11, 13, 8, 16, 6]) {
      const call = witness.anchorCheckpoint(12, 40, rootHex(40), proofHex(other, 40));
      await expect(revertOf(witness.interface, call), `proof from ${other}`).resolves.toMatchObject({ name: "InconsistentCheckpoint" });
    }
  });

  it("takes equal sizes only with the anchored root and an empty proof, recording the later block", async () => {
    const witness = await deployWitness(owner);
    await anchor(witness, 0, 12);
    await expect(revertOf(witness.interface, witness.anchorCheckpoint(12, 12, flipped(rootHex(12)), []))).resolves.toMatchObject({
      name: "InconsistentCheckpoint",
    });
    await expect(revertOf(witness.interface, witness.anchorCheckpoint(12, 12, rootHex(12), [rootHex(12)]))).resolves.toMatchObject({
      name: "InconsistentCheckpoint",
    });
    const again = await mined(witness.anchorCheckpoint(12, 12, rootHex(12), []));
    expect(await latestOf(witness)).toEqual({ size: 12, root: rootHex(12), blockNumber: again.blockNumber });
  });
});

describe("who may write", () => {
  it("only writers anchor; only the owner names them; a revoked writer is cut off", async () => {
    const witness = await deployWitness(owner);
    const asStranger = witness.connect(stranger) as LogWitnessContract;
    await expect(revertOf(witness.interface, asStranger.anchorCheckpoint(0, 5, rootHex(5), []))).resolves.toMatchObject({
      name: "NotWriter",
    });
    await expect(revertOf(witness.interface, asStranger.setWriter(stranger.address, true))).resolves.toMatchObject({ name: "NotOwner" });

    await mined(witness.setWriter(stranger.address, true));
    await mined(asStranger.anchorCheckpoint(0, 5, rootHex(5), []));
    await mined(witness.setWriter(stranger.address, false));
    await expect(revertOf(witness.interface, asStranger.anchorCheckpoint(5, 6, rootHex(6), proofHex(5, 6)))).resolves.toMatchObject({
      name: "NotWriter",
    });
    expect((await latestOf(witness)).size).toBe(5);
  });
});

describe("the contract's verifier", () => {
  it("agrees with lib/merkle on every (m, n) up to 40, and on a flipped bit in each proof", async () => {
    const witness = await deployWitness(owner);
    const disagreements: string[] = [];
    for (let n = 2; n <= 40; n++) {
      for (let m = 1; m < n; m++) {
        const [oldRoot, newRoot, proof] = [rootOf(LOG.slice(0, m)), rootOf(LOG.slice(0, n)), consistencyProof(LOG.slice(0, n), m)];
        const bad = proof.map((h, i) => (i === (m + n) % proof.length ? Uint8Array.from(h, (b, j) => (j === 0 ? b ^ 0x80 : b)) : h));
        for (const [label, hashes] of [["honest", proof], ["flipped", bad]] as const) {
          const onChain = await witness.verifyConsistency(m, n, hexlify(oldRoot), hexlify(newRoot), hashes.map((h) => hexlify(h)));
          if (onChain !== verifyConsistency(m, n, oldRoot, newRoot, hashes)) disagreements.push(`${label} ${m} → ${n}`);
          if (onChain !== (label === "honest")) disagreements.push(`${label} ${m} → ${n}: ${onChain}`);
        }
      }
    }
    expect(disagreements).toEqual([]);
  }, 120_000);
});
