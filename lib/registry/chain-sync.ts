import "server-only";
import { backoffMs } from "@/lib/anchoring/worker";
import type { Chain } from "@/lib/chain/client";
import { waitForReceipt } from "@/lib/chain/receipts";
import { nextChainWrites } from "@/lib/registry/data";
import { markChainConfirmed, markChainFailed, markChainSent } from "@/lib/registry/mutations";

/**
 * Brings TrialRegistry's per-trial record up to date with the database: version 1 becomes
 * `registerTrial(trialId, digest)`, version n `amendTrial(trialId, previous, digest)`, in
 * version order per trial. Before sending, the contract is asked how far the trial already is,
 * so a restart after an unrecorded send never writes a version twice (the contract would refuse
 * anyway: registration is once, amendments must name the current digest).
 * @returns how many versions reached the chain
 */
export async function syncTrialsToChain(opts: { chain: () => Promise<Chain>; confirmations: number; log?: (line: string) => void }) {
  let confirmed = 0;
  for (const write of await nextChainWrites(new Date())) {
    try {
      const chain = await opts.chain();
      const registry = chain.contracts.TrialRegistry;
      const [currentDigest, onChainVersion] = await registry.trialOf(write.trial.chainTrialId);
      if (Number(onChainVersion) >= write.version) {
        if (Number(onChainVersion) === write.version && currentDigest.toLowerCase() !== write.digest) {
          throw new Error(`chain holds another digest for ${write.trial.registrationNumber} version ${write.version}`);
        }
        await markChainConfirmed(write.id, write.chainTxHash);
        confirmed++;
        continue;
      }
      let txHash = write.chainStatus === "SENT" ? write.chainTxHash : null;
      if (txHash && !(await chain.provider.getTransaction(txHash))) txHash = null; // dropped
      if (!txHash) {
        const tx =
          write.version === 1
            ? await registry.registerTrial(write.trial.chainTrialId, write.digest)
            : await registry.amendTrial(write.trial.chainTrialId, write.previousDigest ?? "", write.digest);
        txHash = tx.hash;
        await markChainSent(write.id, txHash);
      }
      const receipt = await waitForReceipt(chain.provider, txHash, opts.confirmations, 20_000);
      if (!receipt) continue; // not yet confirmed: the next run looks again
      if (receipt.status !== 1) throw new Error(`transaction ${txHash} reverted`);
      await markChainConfirmed(write.id, txHash);
      confirmed++;
      opts.log?.(`[registry] ${write.trial.registrationNumber} version ${write.version} is on chain (${txHash})`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      opts.log?.(`[registry] ${write.trial.registrationNumber} version ${write.version}: ${message}`);
      await markChainFailed(write.id, message, new Date(Date.now() + backoffMs(write.chainAttempts)));
    }
  }
  return confirmed;
}
