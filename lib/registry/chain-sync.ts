import "server-only";
import { type OutboxOptions, type Pump, runPump } from "@/lib/outbox/runner";
import { nextChainWrites } from "@/lib/registry/data";
import { markConfirmed, markFailed, markSent, markUnsent } from "@/lib/registry/mutations";

type Write = Awaited<ReturnType<typeof nextChainWrites>>[number];

/**
 * The registry pump: brings TrialRegistry's per-trial record up to date with the database: version
 * 1 becomes `registerTrial(trialId, digest)`, version n `amendTrial(trialId, previous, digest)`, in
 * version order per trial (one version per trial per run: nextChainWrites). Before sending, the
 * contract is asked how far the trial already is, so a restart after an unrecorded send never
 * writes a version twice (the contract would refuse anyway: registration is once, amendments must
 * name the current digest).
 */
export const registryPump: Pump<Write> = {
  name: "registry",
  due: (now) => nextChainWrites(now),
  describe: (write) => ({ label: `${write.trial.registrationNumber} version ${write.version}`, attempts: write.chainAttempts }),
  sentTx: (write) => (write.chainStatus === "SENT" ? write.chainTxHash : null),
  async findOnChain(chain, write) {
    const [currentDigest, onChainVersion] = await chain.contracts.TrialRegistry.trialOf(write.trial.chainTrialId);
    if (Number(onChainVersion) < write.version) return null;
    if (Number(onChainVersion) === write.version && currentDigest.toLowerCase() !== write.digest) {
      throw new Error(`chain holds another digest for ${write.trial.registrationNumber} version ${write.version}`);
    }
    await markConfirmed(write.id, write.chainTxHash);
    return "confirmed";
  },
  async send(chain, write) {
    const registry = chain.contracts.TrialRegistry;
    const tx =
      write.version === 1
        ? await registry.registerTrial(write.trial.chainTrialId, write.digest)
        : await registry.amendTrial(write.trial.chainTrialId, write.previousDigest ?? "", write.digest);
    return tx.hash;
  },
  markSent: (_chain, write, txHash) => markSent(write.id, txHash),
  markUnsent: (write, reason) => markUnsent(write.id, reason),
  async markConfirmed(_chain, write, receipt) {
    await markConfirmed(write.id, receipt.hash);
    return "confirmed";
  },
  markFailed: (write, error, retryAt) => markFailed(write.id, error, retryAt),
};

/**
 * One run of the registry pump.
 * @returns how many versions reached the chain
 */
export async function syncTrialsToChain(opts: OutboxOptions): Promise<number> {
  return (await runPump(registryPump, opts)).confirmed;
}
