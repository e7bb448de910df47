import "server-only";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { startPolling } from "@/lib/anchoring/worker";
import { formatCheckpoint } from "@/lib/log/checkpoint";
import { type BatchStage, integrateBatch } from "@/lib/log/mutations";
import { signNote } from "@/lib/log/note";
import { logSigner } from "@/lib/log/signing-key";
import { releaseLease, takeLease } from "@/lib/outbox/mutations";

/**
 * The log's one sequencer: under the lease `log:sequencer` it gives waiting entries (idx null) their
 * indexes, integrates them into the tree and signs a checkpoint of each new tree, one transaction
 * per batch (lib/log/mutations.ts `integrateBatch`). Every portal instance runs it; the lease lets
 * one work at a time, and the tree row's lock keeps even overlapping holders from integrating twice.
 */

export const SEQUENCER_LEASE = "log:sequencer";

export type SequencerOptions = {
  /** Who holds the lease; distinct per process (default: host, pid and a random suffix). */
  holder?: string;
  /**
   * 4,096 entries a batch: Tessera's pushback point; one batch then writes about 8,200 stored
   * hashes and 4,096 index updates, well under a second on PostgreSQL.
   */
  batchSize?: number;
  /** 30 s: renewed before every batch, so a holder that dies hands over within half a minute. */
  leaseMs?: number;
  /**
   * At most this many batches per run before the loop yields (and renews the lease): 16 × 4,096 =
   * 65,536 entries, so a backlog drains without one run holding the process for long.
   */
  maxBatches?: number;
  /** Test hook: called inside each batch's transaction at each stage; a throw aborts the batch. */
  fault?: (stage: BatchStage) => void | Promise<void>;
  /** Signs checkpoints; default the log's key (lib/log/signing-key.ts). */
  sign?: (size: number, root: Uint8Array) => Promise<string>;
  log?: (line: string) => void;
};

export type SequencerRun = { integrated: number; size: number; held: boolean };

function defaultHolder(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

/** Signs the C2SP checkpoint of (size, root) with the log's key, under the log's origin. */
export async function signCheckpoint(size: number, root: Uint8Array): Promise<string> {
  const { signer, origin } = await logSigner();
  return signNote(formatCheckpoint({ origin, size, root, extensions: [] }), [signer]);
}

/**
 * One run: takes (or renews) the lease, then integrates batches until the queue is empty or
 * `maxBatches` were done. Without the lease it does nothing.
 */
export async function runSequencerOnce(opts: SequencerOptions & { holder: string }): Promise<SequencerRun> {
  const batchSize = opts.batchSize ?? 4096;
  const leaseMs = opts.leaseMs ?? 30_000;
  const maxBatches = opts.maxBatches ?? 16;
  let integrated = 0;
  let size = 0;
  for (let i = 0; i < maxBatches; i++) {
    if (!(await takeLease(SEQUENCER_LEASE, opts.holder, leaseMs))) return { integrated, size, held: false };
    const batch = await integrateBatch({ max: batchSize, sign: opts.sign ?? signCheckpoint, fault: opts.fault });
    integrated += batch.count;
    size = batch.size;
    if (batch.count < batchSize) break;
  }
  if (integrated > 0) opts.log?.(`[log] integrated ${integrated} entries; tree size ${size}`);
  return { integrated, size, held: true };
}

/**
 * Runs the sequencer every `pollMs` (default 500 ms: an entry is in a signed checkpoint within about
 * half a second, while an idle portal makes two cheap queries a second) until stopped; stopping
 * releases the lease so another instance takes over at once.
 */
export function startSequencer(opts: SequencerOptions & { pollMs?: number } = {}): { stop(): Promise<void> } {
  const holder = opts.holder ?? defaultHolder();
  // Failures always reach the console; progress lines only a caller that asks (an idle portal is quiet).
  const polling = startPolling(() => runSequencerOnce({ ...opts, holder }), opts.pollMs ?? 500, opts.log ?? ((line) => console.error(line)));
  return {
    async stop() {
      await polling.stop();
      await releaseLease(SEQUENCER_LEASE, holder).catch(() => undefined);
    },
  };
}
