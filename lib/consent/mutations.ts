import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client.ts";
import { prisma } from "@/lib/db";
import { decisionDigestOf } from "@/lib/consent/decision-digest";
import { AppError } from "@/lib/errors";
import { appendLogEntry } from "@/lib/log/mutations";

/** The trial a consent entry is about, as the log names it. */
export type LoggedTrial = { registrationNumber: string; orgId: string };

const trialSubject = (trial: LoggedTrial) => ({ type: "trial", id: trial.registrationNumber });

// ─── Enrolment codes and members ────────────────────────────────────────────────────────────────

/** Stores a new set of codes by their hashes, with its `consent.codes-issued` entry (the count only), in one transaction. */
export function createCodeSet(opts: { trialId: string; trial: LoggedTrial; createdById: string; hashes: string[] }) {
  return prisma().$transaction(async (tx) => {
    const set = await tx.enrolmentCodeSet.create({
      data: {
        trialId: opts.trialId,
        createdById: opts.createdById,
        issued: opts.hashes.length,
        codes: { createMany: { data: opts.hashes.map((hash) => ({ hash })) } },
      },
      select: { id: true, issued: true, createdAt: true },
    });
    await appendLogEntry(tx, {
      kind: "consent.codes-issued",
      actor: { type: "user", id: opts.createdById },
      subject: trialSubject(opts.trial),
      details: { count: set.issued },
      orgId: opts.trial.orgId,
    });
    return set;
  });
}

/**
 * Spends a code and queues the commitment, atomically. The code's row is deleted, not marked: a
 * DELETE that finds no row means someone else spent it first (concurrent redemptions of one code
 * serialise on the row lock, so exactly one deletes it). The set's counter goes up, which says how
 * many of its codes were used, not which.
 * @throws AppError GONE when the code is unknown or spent; CONFLICT when the commitment is already
 *   a member of the trial (nothing is spent then)
 */
export async function redeemCode(opts: { hash: string; commitment: string }): Promise<void> {
  try {
    return await prisma().$transaction(async (tx) => {
      const code = await tx.enrolmentCode.findUnique({ where: { hash: opts.hash }, select: { setId: true, set: { select: { trialId: true } } } });
      if (!code) throw new AppError("GONE", "This enrolment code is not valid or has already been used.");
      const { count } = await tx.enrolmentCode.deleteMany({ where: { hash: opts.hash } });
      if (count !== 1) throw new AppError("GONE", "This enrolment code is not valid or has already been used.");
      await tx.enrolmentCodeSet.update({ where: { id: code.setId }, data: { redeemed: { increment: 1 } } });
      await tx.consentMember.create({ data: { trialId: code.set.trialId, commitment: opts.commitment } });
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") {
      throw new AppError("CONFLICT", "This device is already enrolled in this trial; your code was not used.");
    }
    throw error;
  }
}

export function markMembersSent(ids: string[], txHash: string) {
  return prisma().consentMember.updateMany({ where: { id: { in: ids } }, data: { status: "SENT", txHash } });
}

/** Records members as on chain at their leaf positions, and the group root their batch produced. */
export function markMembersConfirmed(opts: {
  trialId: string;
  txHash: string | null;
  members: { id: string; leafIndex: number }[];
  root?: { root: string; size: number; blockNumber: number; blockTime: Date };
}) {
  return prisma().$transaction(async (tx) => {
    for (const member of opts.members) {
      await tx.consentMember.update({
        where: { id: member.id },
        // The retry time of a failed attempt would say roughly when the code was redeemed: cleared.
        data: { status: "CONFIRMED", leafIndex: member.leafIndex, txHash: opts.txHash, lastError: null, attempts: 0, nextAttemptAt: null },
      });
    }
    if (opts.root) {
      const { root, ...rest } = opts.root;
      await tx.consentGroupRoot.upsert({
        where: { trialId_root: { trialId: opts.trialId, root } },
        create: { trialId: opts.trialId, root, ...rest },
        update: {},
      });
    }
  });
}

export function markMembersFailed(ids: string[], error: string, nextAttemptAt: Date) {
  return prisma().consentMember.updateMany({
    where: { id: { in: ids } },
    data: { attempts: { increment: 1 }, lastError: error.slice(0, 500), nextAttemptAt },
  });
}

/**
 * The chain refuses this member on its own (found by splitting its batch): it is never sent again.
 * Its code stays spent: whoever redeemed it sent a commitment no group can hold. A member already
 * confirmed on chain is never touched: its leaf is in the tree, and dropping it from the mirrored
 * group would break every proof over the trial's roots.
 */
export function markMemberRejected(id: string, reason: string) {
  return prisma().consentMember.updateMany({
    where: { id, status: { not: "CONFIRMED" } },
    data: { rejected: true, status: "PENDING", txHash: null, lastError: reason.slice(0, 500) },
  });
}

/** A sent batch that never reached the chain goes back to the queue. */
export function markMembersUnsent(ids: string[]) {
  return prisma().consentMember.updateMany({ where: { id: { in: ids } }, data: { status: "PENDING", txHash: null } });
}

// ─── Consent versions ───────────────────────────────────────────────────────────────────────────

/**
 * Stores a consent text version with its `consent.text-published` entry, in one transaction.
 * @throws AppError CONFLICT when another version with that number was saved at the same moment (nothing logged)
 */
export async function createConsentVersion(opts: {
  trialId: string;
  trial: LoggedTrial;
  version: number;
  items: Prisma.InputJsonValue;
  canonical: string;
  digest: string;
  createdById: string;
}) {
  const { trial, ...data } = opts;
  try {
    return await prisma().$transaction(async (tx) => {
      const version = await tx.consentVersion.create({ data, select: { version: true, digest: true } });
      await appendLogEntry(tx, {
        kind: "consent.text-published",
        actor: { type: "user", id: opts.createdById },
        subject: trialSubject(trial),
        details: { version: version.version, digest: version.digest },
        orgId: trial.orgId,
      });
      return version;
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") {
      throw new AppError("CONFLICT", "Someone else saved the consent items at the same moment. Reload and try again.");
    }
    throw error;
  }
}

export function markVersionSent(id: string, txHash: string) {
  return prisma().consentVersion.update({ where: { id }, data: { chainStatus: "SENT", chainTxHash: txHash } });
}

export function markVersionConfirmed(id: string, txHash: string | null) {
  return prisma().consentVersion.update({ where: { id }, data: { chainStatus: "CONFIRMED", chainTxHash: txHash, chainLastError: null } });
}

export function markVersionFailed(id: string, error: string, next: Date) {
  return prisma().consentVersion.update({
    where: { id },
    data: { chainAttempts: { increment: 1 }, chainLastError: error.slice(0, 500), chainNextAttemptAt: next },
  });
}

// ─── Consent events ─────────────────────────────────────────────────────────────────────────────

export type AcceptedConsent = {
  trialId: string;
  nullifier: string;
  sequence: bigint;
  grants: string;
  textVersion: number;
  message: string;
  merkleTreeRoot: string;
  merkleTreeDepth: number;
  points: string[];
};

/**
 * Makes a decision the pseudonym's current one when its sequence number is above the current one's.
 * A conditional update, so two decisions racing for one pseudonym serialise on its row.
 * @returns false when an equal or higher sequence is already current (nothing changed)
 */
async function advanceState(
  tx: Prisma.TransactionClient,
  decision: { trialId: string; nullifier: string; eventId: string; sequence: bigint; grants: string; textVersion: number },
): Promise<boolean> {
  const { trialId, nullifier, ...state } = decision;
  const { count } = await tx.consentState.updateMany({ where: { trialId, nullifier, sequence: { lt: state.sequence } }, data: state });
  if (count > 0) return true;
  const existing = await tx.consentState.findUnique({ where: { trialId_nullifier: { trialId, nullifier } }, select: { eventId: true } });
  if (existing) return existing.eventId === state.eventId;
  await tx.consentState.create({ data: { trialId, nullifier, ...state } });
  return true;
}

/**
 * Records a verified decision and makes it the pseudonym's current one, with its
 * `consent.decision-accepted` entry (a digest of the decision, not the pseudonym), in one transaction. The
 * state row is only replaced by a higher sequence number (a conditional update, so two decisions
 * racing for one pseudonym serialise on its row and the lower one loses).
 * @throws AppError CONFLICT when a decision with this or a higher sequence number already exists
 */
export async function acceptConsent(consent: AcceptedConsent, trial: LoggedTrial & { chainTrialId: string }) {
  const stale = () =>
    new AppError("CONFLICT", "A newer decision for this pseudonym is already recorded: this one is older and was refused.");
  try {
    return await prisma().$transaction(async (tx) => {
      const event = await tx.consentEvent.create({ data: consent, select: { id: true, position: true } });
      const { trialId, nullifier, sequence, grants, textVersion } = consent;
      if (!(await advanceState(tx, { trialId, nullifier, eventId: event.id, sequence, grants, textVersion }))) throw stale();
      await appendLogEntry(tx, {
        kind: "consent.decision-accepted",
        actor: { type: "participant" },
        subject: trialSubject(trial),
        details: { decisionDigest: decisionDigestOf({ chainTrialId: trial.chainTrialId, nullifier, message: consent.message }) },
        orgId: trial.orgId,
      });
      return event;
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") throw stale();
    throw error;
  }
}

export function markEventSent(id: string, txHash: string) {
  return prisma().consentEvent.update({ where: { id }, data: { status: "SENT", txHash } });
}

export function markEventUnsent(id: string) {
  return prisma().consentEvent.update({ where: { id }, data: { status: "PENDING", txHash: null } });
}

export function markEventRecorded(id: string, opts: { txHash: string; blockNumber: number; blockTime: Date }) {
  return prisma().consentEvent.update({ where: { id }, data: { status: "RECORDED", ...opts, lastError: null } });
}

export function markEventFailed(id: string, error: string, nextAttemptAt: Date) {
  return prisma().consentEvent.update({
    where: { id },
    data: { attempts: { increment: 1 }, lastError: error.slice(0, 500), nextAttemptAt },
  });
}

/**
 * The chain refused a decision for good. It stops counting: if it was the pseudonym's current
 * decision, the latest earlier one that still stands takes its place (or none).
 */
export function markEventRejected(id: string, reason: string) {
  return prisma().$transaction(async (tx) => {
    const event = await tx.consentEvent.update({
      where: { id },
      data: { status: "REJECTED", lastError: reason.slice(0, 500) },
      select: { trialId: true, nullifier: true },
    });
    const state = await tx.consentState.findUnique({ where: { trialId_nullifier: event }, select: { eventId: true } });
    if (state?.eventId !== id) return;
    const previous = await tx.consentEvent.findFirst({
      where: { trialId: event.trialId, nullifier: event.nullifier, status: { not: "REJECTED" } },
      orderBy: { sequence: "desc" },
      select: { id: true, sequence: true, grants: true, textVersion: true },
    });
    if (!previous) {
      await tx.consentState.delete({ where: { trialId_nullifier: event } });
      return;
    }
    await tx.consentState.update({
      where: { trialId_nullifier: event },
      data: { eventId: previous.id, sequence: previous.sequence, grants: previous.grants, textVersion: previous.textVersion },
    });
  });
}

/** A ConsentRecorded event read from the chain. */
export type ChainDecision = Omit<AcceptedConsent, "trialId"> & {
  chainTrialId: string;
  txHash: string;
  blockNumber: number;
  blockTime: Date;
};

/** The fields of a decision that its transaction fixes; the row must show the chain's. */
const DECISION_FIELDS = ["grants", "textVersion", "message", "merkleTreeRoot", "merkleTreeDepth"] as const;

function sameDecision(row: Pick<AcceptedConsent, (typeof DECISION_FIELDS)[number] | "points">, chain: Omit<AcceptedConsent, "trialId">): boolean {
  return DECISION_FIELDS.every((field) => row[field] === chain[field]) && JSON.stringify(row.points) === JSON.stringify(chain.points);
}

/**
 * Records decisions read from the chain and, when given, moves the indexer's cursor past them, in
 * one transaction. Idempotent with the relay: a decision the portal accepted (same trial, nullifier
 * and sequence) is the same row, marked recorded; one sent to ConsentRegistry by anyone else becomes
 * a new, recorded row and counts like any other. When the row holds another decision than the chain
 * (the portal accepted one, and a different one with that nullifier and sequence reached the
 * contract first, so the relayed one was refused as StaleSequence), the chain's decision replaces
 * the row's — grants, text version, message and proof — and the pseudonym's state if the row is its
 * current one: the row then says what its transaction proves. Decisions of trials this portal does
 * not hold are skipped. The pseudonym's current decision only ever moves to a higher sequence.
 * @returns how many rows were created or changed
 */
export function recordChainDecisions(opts: { decisions: readonly ChainDecision[]; cursor?: { key: string; nextBlock: number } }) {
  return prisma().$transaction(async (tx) => {
    const trials = await tx.trial.findMany({
      where: { chainTrialId: { in: [...new Set(opts.decisions.map((d) => d.chainTrialId))] } },
      select: { id: true, chainTrialId: true },
    });
    const trialIds = new Map(trials.map((t) => [t.chainTrialId, t.id]));
    let changed = 0;
    for (const { chainTrialId, txHash, blockNumber, blockTime, ...decision } of opts.decisions) {
      const trialId = trialIds.get(chainTrialId);
      if (!trialId) continue;
      const onChain = { status: "RECORDED" as const, txHash, blockNumber, blockTime, lastError: null };
      const key = { trialId_nullifier_sequence: { trialId, nullifier: decision.nullifier, sequence: decision.sequence } };
      const existing = await tx.consentEvent.findUnique({
        where: key,
        select: { id: true, status: true, txHash: true, grants: true, textVersion: true, message: true, merkleTreeRoot: true, merkleTreeDepth: true, points: true },
      });
      let eventId: string;
      if (!existing) {
        eventId = (await tx.consentEvent.create({ data: { trialId, ...decision, ...onChain }, select: { id: true } })).id;
        changed++;
      } else {
        eventId = existing.id;
        const same = sameDecision({ ...existing, points: existing.points as string[] }, decision);
        if (!same) {
          const { grants, textVersion, message, merkleTreeRoot, merkleTreeDepth, points } = decision;
          await tx.consentEvent.update({ where: { id: existing.id }, data: { ...onChain, grants, textVersion, message, merkleTreeRoot, merkleTreeDepth, points } });
          await tx.consentState.updateMany({ where: { trialId, nullifier: decision.nullifier, eventId: existing.id }, data: { grants, textVersion } });
          changed++;
        } else if (existing.status !== "RECORDED" || existing.txHash !== txHash) {
          await tx.consentEvent.update({ where: { id: existing.id }, data: onChain });
          changed++;
        }
      }
      await advanceState(tx, { trialId, nullifier: decision.nullifier, eventId, sequence: decision.sequence, grants: decision.grants, textVersion: decision.textVersion });
    }
    if (opts.cursor) {
      await tx.chainLogCursor.upsert({
        where: { key: opts.cursor.key },
        create: opts.cursor,
        update: { nextBlock: opts.cursor.nextBlock },
      });
    }
    return changed;
  });
}

// ─── Pseudonym handover ─────────────────────────────────────────────────────────────────────────

export function createChallenge(opts: { trialId: string; challenge: string; issuedById: string; expiresAt: Date }) {
  return prisma().pseudonymChallenge.create({ data: opts, select: { id: true, challenge: true, expiresAt: true } });
}

/**
 * Records the proven pseudonym on an open challenge, single use, with its `consent.handover-verified`
 * entry (which names the trial, never the pseudonym), in one transaction.
 * @returns false when the challenge was answered (or expired) in the meantime; nothing is logged then
 */
export async function answerChallenge(opts: { id: string; trial: LoggedTrial; nullifier: string; now: Date }): Promise<boolean> {
  return prisma().$transaction(async (tx) => {
    const { count } = await tx.pseudonymChallenge.updateMany({
      where: { id: opts.id, nullifier: null, expiresAt: { gt: opts.now } },
      data: { nullifier: opts.nullifier, verifiedAt: opts.now },
    });
    if (count !== 1) return false;
    await appendLogEntry(tx, {
      kind: "consent.handover-verified",
      actor: { type: "participant" },
      subject: trialSubject(opts.trial),
      details: {},
      orgId: opts.trial.orgId,
    });
    return true;
  });
}
