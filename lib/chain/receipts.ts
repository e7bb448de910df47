import type { Provider, TransactionReceipt } from "ethers";

/**
 * Waits until `txHash` has `confirmations` confirmations, polling the receipt; null when `timeoutMs`
 * passes first. Not ethers' `waitForTransaction`: when the receipt is not there at its first look
 * it waits for the *next* block, and on anvil (which mines on demand) no next block may come —
 * seen here as a 30 s stall on one decision in twelve.
 */
export async function waitForReceipt(provider: Provider, txHash: string, confirmations: number, timeoutMs: number): Promise<TransactionReceipt | null> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
    const receipt = await provider.getTransactionReceipt(txHash);
    if (receipt && (await receipt.confirmations()) >= confirmations) return receipt;
    if (Date.now() + delay > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
