import "server-only";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { TransactionReceipt } from "ethers";
import type { Chain } from "@/lib/chain/client";
import { waitForReceipt } from "@/lib/chain/receipts";
import { releaseLease, takeLease } from "@/lib/outbox/mutations";

/**
 * The one chain-write runner. Every write the portal makes on chain (an anchoring batch, a trial
 * version, a consent text, a batch of members, a participant's decision) goes through the same
 * steps, each recorded before the next starts, so a process killed anywhere resumes without losing
 * or doubling a write:
 *
 *   due ──already on chain?──▶ mark confirmed (or rejected)
 *    │ no
 *    ├─ sent before, transaction still known? ──▶ wait for it
 *    ├─ sent before, dropped ──▶ mark unsent, re-read the nonce, send again
 *    └─ send ──▶ mark sent ──confirmations──▶ mark confirmed (or: not yet, next run)
 *
 * A failed attempt is marked with its error and retried after `backoffMs(attempts)`.
 *
 * Each domain supplies a Pump: what is due, whether it is already on chain, how to send it, and how
 * to mark it. The chain is asked first because it is the truth: a run that died after broadcasting
 * (or anyone else, where the contract lets them) may have written it already.
 *
 * **One lease for all pumps** (`outbox`, in the database). Every pump takes it before each write
 * and only its holder sends. Not one lease per pump: the pumps share the relayer's key, so two
 * instances each holding a different pump's lease would still hand out the same nonces (the
 * collision seen with two instances on one PostgreSQL). Within the holding instance, the pumps
 * share one NonceManager (lib/chain/client.ts), which keeps their nonces apart.
 */

/** The lease every pump of every instance takes before it sends (lib/outbox/mutations.ts). */
export const OUTBOX_LEASE = "outbox";

/**
 * 60 s: longer than one write's longest step (a send plus the 20–30 s wait for confirmations), so
 * a live holder renews it before it runs out; an instance that dies is replaced after a minute.
 */
export const DEFAULT_LEASE_MS = 60_000;

/** This process's name on leases: host, pid and a random part (pids repeat across containers). */
export const PROCESS_HOLDER = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;

export type OutboxOptions = {
  /** The chain client; asked for every write, so a chain that comes back is picked up. */
  chain: () => Promise<Chain>;
  confirmations: number;
  /** How long one attempt waits for confirmations before leaving the write for the next run. */
  confirmTimeoutMs?: number;
  /** Who takes the lease; one per instance (default: this process). */
  holder?: string;
  leaseMs?: number;
  log?: (line: string) => void;
  /** Fault injection for the crash tests: a hook that throws SimulatedCrash stops the run like a killed process. */
  hooks?: { afterBroadcast?: (txHash: string) => Promise<void>; afterRecordSent?: () => Promise<void> };
};

/** How a write ended: on chain, or refused by the chain for good (never sent again). */
export type Ending = "confirmed" | "rejected";
/** What one attempt did: ended, or is waiting for confirmations (the next run looks again). */
export type Outcome = Ending | "waiting";

/**
 * One domain's chain writes.
 * @typeParam W one due write as the domain reads it
 */
export type Pump<W> = {
  /** Names the pump in logs (`[registry] …`). */
  name: string;
  /** The writes due now, in the order they must reach the chain. */
  due(now: Date): Promise<W[]>;
  describe(write: W): { label: string; attempts: number };
  /** The transaction recorded as sent and not confirmed yet; null when none. Read after findOnChain. */
  sentTx(write: W): string | null;
  /**
   * Whether the write is already on chain: an Ending when it is (the pump has marked it), the
   * transaction that holds it (still to be confirmed), or null when it must be sent.
   */
  findOnChain(chain: Chain, write: W): Promise<Ending | { txHash: string } | null>;
  /** Broadcasts the write: its transaction hash, or null when the chain refuses it for good (the pump marked it rejected). */
  send(chain: Chain, write: W): Promise<string | null>;
  markSent(chain: Chain, write: W, txHash: string): Promise<void>;
  /** The sent transaction was dropped: back to the queue. */
  markUnsent(write: W, reason: string): Promise<void>;
  /** The transaction has its confirmations; "waiting" when the pump cannot trust the receipt yet. */
  markConfirmed(chain: Chain, write: W, receipt: TransactionReceipt): Promise<Outcome>;
  /** The transaction was mined but reverted: before the attempt is marked failed (default: nothing). */
  markReverted?(write: W): Promise<void>;
  markFailed(write: W, error: string, retryAt: Date): Promise<void>;
  /** A lock on the one write, where two runs of one instance may pick the same one (anchoring's batches). */
  claim?(write: W): Promise<boolean>;
  /** Gives the claim up when the write waits for the next run. */
  release?(write: W): Promise<void>;
  /** How long one attempt waits for confirmations, unless the options say (default 20 s). */
  confirmTimeoutMs?: number;
};

export type PumpSummary = { confirmed: number; rejected: number; waiting: number; failed: number };

/** Thrown by test hooks to stop an attempt dead, as a killed process would: nothing more is recorded. */
export class SimulatedCrash extends Error {
  override name = "SimulatedCrash";
}

/** 1 s, 2 s, 4 s … capped at 5 minutes: a chain that is down for an hour costs a few dozen attempts. */
export function backoffMs(attempts: number): number {
  return Math.min(1000 * 2 ** attempts, 5 * 60_000);
}

/** ethers' short message where there is one (a revert's name, not its 2 KB of call data). */
export function messageOf(error: unknown): string {
  const short = (error as { shortMessage?: unknown } | null)?.shortMessage;
  return typeof short === "string" ? short : error instanceof Error ? error.message : String(error);
}

/**
 * Takes (or renews) the outbox lease for this instance.
 * @returns false when another instance holds it: this one must not send
 */
export function holdOutbox(opts: Pick<OutboxOptions, "holder" | "leaseMs">): Promise<boolean> {
  return takeLease(OUTBOX_LEASE, opts.holder ?? PROCESS_HOLDER, opts.leaseMs ?? DEFAULT_LEASE_MS);
}

/** Gives the outbox lease up (a clean stop), so another instance takes over at once. */
export function releaseOutbox(opts: Pick<OutboxOptions, "holder">): Promise<void> {
  return releaseLease(OUTBOX_LEASE, opts.holder ?? PROCESS_HOLDER);
}

/** The lease ran out under a running attempt and another instance took it: stop before sending. */
class LeaseLost extends Error {
  override name = "LeaseLost";
}

/** One attempt at one write, through the steps above. */
async function attempt<W>(pump: Pump<W>, write: W, opts: OutboxOptions): Promise<Outcome> {
  const chain = await opts.chain();
  const found = await pump.findOnChain(chain, write);
  if (found === "confirmed" || found === "rejected") return found;

  let txHash = found?.txHash ?? pump.sentTx(write);
  if (found && found.txHash !== pump.sentTx(write)) {
    await pump.markSent(chain, write, found.txHash);
  } else if (txHash && !(await chain.provider.getTransaction(txHash))) {
    await pump.markUnsent(write, `transaction ${txHash} was dropped; sending again`);
    // The dropped transaction's nonce is free again, but the relayer counted it as used: a resend
    // with the next one would wait behind the gap forever. Re-read the nonce from the chain.
    chain.relayer.reset();
    txHash = null;
  }

  if (!txHash) {
    // Renewed right before sending: a run that stalled past its lease must not send beside the
    // instance that took over.
    if (!(await holdOutbox(opts))) throw new LeaseLost(`the outbox lease passed to another instance`);
    const sent = await pump.send(chain, write);
    if (sent === null) return "rejected";
    await opts.hooks?.afterBroadcast?.(sent);
    txHash = sent;
    await pump.markSent(chain, write, txHash);
    await opts.hooks?.afterRecordSent?.();
    opts.log?.(`[${pump.name}] ${pump.describe(write).label} sent: tx ${txHash}`);
  }

  const receipt = await waitForReceipt(chain.provider, txHash, opts.confirmations, opts.confirmTimeoutMs ?? pump.confirmTimeoutMs ?? 20_000);
  if (!receipt) return "waiting";
  if (receipt.status !== 1) {
    await pump.markReverted?.(write);
    throw new Error(`transaction ${txHash} reverted`);
  }
  const outcome = await pump.markConfirmed(chain, write, receipt);
  if (outcome === "confirmed") opts.log?.(`[${pump.name}] ${pump.describe(write).label} is on chain (${txHash})`);
  return outcome;
}

/**
 * Takes every due write of `pump` one step further, under the outbox lease (renewed before each
 * write). Does nothing when another instance holds the lease. Failures are marked on the write and
 * retried with backoff; SimulatedCrash propagates (the crash tests).
 */
export async function runPump<W>(pump: Pump<W>, opts: OutboxOptions): Promise<PumpSummary> {
  const summary: PumpSummary = { confirmed: 0, rejected: 0, waiting: 0, failed: 0 };
  if (!(await holdOutbox(opts))) return summary;
  for (const write of await pump.due(new Date())) {
    if (!(await holdOutbox(opts))) break;
    if (pump.claim && !(await pump.claim(write))) continue;
    const { label, attempts } = pump.describe(write);
    try {
      const outcome = await attempt(pump, write, opts);
      summary[outcome]++;
      if (outcome === "waiting") await pump.release?.(write);
    } catch (error) {
      if (error instanceof SimulatedCrash) throw error;
      if (error instanceof LeaseLost) {
        await pump.release?.(write);
        break;
      }
      summary.failed++;
      const message = messageOf(error);
      opts.log?.(`[${pump.name}] ${label} failed (attempt ${attempts + 1}): ${message}`);
      await pump.markFailed(write, message, new Date(Date.now() + backoffMs(attempts)));
    }
  }
  return summary;
}

export type RunningWorker = { stop(): Promise<void> };

/** Runs `run` every `pollMs` (after the previous run ends) until stopped; failures are logged. */
export function startPolling(run: () => Promise<unknown>, pollMs: number, log?: (line: string) => void): RunningWorker {
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    current = run()
      .catch((error: unknown) => log?.(`[worker] run failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, pollMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}

/**
 * Runs each lane every `pollMs`, lanes side by side (a slow confirmation in one does not hold the
 * others up), the pumps of a lane in order (a consent text before the decisions that name it).
 * Stopping waits for the current runs and then gives the lease up, so another instance takes over
 * at once instead of after `leaseMs`.
 */
export function startOutbox(opts: OutboxOptions & { pollMs: number; lanes: Array<() => Promise<unknown>> }): RunningWorker {
  const running = opts.lanes.map((lane) => startPolling(lane, opts.pollMs, opts.log));
  return {
    async stop() {
      await Promise.all(running.map((r) => r.stop()));
      await releaseOutbox(opts).catch(() => undefined); // the database may be closing: the lease then runs out
    },
  };
}
