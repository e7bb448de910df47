// What contracts/test/global-setup.ts provides to the contract tests (`inject("anvilRpcUrl")`).
import "vitest";

declare module "vitest" {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- module augmentation merges only into an interface
  export interface ProvidedContext {
    /** JSON-RPC URL of the run's anvil, fresh at the start of the run. */
    anvilRpcUrl: string;
  }
}
