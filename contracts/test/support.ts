// Shared by the contract test files, which run in parallel against one anvil.
import { HDNodeWallet, type JsonRpcProvider } from "ethers";

const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";

/**
 * anvil's dev account `index`, connected. Each test file sends from its own accounts so files
 * sharing the run's anvil never race for nonces: #1 semaphore.test.ts, #2–#3 trial-registry.test.ts,
 * #4 scripts.test.ts, #5–#6 consent-registry.test.ts.
 */
export function devSigner(provider: JsonRpcProvider, index: number): HDNodeWallet {
  return HDNodeWallet.fromPhrase(ANVIL_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`).connect(provider);
}
