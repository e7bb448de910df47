// Shared by the contract test files, which run in parallel against one anvil.
import { type ErrorDescription, HDNodeWallet, type Interface, type JsonRpcProvider } from "ethers";

const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";

/**
 * anvil's dev account `index`, connected. Each test file sends from its own accounts so files
 * sharing the run's anvil never race for nonces: #1 semaphore.test.ts, #2–#3 trial-registry.test.ts,
 * #4 scripts.test.ts, #5–#6 consent-registry.test.ts, #7–#8 log-witness.test.ts.
 */
export function devSigner(provider: JsonRpcProvider, index: number): HDNodeWallet {
  return HDNodeWallet.fromPhrase(ANVIL_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`).connect(provider);
}

/**
 * The custom error a call or transaction reverted with, decoded with `abi` (a contract's interface,
 * or several ABIs' errors merged). Fails the test when it succeeds or reverts with data `abi` does
 * not know.
 */
export async function revertOf(abi: Pick<Interface, "parseError">, call: Promise<unknown>): Promise<ErrorDescription> {
  let error: unknown;
  try {
    await call;
  } catch (caught) {
    error = caught;
  }
  if (error === undefined) throw new Error("expected the call to revert, but it succeeded");
  const data = (error as { data?: unknown }).data;
  if (typeof data !== "string" || data === "0x") throw error;
  const parsed = abi.parseError(data);
  if (!parsed) throw new Error(`revert data ${data} is not an error this ABI knows`);
  return parsed;
}
