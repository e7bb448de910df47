import "server-only";
import { Contract, type JsonRpcProvider, NonceManager, type TransactionRequest, Wallet } from "ethers";
import { openProvider } from "./rpc";
import { env } from "@/lib/env";
import { DEPLOY_STEPS, type DeployedName, type Deployment, ensureDeployment } from "./deploy";
import { abis } from "./generated/abis";
import type { ContractTypes } from "./generated/types";

/**
 * The portal's chain client and relayer signer. Providers are opened by `openProvider()`
 * (lib/chain/rpc.ts, also used by the CLI and the browser verifier); everything else receives them.
 */
export { ChainUnreachableError, openProvider, redactRpcUrl } from "./rpc";

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
