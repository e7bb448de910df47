import "server-only";
import { getChain } from "@/lib/chain/client";
import { env } from "@/lib/env";
import { findLatestAnchoredCheckpoint } from "@/lib/log/data";
import { toHex } from "@/lib/merkle";

export type WitnessInfo = {
  /** The chain and LogWitness contract to check against; null when the chain or the contract is not known. */
  chainId: number | null;
  contract: string | null;
  /** The RPC a browser may use (CHAIN_PUBLIC_RPC_URL, else CHAIN_RPC_URL). */
  rpcUrl: string | null;
  /** The contract's deployment block, where reading its events can start. */
  fromBlock: number | null;
  /** The newest checkpoint the portal recorded as anchored, as the portal saw it; verify on chain. */
  anchored: { size: number; root: string; txHash: string; blockNumber: number } | null;
};

/**
 * Where the log is witnessed on chain and what the portal last anchored there. A verifier must
 * still read `LogWitness.latest()` itself: this says where to look, not what is true.
 */
export async function witnessInfo(): Promise<WitnessInfo> {
  const rpcUrl = env().CHAIN_PUBLIC_RPC_URL ?? env().CHAIN_RPC_URL ?? null;
  let chainId: number | null = null;
  let deployed: { address: string; blockNumber: number } | undefined;
  try {
    const chain = await getChain();
    chainId = chain.chainId;
    // Read by name through a plain record: the LogWitness deployment may be absent from an older
    // deployments file, which the chain start-up check reports.
    deployed = (chain.deployment.contracts as Record<string, { address: string; blockNumber: number } | undefined>).LogWitness;
  } catch {
    // The chain is unreachable: the page shows the log and says it cannot compare with the chain.
  }
  const checkpoint = await findLatestAnchoredCheckpoint();
  return {
    chainId,
    contract: deployed?.address.toLowerCase() ?? null,
    rpcUrl,
    fromBlock: deployed?.blockNumber ?? null,
    anchored: checkpoint?.anchor
      ? { size: checkpoint.size, root: toHex(checkpoint.root), txHash: checkpoint.anchor.txHash, blockNumber: checkpoint.anchor.blockNumber }
      : null,
  };
}
