import "server-only";
import { randomUUID } from "node:crypto";
import { ERRORS, type Lock, type Locker, type RequestRelease } from "@tus/server";
import { releaseLease, takeLease } from "@/lib/outbox/mutations";

/**
 * A tus locker that works across portal instances: each upload's lock is a row of the Lease table
 * (`tus:<upload id>`, lib/outbox/mutations.ts), taken atomically on the database's clock, so two
 * instances on one PostgreSQL never write one upload at once. The default MemoryLocker only
 * excludes requests within one process.
 *
 * A held lease is renewed every LEASE_MS / 3; an instance that dies stops renewing and its locks
 * lapse after LEASE_MS. A request waiting for a lock held in this process asks the holder to let go
 * (tus's requestRelease: a client that resumes after a dropped connection takes over at once). One
 * held by another instance is waited for, polling every POLL_MS, until the holder's request ends
 * (a dropped connection ends it) or ACQUIRE_TIMEOUT_MS passes (then tus answers 500, and the
 * client retries).
 */

/** 30 s: a dead instance's uploads can be resumed elsewhere half a minute later. */
const LEASE_MS = 30_000;
const POLL_MS = 250;
/** 30 s, MemoryLocker's own default. */
const ACQUIRE_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function leaseLocker(opts: { leaseMs?: number; acquireTimeoutMs?: number } = {}): Locker {
  const leaseMs = opts.leaseMs ?? LEASE_MS;
  const acquireTimeoutMs = opts.acquireTimeoutMs ?? ACQUIRE_TIMEOUT_MS;
  /** Holders in this process, by lease name: whom to ask to let go. */
  const local = new Map<string, { holder: string; release: RequestRelease }>();

  return {
    newLock(id: string): Lock {
      const name = `tus:${id}`;
      const holder = randomUUID();
      let renewal: NodeJS.Timeout | undefined;
      return {
        async lock(signal, requestRelease) {
          const deadline = Date.now() + acquireTimeoutMs;
          for (;;) {
            if (await takeLease(name, holder, leaseMs)) {
              local.set(name, { holder, release: requestRelease });
              renewal = setInterval(() => void takeLease(name, holder, leaseMs).catch(() => undefined), Math.floor(leaseMs / 3));
              renewal.unref();
              return;
            }
            await local.get(name)?.release();
            if (signal.aborted || Date.now() > deadline) throw ERRORS.ERR_LOCK_TIMEOUT;
            await sleep(POLL_MS);
          }
        },
        async unlock() {
          clearInterval(renewal);
          if (local.get(name)?.holder === holder) local.delete(name);
          await releaseLease(name, holder);
        },
      };
    },
  };
}
