// ConsentRegistry with real Semaphore proofs: enrolment into one group per registered trial,
// consent-text versions, and consent decisions proven at the portal's fixed depth of 20 with the
// trusted-setup artifacts installed from npm (@zk-kit/semaphore-artifacts; nothing is downloaded).
// Every call is a real transaction or eth_call on the run's anvil; reverts are identified by their
// custom error, decoded with ConsentRegistry's ABI plus Semaphore's errors.
//
// This file sends from anvil dev accounts #5 (owner and relayer) and #6 (a stranger). The registry
// under test takes a short rootValidity (2 minutes), and the root-expiry tests move the shared
// anvil's clock forward with evm_increaseTime — a few minutes in all, which no other file notices
// (they compare against block times, never the wall clock). Proofs take about a second each on two
// cores, so the file makes seven and reuses them: refusals are checked with eth_call, which records
// nothing, so a proof refused in one test stays usable in another.
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { Group, Identity, type SemaphoreProof, generateProof, verifyProof } from "@semaphore-protocol/core";
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
import { chainProof } from "@/scripts/test/proofs";
import { openProvider } from "@/lib/chain/client";
import { consentRegistryErrors } from "@/lib/chain/errors";
import { authorizeRelayer, CONSENT_ROOT_VALIDITY_SECONDS, type Deployment, ensureDeployment } from "@/lib/chain/deploy";
import { consentRegistryAbi, semaphoreAbi, trialRegistryAbi } from "@/lib/chain/generated/abis";
import bytecodeFile from "@/lib/chain/generated/bytecode.json" with { type: "json" };
import type { ConsentRegistryContract, SemaphoreContract, TrialRegistryContract } from "@/lib/chain/generated/types";
import { challengeMessage, consentScope, packConsentMessage } from "@/lib/consent/message";



/** The portal proves at a fixed depth, so a proof's size and verification cost never tell the group's size. */
const PROOF_DEPTH = 20;
const require = createRequire(import.meta.url);
const ARTIFACTS = {
  wasm: require.resolve(`@zk-kit/semaphore-artifacts/semaphore-${PROOF_DEPTH}.wasm`),
  zkey: require.resolve(`@zk-kit/semaphore-artifacts/semaphore-${PROOF_DEPTH}.zkey`),
};
/** Short, so the expiry tests need to move the clock by minutes only. */
const TEST_ROOT_VALIDITY = 120;
/** As the portal's relay: verifyProof returns false when short of gas, so estimates are not trusted. */
const CONSENT_GAS_LIMIT = 1_000_000n;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "trialledger-consent-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Gas figures we quote, printed once at the end. */
const gas = new Map<string, bigint>();
afterAll(() => {
  if (gas.size === 0) return;
  console.info(`ConsentRegistry gas:\n${[...gas].map(([what, used]) => `  ${what.padEnd(52)} ${used}`).join("\n")}`);
});
// snarkjs keeps worker threads alive after proving or verifying; without this the worker hangs.
afterAll(async () => {
  await (globalThis as { curve_bn128?: { terminate?: () => Promise<void> } }).curve_bn128?.terminate?.();
});

/** A proof as the contract takes it (scripts/test/proofs.ts). */
type ProofInput = ReturnType<typeof chainProof>;

/** A real proof by `identity` over the group of `members` (commitments in leaf order), as the contract takes it. */
async function prove(identity: Identity, members: readonly bigint[], message: bigint, scope: bigint): Promise<ProofInput> {
  const proof = await generateProof(identity, new Group([...members]), message, scope, PROOF_DEPTH, ARTIFACTS);
  return chainProof(proof);
}

/** The proof as @semaphore-protocol/core's off-chain verifyProof takes it. */
function toSemaphoreProof(proof: ProofInput): SemaphoreProof {
  return {
    merkleTreeDepth: Number(proof.merkleTreeDepth),
    merkleTreeRoot: proof.merkleTreeRoot.toString(),
    nullifier: proof.nullifier.toString(),
    message: proof.message.toString(),
    scope: proof.scope.toString(),
    points: proof.points.map(String) as SemaphoreProof["points"],
  };
}

const random32 = () => `0x${crypto.randomBytes(32).toString("hex")}`;
/** The portal's trial id: sha256 of the registration number string. */
const newTrialId = () => sha256(toUtf8Bytes(`TLR-2026-${crypto.randomInt(1e9).toString().padStart(9, "0")}`));


async function mined(tx: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
  const receipt = await (await tx).wait();
  if (!receipt || receipt.status !== 1) throw new Error("transaction failed");
  return receipt;
}

/** Every contract in this file is made from its (checksummed) address string, never from an Addressable. */
const addressOf = (contract: ConsentRegistryContract): string => contract.target as string;

function eventsOf(contract: ConsentRegistryContract, receipt: TransactionReceipt): LogDescription[] {
  return receipt.logs.flatMap((log) => {
    if (log.address !== addressOf(contract)) return [];
    const parsed = contract.interface.parseLog(log);
    return parsed ? [parsed] : [];
  });
}

async function blockTimeOf(receipt: TransactionReceipt): Promise<bigint> {
  const block = await provider.getBlock(receipt.blockNumber);
  if (!block) throw new Error(`block ${receipt.blockNumber} not found`);
  return BigInt(block.timestamp);
}

/** Moves the chain's clock forward and mines a block at the new time. */
async function increaseTime(seconds: number): Promise<void> {
  await provider.send("evm_increaseTime", [seconds]);
  await provider.send("evm_mine", []);
}

let provider: JsonRpcProvider;
let owner: HDNodeWallet;
let stranger: HDNodeWallet;
let deployment: Deployment;
let semaphore: SemaphoreContract;
let trialRegistry: TrialRegistryContract;
/** The registry under test: deployed by #5 with TEST_ROOT_VALIDITY, on the deployment's Semaphore and TrialRegistry. */
let consent: ConsentRegistryContract;
let chainId: bigint;

function consentAt(address: string, signer: Signer): ConsentRegistryContract {
  return new Contract(address, consentRegistryAbi, signer) as unknown as ConsentRegistryContract;
}

async function deployConsentRegistry(rootValidity: number): Promise<ConsentRegistryContract> {
  const factory = new ContractFactory(consentRegistryAbi, bytecodeFile.contracts.ConsentRegistry.bytecode, owner);
  const contract = await factory.deploy(deployment.contracts.Semaphore.address, deployment.contracts.TrialRegistry.address, rootValidity);
  await contract.waitForDeployment();
  return consentAt(await contract.getAddress(), owner);
}

/** A newly registered trial's id. */
async function registeredTrial(): Promise<string> {
  const trialId = newTrialId();
  await mined(trialRegistry.registerTrial(trialId, random32()));
  return trialId;
}

/** A registered trial with consent text version 1 published and `members` enrolled in one batch. */
async function enrolledTrial(members: readonly Identity[]): Promise<string> {
  const trialId = await registeredTrial();
  await mined(consent.publishConsentText(trialId, 1, random32()));
  await mined(consent.enrol(trialId, members.map((m) => m.commitment)));
  return trialId;
}

async function groupIdOf(trialId: string): Promise<bigint> {
  const [exists, groupId] = await consent.groupOf(trialId);
  if (!exists) throw new Error(`trial ${trialId} has no group`);
  return groupId;
}

/** The scope lib/consent/message.ts computes for this registry. */
function scopeOf(trialId: string, registry: ConsentRegistryContract = consent): bigint {
  return consentScope({ chainId, consentRegistry: addressOf(registry), chainTrialId: trialId });
}

async function decision(trialId: string, nullifier: bigint) {
  const { grants, textVersion, sequence, recordedAt } = await consent.decisionOf(trialId, nullifier);
  return { grants, textVersion, sequence, recordedAt };
}

/** Simulates submitConsent with the relay's gas limit: resolves when the chain would accept the proof. */
const check = (trialId: string, proof: ProofInput) =>
  consent.submitConsent.staticCall(trialId, proof, { gasLimit: CONSENT_GAS_LIMIT });

beforeAll(async () => {
  ({ provider } = await openProvider(inject("anvilRpcUrl")));
  chainId = (await provider.getNetwork()).chainId;
  owner = devSigner(provider, 5);
  stranger = devSigner(provider, 6);
  deployment = await ensureDeployment({ provider, signer: owner, file: path.join(tmp, "deployments.json"), allowDeploy: true });
  semaphore = new Contract(deployment.contracts.Semaphore.address, semaphoreAbi, owner) as unknown as SemaphoreContract;
  trialRegistry = new Contract(
    deployment.contracts.TrialRegistry.address,
    trialRegistryAbi,
    owner,
  ) as unknown as TrialRegistryContract;
  consent = await deployConsentRegistry(TEST_ROOT_VALIDITY);
});
afterAll(() => provider.destroy());

describe("deployment", () => {
  it("is the last deploy step: Semaphore, TrialRegistry and a 30-day root validity; the deployer owns it and may write", async () => {
    const entry = deployment.contracts.ConsentRegistry;
    expect(entry.args).toEqual([
      deployment.contracts.Semaphore.address,
      deployment.contracts.TrialRegistry.address,
      30 * 24 * 60 * 60,
    ]);
    const deployed = consentAt(entry.address, owner);
    expect(await deployed.semaphore()).toBe(deployment.contracts.Semaphore.address);
    expect(await deployed.trialRegistry()).toBe(deployment.contracts.TrialRegistry.address);
    expect(await deployed.rootValidity()).toBe(BigInt(CONSENT_ROOT_VALIDITY_SECONDS));
    expect(await deployed.owner()).toBe(owner.address);
    expect(await deployed.isRelayer(owner.address)).toBe(true);
    expect(await deployed.isRelayer(stranger.address)).toBe(false);
  });

  it("authorizeRelayer allows the relayer on TrialRegistry and ConsentRegistry once, and checks ownership before sending", async () => {
    const own = await ensureDeployment({ provider, signer: owner, file: path.join(tmp, "own.json"), allowDeploy: true });
    const contracts = own.contracts;
    const nonce = await stranger.getNonce();
    await expect(authorizeRelayer({ owner: stranger, contracts, relayer: stranger.address })).rejects.toThrow(
      `TrialRegistry at ${contracts.TrialRegistry.address} is owned by ${owner.address}, not ${stranger.address}`,
    );
    expect(await stranger.getNonce()).toBe(nonce);

    expect(await authorizeRelayer({ owner, contracts, relayer: stranger.address })).toBe(true);
    expect(await consentAt(contracts.ConsentRegistry.address, owner).isRelayer(stranger.address)).toBe(true);
    const registry = new Contract(contracts.TrialRegistry.address, trialRegistryAbi, owner) as unknown as TrialRegistryContract;
    expect(await registry.isRelayer(stranger.address)).toBe(true);

    const before = await owner.getNonce();
    expect(await authorizeRelayer({ owner, contracts, relayer: stranger.address })).toBe(false);
    expect(await owner.getNonce()).toBe(before);
  });
});

describe("who may write", () => {
  it("lets only relayers enrol and publish, and only the owner change relayers", async () => {
    const own = await deployConsentRegistry(TEST_ROOT_VALIDITY);
    const asStranger = own.connect(stranger) as ConsentRegistryContract;
    const trialId = await registeredTrial();
    const attempts = [
      () => asStranger.enrol(trialId, [new Identity().commitment]),
      () => asStranger.publishConsentText(trialId, 1, random32()),
    ];
    for (const attempt of attempts) {
      const error = await revertOf(consentRegistryErrors, attempt());
      expect(error.name).toBe("NotRelayer");
      expect(error.args.toObject()).toEqual({ caller: stranger.address });
    }
    expect((await revertOf(consentRegistryErrors, asStranger.setRelayer(stranger.address, true))).name).toBe("NotOwner");

    const allowed = await mined(own.setRelayer(stranger.address, true));
    expect(eventsOf(own, allowed).map((e) => [e.name, e.args.toObject()])).toEqual([
      ["RelayerSet", { relayer: stranger.address, allowed: true }],
    ]);
    await mined(asStranger.enrol(trialId, [new Identity().commitment]));
    expect((await own.groupOf(trialId)).exists).toBe(true);

    await mined(own.setRelayer(stranger.address, false));
    expect((await revertOf(consentRegistryErrors, asStranger.publishConsentText(trialId, 1, random32()))).name).toBe("NotRelayer");
  });
});

describe("enrolment", () => {
  it("refuses a trial that TrialRegistry does not know, and an empty batch", async () => {
    const unknown = newTrialId();
    const error = await revertOf(consentRegistryErrors, consent.enrol(unknown, [new Identity().commitment]));
    expect(error.name).toBe("NotRegistered");
    expect(error.args.toObject()).toEqual({ trialId: unknown });
    expect(await consent.groupOf(unknown)).toEqual([false, 0n]);

    const trialId = await registeredTrial();
    expect((await revertOf(consentRegistryErrors, consent.enrol(trialId, []))).name).toBe("EmptyBatch");
    expect(await consent.groupOf(trialId)).toEqual([false, 0n]);
  });

  it("creates the trial's group on the first batch and appends later ones; the root equals the off-chain Group's", async () => {
    const trialId = await registeredTrial();
    const first = new Identity();
    const batch = Array.from({ length: 10 }, () => new Identity().commitment);

    const created = await mined(consent.enrol(trialId, [first.commitment]));
    gas.set("enrol 1 commitment (creates the group)", created.gasUsed);
    const groupId = await groupIdOf(trialId);
    const appended = await mined(consent.enrol(trialId, batch));
    gas.set("enrol 10 commitments (group of 1 → 11)", appended.gasUsed);

    expect(eventsOf(consent, created).map((e) => [e.name, e.args.toObject()])).toEqual([
      ["Enrolled", { trialId, groupId, firstIndex: 0n, count: 1n }],
    ]);
    expect(eventsOf(consent, appended).map((e) => [e.name, e.args.toObject()])).toEqual([
      ["Enrolled", { trialId, groupId, firstIndex: 1n, count: 10n }],
    ]);
    const group = new Group([first.commitment, ...batch]);
    expect(await semaphore.getMerkleTreeRoot(groupId)).toBe(group.root);
    expect(await semaphore.getMerkleTreeSize(groupId)).toBe(11n);
    // The registry administers the group (no one else can add or remove members) with its root validity.
    expect(await semaphore.getGroupAdmin(groupId)).toBe(addressOf(consent));
    expect(await semaphore.groups(groupId)).toBe(BigInt(TEST_ROOT_VALIDITY));

    // A commitment already in the group fails the whole batch (Semaphore refuses the duplicate leaf).
    await expect(consent.enrol(trialId, [new Identity().commitment, first.commitment])).rejects.toThrow();
    expect(await semaphore.getMerkleTreeSize(groupId)).toBe(11n);
  });

  it("gives each trial its own group (gas: a batch of 10 creating a group, then 1 more)", async () => {
    const [a, b] = [await registeredTrial(), await registeredTrial()];
    const batch = Array.from({ length: 10 }, () => new Identity().commitment);
    const created = await mined(consent.enrol(a, batch));
    gas.set("enrol 10 commitments (creates the group)", created.gasUsed);
    const appended = await mined(consent.enrol(a, [new Identity().commitment]));
    gas.set("enrol 1 commitment (group of 10 → 11)", appended.gasUsed);
    await mined(consent.enrol(b, [new Identity().commitment]));
    expect(await groupIdOf(a)).not.toBe(await groupIdOf(b));
    expect(await semaphore.getMerkleTreeSize(await groupIdOf(b))).toBe(1n);
  });
});

describe("consent texts", () => {
  it("publishes versions 1, 2, … in order, each once, for registered trials only, never a zero digest", async () => {
    const trialId = await registeredTrial();
    const [v1, v2] = [random32(), random32()];
    expect(await consent.consentVersionOf(trialId)).toBe(0n);

    const skipped = await revertOf(consentRegistryErrors, consent.publishConsentText(trialId, 2, v2));
    expect(skipped.name).toBe("WrongConsentVersion");
    expect(skipped.args.toObject()).toEqual({ trialId, expected: 1n, given: 2n });
    expect((await revertOf(consentRegistryErrors, consent.publishConsentText(trialId, 1, ZeroHash))).name).toBe("ZeroDigest");

    const receipt = await mined(consent.publishConsentText(trialId, 1, v1));
    expect(eventsOf(consent, receipt).map((e) => [e.name, e.args.toObject()])).toEqual([
      ["ConsentTextPublished", { trialId, version: 1n, textDigest: v1 }],
    ]);
    const again = await revertOf(consentRegistryErrors, consent.publishConsentText(trialId, 1, random32()));
    expect(again.name).toBe("WrongConsentVersion");
    expect(again.args.toObject()).toEqual({ trialId, expected: 2n, given: 1n });
    expect((await revertOf(consentRegistryErrors, consent.publishConsentText(trialId, 0, random32()))).name).toBe("WrongConsentVersion");

    await mined(consent.publishConsentText(trialId, 2, v2));
    expect(await consent.consentVersionOf(trialId)).toBe(2n);
    expect(await consent.consentTextDigest(trialId, 1)).toBe(v1);
    expect(await consent.consentTextDigest(trialId, 2)).toBe(v2);
    expect(await consent.consentTextDigest(trialId, 3)).toBe(ZeroHash);

    const unknown = newTrialId();
    const error = await revertOf(consentRegistryErrors, consent.publishConsentText(unknown, 1, random32()));
    expect(error.name).toBe("NotRegistered");
    expect(error.args.toObject()).toEqual({ trialId: unknown });
  });
});

describe("consent decisions", () => {
  const alice = new Identity();
  const bob = new Identity();
  const carol = new Identity();
  const members = [alice, bob, carol].map((m) => m.commitment);
  let trialId: string;
  /** alice, sequence 1: items 0 and 2 granted. */
  let first: ProofInput;
  /** alice, sequence 2: only item 0 granted. */
  let second: ProofInput;

  beforeAll(async () => {
    trialId = await enrolledTrial([alice, bob, carol]);
    const scope = scopeOf(trialId);
    first = await prove(alice, members, packConsentMessage({ grants: 0b101n, textVersion: 1, sequence: 1n }), scope);
    second = await prove(alice, members, packConsentMessage({ grants: 0b001n, textVersion: 1, sequence: 2n }), scope);
  });

  it("computes the same scope as lib/consent/message.ts", async () => {
    expect(await consent.consentScope(trialId)).toBe(scopeOf(trialId));
    const other = newTrialId();
    expect(await consent.consentScope(other)).toBe(scopeOf(other));
    // Bound to the contract: the same trial has another scope in another deployment.
    expect(scopeOf(trialId, consentAt(deployment.contracts.ConsentRegistry.address, owner))).not.toBe(scopeOf(trialId));
  });

  it("records a pseudonym's decisions: the first, sent by a non-relayer, then a newer one replacing it; older ones are refused", async () => {
    const nullifier = first.nullifier;
    expect(second.nullifier).toBe(nullifier);
    expect(await decision(trialId, nullifier)).toEqual({ grants: 0n, textVersion: 0n, sequence: 0n, recordedAt: 0n });
    expect(await consent.decidedCount(trialId)).toBe(0n);

    // Permissionless: the proof is the authorisation, so anyone may relay it.
    const asStranger = consent.connect(stranger) as ConsentRegistryContract;
    const recorded = await mined(asStranger.submitConsent(trialId, first, { gasLimit: CONSENT_GAS_LIMIT }));
    gas.set("submitConsent (a pseudonym's first decision)", recorded.gasUsed);
    expect(await decision(trialId, nullifier)).toEqual({
      grants: 0b101n,
      textVersion: 1n,
      sequence: 1n,
      recordedAt: await blockTimeOf(recorded),
    });
    expect(await consent.decidedCount(trialId)).toBe(1n);
    const [event, ...others] = eventsOf(consent, recorded);
    expect(others).toEqual([]);
    if (event?.name !== "ConsentRecorded") throw new Error("no ConsentRecorded event");
    const { points, ...fields } = event.args.toObject() as Record<string, unknown>;
    expect(fields).toEqual({
      trialId,
      nullifier,
      grants: 0b101n,
      textVersion: 1n,
      sequence: 1n,
      merkleTreeRoot: first.merkleTreeRoot,
      merkleTreeDepth: BigInt(PROOF_DEPTH),
      message: first.message,
    });
    expect([...(points as bigint[])]).toEqual(first.points);
    // The event alone is enough to re-verify the decision off chain (the scope follows from the trial).
    const fromLog: ProofInput = {
      merkleTreeDepth: fields.merkleTreeDepth as bigint,
      merkleTreeRoot: fields.merkleTreeRoot as bigint,
      nullifier: fields.nullifier as bigint,
      message: fields.message as bigint,
      scope: await consent.consentScope(fields.trialId as string),
      points: [...(points as bigint[])] as ProofInput["points"],
    };
    expect(await verifyProof(toSemaphoreProof(fromLog))).toBe(true);

    // The same proof again is a replay.
    const replay = await revertOf(consentRegistryErrors, check(trialId, first));
    expect(replay.name).toBe("StaleSequence");
    expect(replay.args.toObject()).toEqual({ nullifier, last: 1n, given: 1n });

    // A second proof with the same nullifier is accepted (Semaphore's validateProof would refuse it).
    const replaced = await mined(consent.submitConsent(trialId, second, { gasLimit: CONSENT_GAS_LIMIT }));
    gas.set("submitConsent (a later decision of the same pseudonym)", replaced.gasUsed);
    expect(await decision(trialId, nullifier)).toMatchObject({ grants: 0b001n, textVersion: 1n, sequence: 2n });
    expect(await consent.decidedCount(trialId)).toBe(1n);

    // Resubmitting the older decision cannot undo the newer one.
    const older = await revertOf(consentRegistryErrors, check(trialId, first));
    expect(older.name).toBe("StaleSequence");
    expect(older.args.toObject()).toEqual({ nullifier, last: 2n, given: 1n });
    expect((await revertOf(consentRegistryErrors, check(trialId, second))).name).toBe("StaleSequence");
    expect(await decision(trialId, nullifier)).toMatchObject({ grants: 0b001n, sequence: 2n });

    const history = await consent.queryFilter(consent.getEvent("ConsentRecorded")(trialId, nullifier));
    expect(history.map((log) => log.transactionHash)).toEqual([recorded.hash, replaced.hash]);
  });

  it("refuses a non-member's proof: valid off chain over a group of their own, but its root was never the trial's", async () => {
    const mallory = new Identity();
    const message = packConsentMessage({ grants: 0b111n, textVersion: 1, sequence: 1n });
    const proof = await prove(mallory, [...members, mallory.commitment], message, scopeOf(trialId));
    expect(await verifyProof(toSemaphoreProof(proof))).toBe(true);
    expect((await revertOf(consentRegistryErrors, check(trialId, proof))).name).toBe("Semaphore__MerkleTreeRootIsNotPartOfTheGroup");
  });

  it("refuses a member's valid proof made for another deployment's scope (WrongScope)", async () => {
    const elsewhere = scopeOf(trialId, consentAt(deployment.contracts.ConsentRegistry.address, owner));
    const message = packConsentMessage({ grants: 0b1n, textVersion: 1, sequence: 1n });
    const proof = await prove(bob, members, message, elsewhere);
    // Without the scope check this would verify: the root is the group's and the SNARK is sound.
    expect(await verifyProof(toSemaphoreProof(proof))).toBe(true);
    const error = await revertOf(consentRegistryErrors, check(trialId, proof));
    expect(error.name).toBe("WrongScope");
    expect(error.args.toObject()).toEqual({ expected: scopeOf(trialId), given: elsewhere });
    // The pseudonym is per scope: alice's nullifier here says nothing about bob's there, and vice versa.
    expect(proof.nullifier).not.toBe(first.nullifier);
  });

  it("refuses a member's valid proof at another tree depth than 20 (WrongTreeDepth)", async () => {
    // A depth-3 proof covers at most 8 leaves and its depth tells the group's size; Semaphore's own
    // verifier accepts it, so only the contract's depth check stands in the way.
    const depth = 3;
    const shallow = chainProof(
      await generateProof(bob, new Group([...members]), packConsentMessage({ grants: 0b1n, textVersion: 1, sequence: 4n }), scopeOf(trialId), depth, {
        wasm: require.resolve(`@zk-kit/semaphore-artifacts/semaphore-${depth}.wasm`),
        zkey: require.resolve(`@zk-kit/semaphore-artifacts/semaphore-${depth}.zkey`),
      }),
    );
    expect(shallow.merkleTreeDepth).toBe(3n);
    expect(await verifyProof(toSemaphoreProof(shallow))).toBe(true);
    const error = await revertOf(consentRegistryErrors, check(trialId, shallow));
    expect(error.name).toBe("WrongTreeDepth");
    expect(error.args.toObject()).toEqual({ expected: 20n, given: 3n });
    expect(await consent.TREE_DEPTH()).toBe(BigInt(PROOF_DEPTH));
  });

  it("refuses a proof submitted with another message than the one it proves (InvalidProof)", async () => {
    // Sequence 3 passes the replay check whatever the other tests recorded, so the SNARK decides.
    const tampered = packConsentMessage({ grants: 0b111n, textVersion: 1, sequence: 3n });
    expect((await revertOf(consentRegistryErrors, check(trialId, { ...second, message: tampered }))).name).toBe("InvalidProof");
  });

  it("refuses messages with bits above 159 (such as a pseudonym-handover challenge), a zero version or a zero sequence", async () => {
    const valid = packConsentMessage({ grants: 0b1n, textVersion: 1, sequence: 3n });
    const malformed = [
      valid | (1n << 160n),
      valid | (1n << 255n),
      challengeMessage("0123456789abcdef0123456789abcdef"),
      0b1n | (3n << 96n), // version 0
      0b1n | (1n << 64n), // sequence 0
    ];
    for (const message of malformed) {
      expect((await revertOf(consentRegistryErrors, check(trialId, { ...second, message }))).name).toBe("MalformedMessage");
    }
  });

  it("refuses a decision on a consent-text version that has not been published", async () => {
    const message = packConsentMessage({ grants: 0b1n, textVersion: 2, sequence: 3n });
    const error = await revertOf(consentRegistryErrors, check(trialId, { ...second, message }));
    expect(error.name).toBe("UnknownConsentVersion");
    expect(error.args.toObject()).toEqual({ trialId, version: 2n });
  });

  it("refuses any proof for a trial without a group (NotEnrolled)", async () => {
    const empty = await registeredTrial();
    const error = await revertOf(consentRegistryErrors, check(empty, { ...second, scope: scopeOf(empty) }));
    expect(error.name).toBe("NotEnrolled");
    expect(error.args.toObject()).toEqual({ trialId: empty });
  });
});

describe("old group roots", () => {
  it("accepts a proof on a replaced root within rootValidity of its creation, and refuses it afterwards", async () => {
    const dave = new Identity();
    const trialId = await enrolledTrial([dave]);
    const oldRoot = new Group([dave.commitment]).root;
    const message = packConsentMessage({ grants: 0b1n, textVersion: 1, sequence: 1n });
    const proof = await prove(dave, [dave.commitment], message, scopeOf(trialId));
    expect(proof.merkleTreeRoot).toBe(oldRoot);

    await mined(consent.enrol(trialId, [new Identity().commitment]));
    expect(await semaphore.getMerkleTreeRoot(await groupIdOf(trialId))).not.toBe(oldRoot);
    await check(trialId, proof); // accepted: resolves without a revert

    await increaseTime(TEST_ROOT_VALIDITY + 5);
    expect((await revertOf(consentRegistryErrors, check(trialId, proof))).name).toBe("Semaphore__MerkleTreeRootIsExpired");
  });

  it("counts validity from a root's creation: a current root older than rootValidity expires the moment an enrolment replaces it", async () => {
    const erin = new Identity();
    const trialId = await enrolledTrial([erin]);
    await increaseTime(TEST_ROOT_VALIDITY + 5);
    const message = packConsentMessage({ grants: 0b1n, textVersion: 1, sequence: 1n });
    const proof = await prove(erin, [erin.commitment], message, scopeOf(trialId));
    // The current root is accepted however old it is …
    await check(trialId, proof);
    // … but not for a second once it is replaced: a relay must send pending decisions before enrolling.
    await mined(consent.enrol(trialId, [new Identity().commitment]));
    expect((await revertOf(consentRegistryErrors, check(trialId, proof))).name).toBe("Semaphore__MerkleTreeRootIsExpired");
  });
});
