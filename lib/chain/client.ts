import "server-only";
import { Contract, FetchRequest, JsonRpcProvider, Network, NonceManager, type TransactionRequest, Wallet } from "ethers";
import { env } from "@/lib/env";
import { DEPLOY_STEPS, type DeployedName, type Deployment, ensureDeployment } from "./deploy";
import { abis } from "./generated/abis";
import type { ContractTypes } from "./generated/types";

/**
 * The one place that creates JSON-RPC providers and the relayer signer. Everything else receives
 * them: `getChain()` in the portal, `openProvider()` in scripts that are given an RPC URL.
 */

/** A request to the chain that takes longer than this fails (ethers' default is 5 minutes). */
const REQUEST_TIMEOUT_MS = 30_000;

export type DeployedContracts = { [K in DeployedName]: ContractTypes[K] };

export type Chain = {
  provider: JsonRpcProvider;
  /** Sends the portal's transactions; nonces are assigned locally so concurrent sends don't collide. */
  relayer: NonceManager;
  chainId: number;
  deployment: Deployment;
  /** Each deployed contract, connected to the relayer. */
  contracts: DeployedContracts;
};

/** An RPC URL for messages: hosted endpoints carry API keys in the path or query, so keep only the origin. */
export function redactRpcUrl(rpcUrl: string): string {
  try {
    return new URL(rpcUrl).origin;
  } catch {
    return "(invalid URL)";
  }
}

/** The RPC endpoint did not answer (refused, timed out, or not JSON-RPC). */
export class ChainUnreachableError extends Error {
  override name = "ChainUnreachableError";
}

async function fetchChainId(rpcUrl: string, timeoutMs: number): Promise<number> {
  let response: Response;
  try {
    response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const reason =
      error instanceof Error && error.name === "TimeoutError"
        ? `no answer within ${timeoutMs} ms`
        : ((error as { cause?: { code?: string } }).cause?.code ?? (error instanceof Error ? error.message : String(error)));
    throw new ChainUnreachableError(`cannot reach the chain at ${redactRpcUrl(rpcUrl)}: ${reason}`);
  }
  const body = (await response.json().catch(() => null)) as { result?: unknown } | null;
  if (!response.ok || typeof body?.result !== "string") {
    throw new ChainUnreachableError(
      `the chain at ${redactRpcUrl(rpcUrl)} did not answer eth_chainId (HTTP ${response.status})`,
    );
  }
  return Number.parseInt(body.result, 16);
}

/**
 * Opens a provider for `rpcUrl` with its network fixed to the chain id read once up front. Fixing
 * it matters: an ethers provider that has to detect its network retries forever (logging every
 * second) while the chain is down; this one fails each request instead, and the caller retries.
 * Throws ChainUnreachableError when the endpoint does not answer within `timeoutMs` (5 s by default).
 */
export async function openProvider(
  rpcUrl: string,
  opts: { timeoutMs?: number } = {},
): Promise<{ provider: JsonRpcProvider; chainId: number }> {
  const chainId = await fetchChainId(rpcUrl, opts.timeoutMs ?? 5_000);
  const request = new FetchRequest(rpcUrl);
  request.timeout = REQUEST_TIMEOUT_MS;
  const network = Network.from(chainId);
  // cacheTimeout -1: ethers otherwise answers a repeated request from a 250 ms cache, and on a
  // chain that mines instantly (anvil) a second deployment then reused the first one's nonce.
  // batchMaxCount 1: ethers otherwise holds every request 10 ms to batch it; with the 4–6 requests
  // of a transaction that made a Semaphore addMember on anvil take 73 ms instead of 24 ms.
  const provider = new JsonRpcProvider(request, network, {
    staticNetwork: network,
    cacheTimeout: -1,
    batchMaxCount: 1,
  });
  return { provider, chainId };
}

/**
 * ethers' NonceManager counts a nonce as used even when sending fails, after which every later
 * transaction waits behind the gap forever. Re-reading the nonce from the chain after a failed
 * send closes the gap (a send racing with the failure may then need a retry: better than a stall).
 */
class RelayerNonceManager extends NonceManager {
  override async sendTransaction(tx: TransactionRequest) {
    try {
      return await super.sendTransaction(tx);
    } catch (error) {
      this.reset();
      throw error;
    }
  }
}

function requireRpcUrl(): string {
  const url = env().CHAIN_RPC_URL;
  if (!url) {
    throw new Error(
      "CHAIN_RPC_URL is not set: `npm start` starts a local chain and sets it; otherwise point it at an EVM JSON-RPC endpoint",
    );
  }
  return url;
}

let providerPromise: Promise<{ provider: JsonRpcProvider; chainId: number }> | undefined;
let chainPromise: Promise<Chain> | undefined;

/** The process's provider for CHAIN_RPC_URL, without checking the contracts (health checks). Retried after a failure. */
export function getProvider(): Promise<{ provider: JsonRpcProvider; chainId: number }> {
  providerPromise ??= (async () => openProvider(requireRpcUrl()))().catch((error: unknown) => {
    providerPromise = undefined;
    throw error;
  });
  return providerPromise;
}

/**
 * A chain client for an explicit endpoint, deployments file and relayer key: the anchoring tests
 * and the anchoring benchmark use their own chains. The portal itself uses `getChain()`.
 */
export async function connectChain(opts: { rpcUrl: string; deploymentsFile: string; relayerKey: string }): Promise<Chain> {
  const { provider, chainId } = await openProvider(opts.rpcUrl);
  return chainFor(provider, chainId, opts.deploymentsFile, opts.relayerKey);
}

async function chainFor(provider: JsonRpcProvider, chainId: number, deploymentsFile: string, relayerKey: string): Promise<Chain> {
  const deployment = await ensureDeployment({ provider, file: deploymentsFile, allowDeploy: false });
  const relayer = new RelayerNonceManager(new Wallet(relayerKey, provider));
  const entries = DEPLOY_STEPS.map((step) => {
    const address = deployment.contracts[step.contract]?.address;
    if (!address) throw new Error(`${step.contract} is missing from the deployment of chain ${chainId}`);
    return [step.contract, new Contract(address, abis[step.contract], relayer)] as const;
  });
  // The generated types describe exactly these ABIs; ethers cannot infer them from the ABI itself.
  const contracts = Object.fromEntries(entries) as unknown as DeployedContracts;
  return { provider, relayer, chainId, deployment, contracts };
}

async function connect(): Promise<Chain> {
  const { provider, chainId } = await getProvider();
  return chainFor(provider, chainId, env().deploymentsFile, env().relayerKey);
}

/**
 * The portal's chain client, created once per process: provider, relayer and the deployed
 * contracts, after checking that every recorded contract is on the chain with today's code.
 * Rejects when CHAIN_RPC_URL is unset, the chain is unreachable, or the contracts are missing
 * (DeploymentMissingError); a later call tries again.
 */
export function getChain(): Promise<Chain> {
  chainPromise ??= connect().catch((error: unknown) => {
    chainPromise = undefined;
    throw error;
  });
  return chainPromise;
}
