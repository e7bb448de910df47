import "server-only";
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";
import { ChainUnreachableError, getChain, getProvider, redactRpcUrl } from "./client";
import { DeploymentMissingError, inspectDeployment, RELAYER_GATED, relayerGate } from "./deploy";

export type ChainHealth = {
  reachable: boolean;
  chainId?: number;
  latestBlock?: number;
  /** Each contract the portal needs: recorded address ("" when none) and whether its code is on the chain. */
  contracts: Record<string, { address: string; deployed: boolean }>;
  error?: string;
};

/** /api/health must answer even when the chain hangs: it reports "unreachable" after this long. */
const HEALTH_TIMEOUT_MS = 2_000;

/**
 * A short message for logs and the health report: ethers' messages embed the request (and so the
 * RPC URL, whose path often holds an API key), so keep its short form and mask the URL.
 */
function describe(error: unknown): string {
  const short = (error as { shortMessage?: unknown }).shortMessage;
  let message = typeof short === "string" ? short : error instanceof Error ? error.message : String(error);
  const url = env().CHAIN_RPC_URL;
  if (url) message = message.split(url).join(redactRpcUrl(url));
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
}

/** ethers reports transport problems with these codes; anything else is not about reachability. */
function isTransportError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === "NETWORK_ERROR" || code === "TIMEOUT" || code === "SERVER_ERROR" || code === "UNKNOWN_ERROR";
}

async function probe(): Promise<ChainHealth> {
  if (!env().CHAIN_RPC_URL) return { reachable: false, contracts: {}, error: "CHAIN_RPC_URL is not set" };
  let connection: Awaited<ReturnType<typeof getProvider>>;
  let latestBlock: number;
  try {
    connection = await getProvider();
    latestBlock = await connection.provider.getBlockNumber();
  } catch (error) {
    return { reachable: false, contracts: {}, error: describe(error) };
  }
  const { provider, chainId } = connection;
  try {
    const statuses = await inspectDeployment({ provider, file: env().deploymentsFile });
    const contracts = Object.fromEntries(statuses.map((s) => [s.name, { address: s.address, deployed: s.deployed }]));
    const problems = statuses.flatMap((s) => (s.problem ? [s.problem] : []));
    return { reachable: true, chainId, latestBlock, contracts, ...(problems.length ? { error: problems.join("; ") } : {}) };
  } catch (error) {
    return { reachable: true, chainId, latestBlock, contracts: {}, error: describe(error) };
  }
}

/**
 * The chain's state for /api/health: reachable, chain id, latest block, and each contract's
 * address and presence. Never throws and answers within about 2 s, also when the chain hangs.
 */
export async function chainHealth(): Promise<ChainHealth> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ChainHealth>((resolve) => {
    timer = setTimeout(
      () => resolve({ reachable: false, contracts: {}, error: `the chain did not answer within ${HEALTH_TIMEOUT_MS} ms` }),
      HEALTH_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([probe(), timeout]);
  } catch (error) {
    return { reachable: false, contracts: {}, error: describe(error) };
  } finally {
    clearTimeout(timer);
  }
}

export type BootChainCheck =
  | { kind: "ok"; chainId: number }
  | { kind: "missing-contracts"; message: string }
  | { kind: "relayer-not-allowed"; message: string }
  | { kind: "unreachable"; message: string };

/**
 * Start-up check: connects the chain client (getChain) and classifies the outcome. "unreachable"
 * (no CHAIN_RPC_URL, or the chain does not answer) is worth a warning — anchoring waits for the
 * chain; "missing-contracts" (contracts not deployed or outdated, or an unreadable deployments file)
 * means the portal would misbehave, and the message says how to fix it.
 */
export async function checkChainAtBoot(): Promise<BootChainCheck> {
  if (!env().CHAIN_RPC_URL) {
    return {
      kind: "unreachable",
      message: "CHAIN_RPC_URL is not set (`npm start` starts a local chain and sets it).",
    };
  }
  try {
    const chain = await getChain();
    // Every chain write goes through a relayer check (TrialRegistry, ConsentRegistry, LogWitness): a relayer
    // either does not know would fail every anchoring, registration or enrolment later, so say so now.
    const relayer = await chain.relayer.getAddress();
    for (const name of RELAYER_GATED) {
      if (!(await relayerGate(name, chain.deployment.contracts[name].address, chain.provider).isAllowed(relayer))) {
        return {
          kind: "relayer-not-allowed",
          message:
            `The relayer ${relayer} (RELAYER_PRIVATE_KEY) may not write to ${name} on chain ${chain.chainId}. ` +
            "Run `npm run contracts:deploy` with DEPLOYER_PRIVATE_KEY (the owner) and RELAYER_PRIVATE_KEY set to allow it.",
        };
      }
    }
    return { kind: "ok", chainId: chain.chainId };
  } catch (error) {
    if (error instanceof DeploymentMissingError) return { kind: "missing-contracts", message: error.message };
    if (error instanceof ChainUnreachableError || isTransportError(error)) {
      return { kind: "unreachable", message: `${describe(error)}.` };
    }
    return { kind: "missing-contracts", message: describe(error) };
  }
}

/**
 * What a public page tells visitors' browsers so they can check the chain without the portal: the
 * chain, the contract to trust, the RPC to ask (CHAIN_PUBLIC_RPC_URL, else CHAIN_RPC_URL) and the
 * contract's deployment block, where reading its logs can start (hosted RPCs limit a log query's
 * block range; starting at block 0 would waste most of it). Null when the chain is not reachable or
 * the deployments file (written before the contract existed) lacks it.
 */
export async function trustedContract(
  name: "TrialRegistry" | "ConsentRegistry",
): Promise<{ chainId: number; contract: string; rpcUrl: string; fromBlock: number } | null> {
  const rpcUrl = env().CHAIN_PUBLIC_RPC_URL ?? env().CHAIN_RPC_URL;
  if (!rpcUrl) return null;
  try {
    const chain = await getChain();
    const deployed: { address: string; blockNumber: number } | undefined = chain.deployment.contracts[name];
    return deployed ? { chainId: chain.chainId, contract: deployed.address.toLowerCase(), rpcUrl, fromBlock: deployed.blockNumber } : null;
  } catch {
    return null;
  }
}

/** One published contract: where it is, where its history starts, and the code it must have. */
export type PublishedContract = { address: string; blockNumber: number; txHash: string; codeHash: string };

/**
 * The deployments the portal publishes (GET /api/deployments) so that a verifier can learn which
 * contracts to trust from the operator rather than from a receipt, which can name any contract.
 * The same JSON shape as the deployments file (lib/chain/deploy.ts), for the chain the portal
 * uses, without the constructor arguments: `trialledger verify --portal` and `--deployments` read
 * both with one parser.
 * @throws AppError UNAVAILABLE when the chain or its deployment cannot be read
 */
export async function publishedDeployments(): Promise<Record<string, { deployedAt: string; contracts: Record<string, PublishedContract> }>> {
  let chain: Awaited<ReturnType<typeof getChain>>;
  try {
    chain = await getChain();
  } catch {
    throw new AppError("UNAVAILABLE", "The portal cannot read its chain deployment right now.");
  }
  const contracts = Object.fromEntries(
    Object.entries(chain.deployment.contracts).map(([name, c]) => [
      name,
      { address: c.address.toLowerCase(), blockNumber: c.blockNumber, txHash: c.txHash, codeHash: c.codeHash },
    ]),
  );
  return { [String(chain.chainId)]: { deployedAt: chain.deployment.deployedAt, contracts } };
}
