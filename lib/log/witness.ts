import "server-only";
import { trustedContract } from "@/lib/chain/service";
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
  // Null when the chain is unreachable or its deployment lacks LogWitness: the page then shows the
  // log and says it cannot compare with the chain.
  const trusted = await trustedContract("LogWitness");
  const checkpoint = await findLatestAnchoredCheckpoint();
  return {
    chainId: trusted?.chainId ?? null,
    contract: trusted?.contract ?? null,
    rpcUrl: trusted?.rpcUrl ?? env().CHAIN_PUBLIC_RPC_URL ?? env().CHAIN_RPC_URL ?? null,
    fromBlock: trusted?.fromBlock ?? null,
    anchored: checkpoint?.anchor
      ? { size: checkpoint.size, root: toHex(checkpoint.root), txHash: checkpoint.anchor.txHash, blockNumber: checkpoint.anchor.blockNumber }
      : null,
  };
}
