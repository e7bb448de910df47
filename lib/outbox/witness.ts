import "server-only";
import type { Chain } from "@/lib/chain/client";
import type { LogWitnessEvents } from "@/lib/chain/generated/types";
import { eventArgs } from "@/lib/chain/receipts";
import { readStoredHashes } from "@/lib/log/data";
import { fromHex, proveTree, toHex } from "@/lib/merkle";
import { findWitnessState } from "@/lib/outbox/data";
import { checkpointWrites } from "@/lib/outbox/mutations";
import { type OutboxOptions, type Pump, runPump } from "@/lib/outbox/runner";

/**
 * The witness pump: anchors the log's latest checkpoint on LogWitness, which accepts it only with
 * a valid consistency proof from the (size, root) it holds — so a fork or a rewrite of anchored
 * history is refused by the chain itself. Due when `count` entries have been added since the last
 * anchor, or the oldest checkpoint not anchored is `ageMs` old. The chain's stored size is the
 * truth for the proof's old size (not the database's last anchor): a run that died after
 * broadcasting, or another writer, may have moved it.
 */
export type WitnessOptions = {
  /** Anchor once this many entries wait… (default 1,000) */
  count?: number;
  /** …or once the oldest unanchored checkpoint is this old (default 60 s). */
  ageMs?: number;
};

/**
 * 1,000 entries or a minute: a minute bounds how long a rewrite of fresh history could go
 * unwitnessed, and caps the cost at 1,440 transactions a day (bench/log/gas.ts prints the gas per
 * anchor; it grows with log2 of the tree size, not with the entries added).
 */
export const WITNESS_COUNT = 1_000;
export const WITNESS_AGE_MS = 60_000;

type Checkpoint = {
  size: number;
  root: string;
  sentTx: string | null;
  /** The chain's stored size, read by findOnChain: the old size of the proof. */
  chainSize: number;
  attempts: number;
};

/**
 * Failed attempts per checkpoint size, in this process: LogCheckpoint (the log's table) has no
 * retry columns, and a restart retrying at once is harmless (the chain is asked first).
 */
const failures = new Map<number, { attempts: number; retryAt: number }>();

const contractOf = async (chain: Chain) => (await chain.contracts.LogWitness.getAddress()).toLowerCase();

/** The CheckpointAnchored event of `size`: its transaction and block; null when there is none. */
async function findAnchored(chain: Chain, size: number): Promise<{ txHash: string; blockNumber: number; root: string } | null> {
  const witness = chain.contracts.LogWitness;
  const fromBlock = chain.deployment.contracts.LogWitness.blockNumber;
  for (const log of await witness.queryFilter(witness.getEvent("CheckpointAnchored")(size), fromBlock)) {
    const args = eventArgs<LogWitnessEvents, "CheckpointAnchored">(log, "CheckpointAnchored");
    if (args && Number(args.size) === size) return { txHash: log.transactionHash, blockNumber: log.blockNumber, root: args.root.toLowerCase() };
  }
  return null;
}

export function witnessPump(opts: WitnessOptions = {}): Pump<Checkpoint> {
  const count = opts.count ?? WITNESS_COUNT;
  const ageMs = opts.ageMs ?? WITNESS_AGE_MS;
  return {
    name: "witness",
    async due(now) {
      const { latest, anchoredSize, waitingSince } = await findWitnessState();
      if (!latest || latest.anchoredBlock !== null || Number(latest.size) <= anchoredSize) return [];
      const size = Number(latest.size);
      const failed = failures.get(size);
      if (failed && failed.retryAt > now.getTime()) return [];
      const byCount = size - anchoredSize >= count;
      const byAge = waitingSince !== null && now.getTime() - waitingSince.getTime() >= ageMs;
      if (!byCount && !byAge) return [];
      return [{ size, root: toHex(new Uint8Array(latest.root)), sentTx: latest.anchoredTx, chainSize: 0, attempts: failed?.attempts ?? 0 }];
    },
    describe: (c) => ({ label: `checkpoint of ${c.size} entries`, attempts: c.attempts }),
    sentTx: (c) => c.sentTx,
    async findOnChain(chain, c) {
      const [size, root] = await chain.contracts.LogWitness.latest();
      c.chainSize = Number(size);
      if (c.chainSize < c.size) return null;
      if (c.chainSize === c.size && root.toLowerCase() !== c.root) {
        throw new Error(`LogWitness holds another root for size ${c.size} (${root}): the log and its witness disagree`);
      }
      // A witness ahead of the log's newest checkpoint witnesses another log (or a database restored
      // from an old backup): nothing the pump may anchor over.
      if (c.chainSize > c.size) throw new Error(`LogWitness holds size ${c.chainSize}, beyond the log's newest checkpoint (${c.size})`);
      // Anchored already (a run that died after broadcasting): confirm its transaction.
      const found = await findAnchored(chain, c.size);
      if (!found) throw new Error(`LogWitness holds size ${c.size} but its CheckpointAnchored event was not found`);
      return { txHash: found.txHash };
    },
    async send(chain, c) {
      const proof = await proveTree(c.size, c.chainSize, (indexes) => readStoredHashes(indexes));
      const tx = await chain.contracts.LogWitness.anchorCheckpoint(c.chainSize, c.size, fromHex(c.root, 32), proof);
      return tx.hash;
    },
    markSent: async (chain, c, txHash) => checkpointWrites.markSent(c.size, { txHash, chainId: chain.chainId, contract: await contractOf(chain) }),
    markUnsent: (c) => checkpointWrites.markUnsent(c.size),
    async markConfirmed(chain, c, receipt) {
      await checkpointWrites.markConfirmed(c.size, { txHash: receipt.hash, blockNumber: receipt.blockNumber, chainId: chain.chainId, contract: await contractOf(chain) });
      failures.delete(c.size);
      return "confirmed";
    },
    async markFailed(c, _error, retryAt) {
      failures.set(c.size, { attempts: c.attempts + 1, retryAt: retryAt.getTime() });
    },
  };
}

/**
 * One run of the witness pump.
 * @returns how many checkpoints were anchored (0 or 1: only the latest is ever due)
 */
export async function witnessLogOnce(opts: OutboxOptions & WitnessOptions): Promise<number> {
  return (await runPump(witnessPump(opts), opts)).confirmed;
}
