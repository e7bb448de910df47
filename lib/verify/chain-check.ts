import { Contract, type Provider } from "ethers";
import type { Receipt } from "@/lib/anchoring/receipt";
import { abis } from "@/lib/chain/generated/abis";

export type ChainCheck =
  | { ok: true; anchoredAt: Date; confirmations: number }
  | { ok: false; reason: string };

/**
 * The chain half of verifying a receipt (docs/receipt-format.md, "Chain check"): the RPC is on
 * the receipt's chain, the TrialRegistry there has the root anchored in the receipt's block, at its
 * time, with its tree size. Asks only the chain: no portal, no database.
 * @param trustedContract when given, the receipt must name this contract (a receipt can name any)
 */
export async function checkReceiptOnChain(opts: { provider: Provider; receipt: Receipt; trustedContract?: string }): Promise<ChainCheck> {
  const { provider, receipt } = opts;
  const network = await provider.getNetwork();
  if (Number(network.chainId) !== receipt.chain.chainId) {
    return { ok: false, reason: `the RPC is on chain ${network.chainId}, the receipt on chain ${receipt.chain.chainId}` };
  }
  if (opts.trustedContract && opts.trustedContract.toLowerCase() !== receipt.chain.contract) {
    return { ok: false, reason: `the receipt names contract ${receipt.chain.contract}, not the trusted ${opts.trustedContract.toLowerCase()}` };
  }
  if ((await provider.getCode(receipt.chain.contract)) === "0x") {
    return { ok: false, reason: `there is no contract at ${receipt.chain.contract} on chain ${receipt.chain.chainId}` };
  }
  const registry = new Contract(receipt.chain.contract, abis.TrialRegistry, provider);
  const [blockNumber, blockTime, leafCount] = (await registry.getFunction("anchorOf")(receipt.root)) as [bigint, bigint, bigint];
  if (blockNumber === 0n) return { ok: false, reason: `root ${receipt.root} is not anchored in that contract` };
  const expectedTime = Date.parse(receipt.chain.blockTime) / 1000;
  if (Number(blockNumber) !== receipt.chain.blockNumber || Number(blockTime) !== expectedTime) {
    return { ok: false, reason: `the root was anchored in block ${blockNumber} at ${blockTime}, not as the receipt says` };
  }
  if (Number(leafCount) !== receipt.treeSize) {
    return { ok: false, reason: `the anchored tree has ${leafCount} leaves, the receipt says ${receipt.treeSize}` };
  }
  const latest = await provider.getBlockNumber();
  return { ok: true, anchoredAt: new Date(Number(blockTime) * 1000), confirmations: latest - Number(blockNumber) + 1 };
}
