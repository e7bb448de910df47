import { EventLog, type Log, type Provider, Result, type TransactionReceipt } from "ethers";

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

/**
 * The decoded arguments of a contract event, typed by the generated bindings
 * (lib/chain/generated/types.ts, `<Contract>Events[name]`) instead of a cast per field. Arrays come
 * back as plain arrays (the events have no structs).
 * @returns null for a log that is not a decoded `name` event (another event, or one ethers could not decode)
 */
export function eventArgs<Events, N extends keyof Events & string>(log: Log | EventLog, name: N): Events[N] | null {
  if (!(log instanceof EventLog) || log.eventName !== name) return null;
  // Not Result.toObject(true): it leaves an array argument a Result without Array's own methods.
  const plain = (value: unknown): unknown => (value instanceof Result ? [...value].map(plain) : value);
  const args = Object.fromEntries(log.fragment.inputs.map((input, i) => [input.name, plain(log.args[i])]));
  // One cast, here: ethers decoded with the same ABI the types were generated from.
  return args as Events[N];
}
