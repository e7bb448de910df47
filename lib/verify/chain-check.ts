import { Contract, isAddress, isHexString, type Provider } from "ethers";
import { z } from "zod";
import type { Receipt } from "@/lib/anchoring/receipt";
import { abis } from "@/lib/chain/generated/abis";

export type ChainCheck =
  | { ok: true; anchoredAt: Date; confirmations: number }
  | { ok: false; reason: string };

/**
 * The chain half of verifying a receipt (docs/receipt-format.md, "Chain check"): the RPC is on
 * the receipt's chain, the TrialRegistry there has the root anchored in the receipt's block, at its
 * time, with its tree size. Asks only the chain: no portal, no database.
 * @param trustedContract the TrialRegistry the verifier trusts — from its own configuration or the
 *   operator's published deployments, never from the receipt: anyone can deploy a contract that
 *   answers `anchorOf` as the real one does. The receipt must name exactly this contract.
 */
export async function checkReceiptOnChain(opts: { provider: Provider; receipt: Receipt; trustedContract: string }): Promise<ChainCheck> {
  const { provider, receipt } = opts;
  const network = await provider.getNetwork();
  if (Number(network.chainId) !== receipt.chain.chainId) {
    return { ok: false, reason: `the RPC is on chain ${network.chainId}, the receipt on chain ${receipt.chain.chainId}` };
  }
  if (opts.trustedContract.toLowerCase() !== receipt.chain.contract) {
    return { ok: false, reason: `the receipt names contract ${receipt.chain.contract}, not the trusted ${opts.trustedContract.toLowerCase()}` };
  }
  if ((await provider.getCode(receipt.chain.contract)) === "0x") {
    return { ok: false, reason: `there is no contract at ${receipt.chain.contract} on chain ${receipt.chain.chainId}` };
  }
  const registry = new Contract(receipt.chain.contract, abis.TrialRegistry, provider);
  let blockNumber: bigint, blockTime: bigint, leafCount: bigint;
  try {
    [blockNumber, blockTime, leafCount] = (await registry.getFunction("anchorOf")(receipt.root)) as [bigint, bigint, bigint];
  } catch (error) {
    if (!isNotThisContract(error)) throw error;
    const code = (error as { code?: unknown }).code;
    return { ok: false, reason: `the contract at ${receipt.chain.contract} is not a TrialRegistry: anchorOf failed (${String(code)})` };
  }
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

/**
 * Whether `anchorOf` failed because the contract is another kind of contract — it reverted, or
 * answered with bytes that are not anchorOf's result — rather than because the RPC failed.
 * ethers 6 turns *every* JSON-RPC error on eth_call into CALL_EXCEPTION (JsonRpcProvider.getRpcError),
 * so "header not found" (-32005, a load-balanced node behind) or a rate limit arrives with the same
 * code as a revert; only a revert carries revert data (hex, "0x" for a bare revert) or a revert
 * message. Anything else is rethrown: the CLI exits 2 (cannot say), not 1 (not verified).
 */
export function isNotThisContract(error: unknown): boolean {
  const e = error as { code?: unknown; data?: unknown; reason?: unknown; info?: { error?: { message?: unknown } } } | null;
  if (e?.code === "BAD_DATA") return true;
  if (e?.code !== "CALL_EXCEPTION") return false;
  if (typeof e.data === "string" && isHexString(e.data)) return true;
  if (typeof e.reason === "string") return true;
  // A node that reverts without returning data ("execution reverted" and no `data`).
  const message = e.info?.error?.message;
  return typeof message === "string" && /revert/i.test(message);
}

/**
 * A deployments document — the deployments file (lib/chain/deploy.ts) or a portal's
 * GET /api/deployments, which share one shape — reduced to what a verifier trusts: the address
 * of `name` on `chainId`. Null when the document does not list it (or is not such a document).
 */
export function deployedAddress(document: unknown, chainId: number, name: "TrialRegistry" | "ConsentRegistry"): string | null {
  const parsed = z
    .record(z.string(), z.looseObject({ contracts: z.record(z.string(), z.looseObject({ address: z.string() })) }))
    .safeParse(document);
  if (!parsed.success) return null;
  const address = parsed.data[String(chainId)]?.contracts[name]?.address;
  return address && isAddress(address) ? address.toLowerCase() : null;
}
