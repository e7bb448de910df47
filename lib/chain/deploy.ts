import fs from "node:fs";
import path from "node:path";
import { Contract, ContractFactory, type ContractRunner, type ContractTransactionResponse, getAddress, keccak256, type Provider, type Signer, Wallet } from "ethers";
import { z } from "zod";
import { env } from "@/lib/env";
// client.ts imports this file too; the cycle is harmless because neither uses the other at load time.
import { openProvider } from "./client";
import { abis, type ContractName } from "./generated/abis";
import bytecodeFile from "./generated/bytecode.json" with { type: "json" };
import type { LogWitnessContract, TrialRegistryContract } from "./generated/types";

/**
 * Deploys the contracts and keeps the deployments file — the record of which address holds which
 * contract on which chain — honest: a recorded contract is trusted only after its code on chain is
 * checked against today's build.
 *
 * Deployments file (JSON, default `.data/deployments.json`, see env().deploymentsFile):
 *
 *   { "<chainId>": { "deployedAt": ISO time of the last deployment on that chain,
 *                    "contracts": { "<name>": { address, blockNumber, txHash, codeHash, args } } } }
 *
 * `codeHash` is keccak256 of the runtime code as it is on chain (what EXTCODEHASH and `cast codehash`
 * return); `args` are the constructor arguments (bigints as decimal strings).
 */

/** What constructor arguments may depend on besides earlier addresses. */
export type DeployParams = {
  /** The transparency log's origin (env().logOrigin), which LogWitness is built for. */
  logOrigin: string;
};

/** One contract to deploy. `args` receives a lookup of the addresses of earlier steps. */
export type DeployStep = {
  contract: ContractName;
  args?: (address: (contract: ContractName) => string, params: DeployParams) => readonly unknown[];
};

/**
 * How long an old root of a trial's consent group stays usable for proofs (ConsentRegistry's
 * `rootValidity`, Semaphore's merkleTreeDuration): 30 days.
 *
 * Members are never removed — withdrawing is a consent decision, not a removal from the group — so
 * an old root never needs to stop verifying to shut someone out; its expiry only bounds how long a
 * proof made before a relay outage stays usable. 30 days lets the relay's outbox catch up after a
 * long chain outage. Semaphore counts it from the root's creation, not from its replacement (see
 * ConsentRegistry.rootValidity). A constructor argument: changing it redeploys ConsentRegistry.
 */
export const CONSENT_ROOT_VALIDITY_SECONDS = 30 * 24 * 60 * 60;

/**
 * What to deploy, in order. Libraries linked into a contract (Semaphore → PoseidonT3) are found in
 * the build's link references and must come earlier; constructor arguments may use earlier
 * addresses, so redeploying Semaphore or TrialRegistry redeploys ConsentRegistry too.
 *
 * TrialRegistry takes no arguments: its deployer becomes its owner and first relayer, and the same
 * holds for ConsentRegistry. Where the portal sends with another key than the deployer's
 * (`contracts:deploy` in production), that key is allowed afterwards with authorizeRelayer — not
 * through a constructor argument, which would make changing the relayer key look like "another
 * deployment" and redeploy the registries, losing their history.
 *
 * LogWitness takes the log's origin (one witness per log): a portal whose LOG_ORIGIN changed is
 * another log, and gets a fresh witness whose anchored history starts empty.
 */
export const DEPLOY_STEPS = [
  { contract: "PoseidonT3" },
  { contract: "SemaphoreVerifier" },
  { contract: "Semaphore", args: (address) => [address("SemaphoreVerifier")] },
  { contract: "TrialRegistry" },
  {
    contract: "ConsentRegistry",
    args: (address) => [address("Semaphore"), address("TrialRegistry"), CONSENT_ROOT_VALIDITY_SECONDS],
  },
  { contract: "LogWitness", args: (_address, params) => [params.logOrigin] },
] as const satisfies readonly DeployStep[];

export type DeployedName = (typeof DEPLOY_STEPS)[number]["contract"];

export type DeployedContract = {
  address: string;
  blockNumber: number;
  txHash: string;
  codeHash: string;
  args: unknown[];
};

export type Deployment = {
  chainId: number;
  deployedAt: string;
  contracts: Record<DeployedName, DeployedContract>;
};

type Artifact = {
  source: string;
  kind: string;
  bytecode: string;
  deployedBytecode: string;
  linkReferences: Record<string, number[]>;
  deployedLinkReferences: Record<string, number[]>;
  immutableReferences: number[][];
};

const artifacts: Record<ContractName, Artifact> = bytecodeFile.contracts;

const contractEntry = z.object({
  address: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  blockNumber: z.number().int().nonnegative(),
  txHash: z.string(),
  codeHash: z.string().regex(/^0x[0-9a-f]{64}$/),
  args: z.array(z.unknown()).default([]),
});
const deploymentsSchema = z.record(
  z.string().regex(/^\d+$/),
  z.object({ deployedAt: z.string(), contracts: z.record(z.string(), contractEntry) }),
);
/** The deployments file as read: chain id → its record. */
export type DeploymentsFile = z.infer<typeof deploymentsSchema>;

/** Thrown when recorded contracts are missing or outdated and deploying is not allowed here. */
export class DeploymentMissingError extends Error {
  override name = "DeploymentMissingError";
  constructor(
    readonly chainId: number,
    readonly problems: string[],
    file: string,
  ) {
    super(
      `TrialLedger's contracts are not deployed on chain ${chainId} (deployments file ${file}):\n` +
        problems.map((p) => `  - ${p}`).join("\n") +
        "\nDeploy them with `npm run contracts:deploy` (needs CHAIN_RPC_URL and DEPLOYER_PRIVATE_KEY), " +
        "or set DEPLOYMENTS_FILE to the file that records this chain's deployment.",
    );
  }
}

/** Reads the deployments file; a missing file is an empty record. Throws when it is not valid. */
export function readDeployments(file: string): DeploymentsFile {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`deployments file ${file} is not valid JSON; fix or remove it`);
  }
  const parsed = deploymentsSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`deployments file ${file} is malformed: ${parsed.error.issues[0]?.message ?? "unknown"}`);
  }
  return parsed.data;
}

/** Records one chain's deployment, keeping the other chains' entries; temp file + rename, so readers never see half a file. */
function writeDeployment(file: string, chainId: number, entry: DeploymentsFile[string]): void {
  const all = readDeployments(file);
  all[String(chainId)] = entry;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(all, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

const strip0x = (hex: string) => (hex.startsWith("0x") ? hex.slice(2) : hex).toLowerCase();

/** Writes each library's address over its `__$…$__` placeholder, at the byte offsets solc reported. */
function link(code: string, references: Record<string, number[]>, libraries: Record<string, string>): string {
  let hex = strip0x(code);
  for (const [library, offsets] of Object.entries(references)) {
    const address = libraries[library];
    if (!address) throw new Error(`library ${library} must be deployed before the contracts that link it`);
    for (const offset of offsets) {
      hex = hex.slice(0, offset * 2) + strip0x(address) + hex.slice(offset * 2 + 40);
    }
  }
  return `0x${hex}`;
}

/**
 * The part of runtime code that must equal today's build. Ignored, on both sides:
 * - the trailing CBOR metadata (its IPFS hash changes with comments and whitespace, not behaviour);
 * - immutables, which the constructor writes (they follow from the constructor arguments, which
 *   are compared separately);
 * - a library's own address, which the EVM writes into its code at deployment (call protection:
 *   the code starts with PUSH20 <address>).
 * Linked library addresses are *not* ignored: the expected code carries the recorded addresses.
 */
function comparable(code: string, artifact: Artifact): string {
  let hex = strip0x(code);
  const metadataLength = Number.parseInt(hex.slice(-4), 16);
  if (Number.isFinite(metadataLength) && (metadataLength + 2) * 2 <= hex.length) {
    hex = hex.slice(0, hex.length - (metadataLength + 2) * 2);
  }
  const zero = (start: number, length: number) => {
    if ((start + length) * 2 > hex.length) return;
    hex = hex.slice(0, start * 2) + "00".repeat(length) + hex.slice((start + length) * 2);
  };
  for (const [start = 0, length = 0] of artifact.immutableReferences) zero(start, length);
  if (artifact.kind === "library" && hex.startsWith("73")) zero(1, 20);
  return hex;
}

const argsJson = (args: readonly unknown[]) =>
  JSON.stringify(args, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));

type Check = { ok: true } | { ok: false; reason: string };

async function checkContract(
  provider: Provider,
  name: ContractName,
  entry: DeployedContract | undefined,
  libraries: Record<string, string>,
  args: readonly unknown[],
): Promise<Check> {
  if (!entry) return { ok: false, reason: `${name} is not recorded` };
  const artifact = artifacts[name];
  const code = await provider.getCode(entry.address);
  if (code === "0x") return { ok: false, reason: `${name}: no contract at ${entry.address}` };
  if (keccak256(code) !== entry.codeHash) {
    return { ok: false, reason: `${name}: the code at ${entry.address} is not the code recorded there` };
  }
  const expected = link(artifact.deployedBytecode, artifact.deployedLinkReferences, libraries);
  if (comparable(code, artifact) !== comparable(expected, artifact)) {
    return {
      ok: false,
      reason: `${name} at ${entry.address} is another build (the contract or a library it links changed since it was deployed)`,
    };
  }
  if (argsJson(entry.args) !== argsJson(args)) {
    return { ok: false, reason: `${name} at ${entry.address} was deployed with other constructor arguments` };
  }
  return { ok: true };
}

async function deployContract(opts: {
  provider: Provider;
  signer: Signer;
  name: ContractName;
  libraries: Record<string, string>;
  args: readonly unknown[];
  confirmations: number;
}): Promise<DeployedContract> {
  const { provider, signer, name, libraries, args } = opts;
  const artifact = artifacts[name];
  if (strip0x(artifact.bytecode) === "") throw new Error(`${name} is abstract or an interface; it cannot be deployed`);
  const factory = new ContractFactory(abis[name], link(artifact.bytecode, artifact.linkReferences, libraries), signer);
  const contract = await factory.deploy(...args);
  const tx = contract.deploymentTransaction();
  if (!tx) throw new Error(`deploying ${name} sent no transaction`);
  const receipt = await tx.wait(Math.max(1, opts.confirmations));
  if (!receipt || receipt.status !== 1) throw new Error(`deploying ${name} failed (transaction ${tx.hash})`);
  const address = getAddress(await contract.getAddress());
  // A load-balanced RPC may answer from a node that has not seen the block yet.
  let code = await provider.getCode(address);
  for (let attempt = 0; code === "0x" && attempt < 10; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    code = await provider.getCode(address);
  }
  const expected = link(artifact.deployedBytecode, artifact.deployedLinkReferences, libraries);
  if (comparable(code, artifact) !== comparable(expected, artifact)) {
    throw new Error(`${name} deployed at ${address}, but its code differs from the build`);
  }
  return {
    address,
    blockNumber: receipt.blockNumber,
    txHash: receipt.hash,
    codeHash: keccak256(code),
    args: JSON.parse(argsJson(args)) as unknown[],
  };
}

export type EnsureDeploymentOptions = {
  provider: Provider;
  /** The deployments file (env().deploymentsFile). */
  file: string;
  /** Confirmations to wait for per deployment transaction (env().CHAIN_CONFIRMATIONS); at least 1. */
  confirmations?: number;
  /** Progress lines ("deployed Semaphore at 0x…"); silent by default. */
  log?: (line: string) => void;
  /** The log's origin for LogWitness; env().logOrigin by default. */
  logOrigin?: string;
} & ({ allowDeploy: true; signer: Signer } | { allowDeploy: false; signer?: undefined });

export type ContractStatus = { name: ContractName; address: string; deployed: boolean; problem?: string };

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** A step's libraries and constructor arguments, given the addresses known so far (zero when unknown). */
function resolveStep(step: DeployStep, addresses: Partial<Record<ContractName, string>>, params: DeployParams) {
  const unavailable: ContractName[] = [];
  const addressOf = (contract: ContractName): string => {
    const address = addresses[contract];
    if (address) return address;
    unavailable.push(contract);
    return ZERO_ADDRESS;
  };
  const libraries: Record<string, string> = {};
  for (const library of Object.keys(artifacts[step.contract].linkReferences)) {
    libraries[library] = addressOf(library as ContractName);
  }
  const args = step.args?.(addressOf, params) ?? [];
  return { libraries, args, unavailable };
}

/** The deploy parameters of a call: its own, or the process's configuration. */
const paramsOf = (opts: { logOrigin?: string | undefined }): DeployParams => ({ logOrigin: opts.logOrigin ?? env().logOrigin });

async function inspect(
  provider: Provider,
  recorded: DeploymentsFile[string] | undefined,
  params: DeployParams,
): Promise<ContractStatus[]> {
  const addresses: Partial<Record<ContractName, string>> = {};
  const statuses: ContractStatus[] = [];
  for (const step of DEPLOY_STEPS) {
    const name = step.contract;
    const entry = recorded?.contracts[name];
    const { libraries, args, unavailable } = resolveStep(step, addresses, params);
    let check: Check;
    if (!entry) check = { ok: false, reason: `${name} is not recorded` };
    else if (unavailable.length > 0) check = { ok: false, reason: `${name} cannot be checked without ${unavailable.join(", ")}` };
    else check = await checkContract(provider, name, entry, libraries, args);
    // Later steps are checked against the recorded address even when this one failed, to report every problem at once.
    if (entry) addresses[name] = entry.address;
    statuses.push({ name, address: entry?.address ?? "", deployed: check.ok, ...(check.ok ? {} : { problem: check.reason }) });
  }
  return statuses;
}

/**
 * Checks each deploy step against the provider's chain; never deploys, and does not throw for
 * missing contracts (health checks). Throws only when the chain or the file cannot be read.
 */
export async function inspectDeployment(opts: { provider: Provider; file: string; logOrigin?: string }): Promise<ContractStatus[]> {
  const chainId = Number((await opts.provider.getNetwork()).chainId);
  return inspect(opts.provider, readDeployments(opts.file)[String(chainId)], paramsOf(opts));
}

/**
 * Returns the deployment recorded for the provider's chain after checking every contract's code,
 * with `newlyDeployed` naming what this call deployed.
 *
 * With `allowDeploy` (the local anvil the portal starts, `npm run contracts:deploy`), a contract that
 * is not recorded, has no code, is another build, or was deployed with other constructor arguments
 * (e.g. because a contract it takes was just redeployed) is deployed and recorded; the others are
 * reused. Each deployment is written to the file as soon as it is mined, so an interrupted run resumes.
 *
 * Without it (the portal against a real network), throws DeploymentMissingError listing each
 * missing contract and how to deploy. Also throws when the file is malformed or a transaction fails.
 */
export async function ensureDeployment(
  opts: EnsureDeploymentOptions,
): Promise<Deployment & { newlyDeployed: DeployedName[] }> {
  const { provider, file } = opts;
  const chainId = Number((await provider.getNetwork()).chainId);
  const recorded = readDeployments(file)[String(chainId)];

  if (!opts.allowDeploy) {
    const statuses = await inspect(provider, recorded, paramsOf(opts));
    const problems = statuses.flatMap((s) => (s.problem ? [s.problem] : []));
    if (!recorded || problems.length > 0) throw new DeploymentMissingError(chainId, problems, file);
    return { chainId, deployedAt: recorded.deployedAt, contracts: pickSteps(recorded.contracts), newlyDeployed: [] };
  }

  const contracts: Partial<Record<DeployedName, DeployedContract>> = {};
  const addresses: Partial<Record<ContractName, string>> = {};
  const newlyDeployed: DeployedName[] = [];
  let deployedAt = recorded?.deployedAt ?? "";
  for (const step of DEPLOY_STEPS) {
    const name = step.contract;
    const { libraries, args, unavailable } = resolveStep(step, addresses, paramsOf(opts));
    if (unavailable.length > 0) {
      throw new Error(`deploy step ${name} uses ${unavailable.join(", ")}, which must be deployed in an earlier step`);
    }
    const entry = recorded?.contracts[name];
    const check = await checkContract(provider, name, entry, libraries, args);
    if (check.ok && entry) {
      contracts[name] = entry;
      addresses[name] = entry.address;
      continue;
    }
    if (!check.ok && entry) opts.log?.(`${check.reason}; deploying it again`);
    const deployed = await deployContract({
      provider,
      signer: opts.signer,
      name,
      libraries,
      args,
      confirmations: opts.confirmations ?? 1,
    });
    contracts[name] = deployed;
    addresses[name] = deployed.address;
    newlyDeployed.push(name);
    deployedAt = new Date().toISOString();
    // Entries of later steps stay recorded, so an interrupted run still reuses them.
    writeDeployment(file, chainId, { deployedAt, contracts: { ...recorded?.contracts, ...contracts } });
    opts.log?.(`deployed ${name} at ${deployed.address} (block ${deployed.blockNumber})`);
  }
  return { chainId, deployedAt, contracts: pickSteps(contracts), newlyDeployed };
}

function pickSteps(contracts: Partial<Record<string, DeployedContract>>): Record<DeployedName, DeployedContract> {
  const picked: Partial<Record<DeployedName, DeployedContract>> = {};
  for (const { contract } of DEPLOY_STEPS) {
    const entry = contracts[contract];
    if (!entry) throw new Error(`${contract} is missing from the deployment`);
    picked[contract] = entry;
  }
  return picked as Record<DeployedName, DeployedContract>;
}

/**
 * The contracts only relayers may write to: the portal's relayer key must be allowed on each.
 * The registries call the role "relayer", LogWitness "writer" (the brief's interface); relayerGate
 * hides the difference.
 */
export const RELAYER_GATED = ["TrialRegistry", "ConsentRegistry", "LogWitness"] as const satisfies readonly DeployedName[];
export type RelayerGatedName = (typeof RELAYER_GATED)[number];

/** What TrialRegistry and ConsentRegistry share for managing relayers (same signatures in both). */
type RelayerGated = Pick<TrialRegistryContract, "isRelayer" | "owner" | "setRelayer">;
type WriterGated = Pick<LogWitnessContract, "isWriter" | "owner" | "setWriter">;

/** One gated contract's role, whatever it calls it: is `account` allowed, allow it, who may allow. */
export type RelayerGate = {
  isAllowed(account: string): Promise<boolean>;
  allow(account: string): Promise<ContractTransactionResponse>;
  owner(): Promise<string>;
};

/** The relayer role of gated contract `name` at `address`, read and sent through `runner`. */
export function relayerGate(name: RelayerGatedName, address: string, runner: ContractRunner): RelayerGate {
  if (name === "LogWitness") {
    const witness = new Contract(address, abis.LogWitness, runner) as unknown as WriterGated;
    return { isAllowed: (a) => witness.isWriter(a), allow: (a) => witness.setWriter(a, true), owner: () => witness.owner() };
  }
  const registry = new Contract(address, abis[name], runner) as unknown as RelayerGated;
  return { isAllowed: (a) => registry.isRelayer(a), allow: (a) => registry.setRelayer(a, true), owner: () => registry.owner() };
}

/**
 * Makes `relayer` a relayer of TrialRegistry and ConsentRegistry and a writer of LogWitness
 * (`contracts`, e.g. a deployment's contracts) — or, with `registry`, a relayer of the one
 * TrialRegistry or ConsentRegistry at that address — sending from `owner` only where it is not
 * allowed yet, so running it again sends nothing. Returns whether it sent any transaction. Throws,
 * before sending anything, when `owner` is not the owner of a contract that still needs the relayer
 * (e.g. it was deployed with another key); throws when a transaction fails.
 */
export async function authorizeRelayer(
  opts: {
    owner: Signer;
    relayer: string;
    /** Confirmations to wait for (env().CHAIN_CONFIRMATIONS); at least 1. */
    confirmations?: number;
  } & ({ contracts: Record<RelayerGatedName, { address: string }> } | { registry: string }),
): Promise<boolean> {
  const targets =
    "contracts" in opts
      ? RELAYER_GATED.map((name) => ({ label: name, address: opts.contracts[name].address, gate: relayerGate(name, opts.contracts[name].address, opts.owner) }))
      : [{ label: "the registry", address: opts.registry, gate: relayerGate("TrialRegistry", opts.registry, opts.owner) }];
  const relayer = getAddress(opts.relayer);
  const sender = getAddress(await opts.owner.getAddress());
  const pending: { label: string; gate: RelayerGate }[] = [];
  for (const { label, address, gate } of targets) {
    if (await gate.isAllowed(relayer)) continue;
    const owner = getAddress(await gate.owner());
    if (owner !== sender) {
      throw new Error(
        `${label} at ${address} is owned by ${owner}, not ${sender}: only its owner can allow the relayer ${relayer}`,
      );
    }
    pending.push({ label, gate });
  }
  for (const { label, gate } of pending) {
    const tx = await gate.allow(relayer);
    const receipt = await tx.wait(Math.max(1, opts.confirmations ?? 1));
    if (!receipt || receipt.status !== 1) {
      throw new Error(`${label}: allowing the relayer ${relayer} failed (transaction ${tx.hash})`);
    }
  }
  return pending.length > 0;
}

/**
 * Deploys what is missing to a local development chain (anvil) with `privateKey`, reusing what the
 * file records and the chain still holds. `deployed` is false when everything was reused.
 */
export async function deployLocalChain(opts: {
  rpcUrl: string;
  file: string;
  privateKey: string;
  log?: (line: string) => void;
  /** The log's origin for LogWitness; env().logOrigin by default. */
  logOrigin?: string;
}): Promise<Deployment & { deployed: boolean }> {
  const { provider } = await openProvider(opts.rpcUrl);
  try {
    const signer = new Wallet(opts.privateKey, provider);
    const { newlyDeployed, ...deployment } = await ensureDeployment({
      provider,
      signer,
      file: opts.file,
      allowDeploy: true,
      ...(opts.log ? { log: opts.log } : {}),
      ...(opts.logOrigin ? { logOrigin: opts.logOrigin } : {}),
    });
    return { ...deployment, deployed: newlyDeployed.length > 0 };
  } finally {
    provider.destroy();
  }
}
