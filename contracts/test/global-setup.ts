// Global set-up of the contract tests: one fresh anvil (no state file) for the run. Tests get its
// URL with `inject("anvilRpcUrl")` and deploy what they need themselves through lib/chain/deploy.ts.
// Test files may run in parallel against it: each file sends from its own anvil dev account
// (see devSigner in semaphore.test.ts) so their nonces never collide.
import type { TestProject } from "vitest/node";
import { startAnvil } from "@/lib/chain/anvil";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const anvil = await startAnvil({ silent: true });
  project.provide("anvilRpcUrl", anvil.rpcUrl);
  return () => anvil.stop();
}
