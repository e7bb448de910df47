// The consent relay in integration tests: one pass of the registry's chain sync and of the relay,
// repeated until what a test waits for holds. Other test files share the relayer key on one anvil,
// so a pass may fail and back off; the loop gives it 45 s.
import { getChain } from "@/lib/chain/client";
import { runConsentRelayOnce } from "@/lib/consent/relay";
import { syncTrialsToChain } from "@/lib/registry/chain-sync";

export const relayOptions = { chain: getChain, confirmations: 1 };

/** Runs the relay (and the registry's chain sync) until `done` holds; throws naming `what` after 45 s. */
export async function relayUntil(done: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    await syncTrialsToChain(relayOptions);
    await runConsentRelayOnce(relayOptions);
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting until ${what}`);
}
