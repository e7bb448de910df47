import "server-only";
import { prisma } from "@/lib/db";

/**
 * Leases: one row per singleton job (`outbox:anchoring`, `log:sequencer`, …). Taking one is a single
 * INSERT … ON CONFLICT … WHERE, atomic on PGlite and PostgreSQL alike, and measured on the database's
 * clock, so instances with skewed clocks agree on when a lease has run out. A holder that dies simply
 * stops renewing; another takes over after `ms`.
 */

/**
 * Takes (or renews) the lease `name` for `holder` for `ms` milliseconds.
 * @returns true when `holder` now holds it; false when another holder's lease is still running
 */
export async function takeLease(name: string, holder: string, ms: number): Promise<boolean> {
  const rows = await prisma().$queryRaw<Array<{ holder: string }>>`
    INSERT INTO "Lease" ("name", "holder", "expiresAt")
    VALUES (${name}, ${holder}, clock_timestamp() + ${ms} * interval '1 millisecond')
    ON CONFLICT ("name") DO UPDATE SET "holder" = EXCLUDED."holder", "expiresAt" = EXCLUDED."expiresAt"
    WHERE "Lease"."expiresAt" < clock_timestamp() OR "Lease"."holder" = EXCLUDED."holder"
    RETURNING "holder"`;
  return rows.length === 1;
}

/** Gives the lease up at once (a clean stop), if `holder` still holds it. */
export async function releaseLease(name: string, holder: string): Promise<void> {
  await prisma().$executeRaw`DELETE FROM "Lease" WHERE "name" = ${name} AND "holder" = ${holder}`;
}

// ─── The log's checkpoints on LogWitness (the witness pump, lib/outbox/witness.ts) ──────────────

/** The outbox marks of checkpoints: the same verbs as every other chain write's. */
export const checkpointWrites = {
  /** The anchoring transaction is broadcast (anchoredBlock stays null until it is confirmed). */
  async markSent(size: number, sent: { txHash: string; chainId: number; contract: string }): Promise<void> {
    await prisma().logCheckpoint.update({ where: { size: BigInt(size) }, data: { anchoredTx: sent.txHash, chainId: sent.chainId, contract: sent.contract } });
  },

  /** The sent transaction was dropped: the checkpoint waits to be anchored again. */
  async markUnsent(size: number): Promise<void> {
    await prisma().logCheckpoint.update({ where: { size: BigInt(size) }, data: { anchoredTx: null, chainId: null, contract: null } });
  },

  /** Anchored on LogWitness with its confirmations. */
  async markConfirmed(size: number, done: { txHash: string; blockNumber: number; chainId: number; contract: string }): Promise<void> {
    await prisma().logCheckpoint.update({
      where: { size: BigInt(size) },
      data: { anchoredTx: done.txHash, anchoredBlock: BigInt(done.blockNumber), chainId: done.chainId, contract: done.contract },
    });
  },
};
