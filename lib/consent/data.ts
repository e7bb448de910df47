import "server-only";
import { prisma } from "@/lib/db";

/** The trial an unspent code belongs to; null when the code is unknown or spent. */
/** The latest version's record of a trial (its title is what participants recognise). */
const latestRecord = { orderBy: { version: "desc" }, take: 1, select: { record: true } } as const;

export async function findCodeTrial(hash: string) {
  const code = await prisma().enrolmentCode.findUnique({
    where: { hash },
    select: { set: { select: { trial: { select: { registrationNumber: true, chainTrialId: true, versions: latestRecord } } } } },
  });
  return code?.set.trial ?? null;
}

export function listCodeSets(trialId: string) {
  return prisma().enrolmentCodeSet.findMany({
    where: { trialId },
    orderBy: { createdAt: "desc" },
    select: { id: true, createdAt: true, issued: true, redeemed: true },
  });
}

/** Per trial, up to `take` members waiting for the chain whose retry time has come, in id order; never a rejected one. */
export async function nextEnrolments(now: Date, take = 100) {
  const due = await prisma().consentMember.findMany({
    where: { status: { not: "CONFIRMED" }, rejected: false, OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
    orderBy: [{ trialId: "asc" }, { id: "asc" }],
    select: { id: true, trialId: true, commitment: true, status: true, txHash: true, attempts: true, trial: { select: { chainTrialId: true, registrationNumber: true } } },
  });
  const byTrial = new Map<string, typeof due>();
  for (const member of due) {
    const list = byTrial.get(member.trialId) ?? [];
    if (list.length < take) list.push(member);
    byTrial.set(member.trialId, list);
  }
  return [...byTrial.values()];
}

/** Confirmed members of a trial's group, in leaf order: what a device builds its Merkle proof from. */
export function listGroupMembers(trialId: string) {
  return prisma().consentMember.findMany({
    where: { trialId, status: "CONFIRMED" },
    orderBy: { leafIndex: "asc" },
    select: { commitment: true, leafIndex: true },
  });
}

/** Whether `commitment` is a member of the trial, and whether it is on chain yet. */
export function findMember(trialId: string, commitment: string) {
  return prisma().consentMember.findUnique({
    where: { trialId_commitment: { trialId, commitment } },
    select: { status: true, rejected: true, leafIndex: true, lastError: true, attempts: true, nextAttemptAt: true },
  });
}

export function findGroupRoot(trialId: string, root: string) {
  return prisma().consentGroupRoot.findUnique({ where: { trialId_root: { trialId, root } }, select: { size: true, blockTime: true } });
}

/** Every root the trial's group has had, with the group's size at that root. */
export function listGroupRoots(trialId: string) {
  return prisma().consentGroupRoot.findMany({ where: { trialId }, orderBy: { size: "asc" }, select: { root: true, size: true } });
}

export function latestGroupRoot(trialId: string) {
  return prisma().consentGroupRoot.findFirst({ where: { trialId }, orderBy: { size: "desc" }, select: { root: true, size: true, blockTime: true } });
}

export function listConsentVersions(trialId: string) {
  return prisma().consentVersion.findMany({
    where: { trialId },
    orderBy: { version: "asc" },
    select: { version: true, items: true, digest: true, createdAt: true, chainStatus: true, chainTxHash: true, chainLastError: true },
  });
}

/** Versions not yet published on chain, the lowest first per trial (they must go in order). */
export async function nextConsentVersionWrites(now: Date, take = 20) {
  const candidates = await prisma().consentVersion.findMany({
    where: { chainStatus: { not: "CONFIRMED" } },
    orderBy: [{ trialId: "asc" }, { version: "asc" }],
    distinct: ["trialId"],
    select: {
      id: true,
      version: true,
      digest: true,
      chainStatus: true,
      chainTxHash: true,
      chainAttempts: true,
      chainNextAttemptAt: true,
      trial: { select: { chainTrialId: true, registrationNumber: true } },
    },
  });
  // Due ones are chosen after taking each trial's earliest unconfirmed version: a limit applied
  // before that filter let 20 trials waiting out their backoff starve every other trial.
  return candidates.filter((c) => c.chainNextAttemptAt <= now).slice(0, take);
}

const eventSelect = {
  id: true,
  position: true,
  nullifier: true,
  sequence: true,
  grants: true,
  textVersion: true,
  message: true,
  merkleTreeRoot: true,
  merkleTreeDepth: true,
  points: true,
  status: true,
  txHash: true,
  blockNumber: true,
  blockTime: true,
  attempts: true,
  lastError: true,
} as const;

/** Decisions waiting to be relayed, in arrival order, whose retry time has come. */
export function nextConsentRelays(now: Date, take = 50) {
  return prisma().consentEvent.findMany({
    where: { status: { in: ["PENDING", "SENT"] }, OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
    orderBy: { position: "asc" },
    take,
    select: { ...eventSelect, trial: { select: { chainTrialId: true, registrationNumber: true } } },
  });
}

/** Every decision of a trial, in arrival order (public: pseudonyms and proofs are public on chain too). */
export function listConsentEvents(trialId: string) {
  return prisma().consentEvent.findMany({ where: { trialId }, orderBy: { position: "asc" }, select: eventSelect });
}

/** The current decision of every pseudonym of a trial. */
export function listConsentStates(trialId: string) {
  return prisma().consentState.findMany({ where: { trialId }, select: { nullifier: true, sequence: true, grants: true, textVersion: true } });
}

export function findChallenge(challenge: string) {
  return prisma().pseudonymChallenge.findUnique({
    where: { challenge },
    select: {
      id: true,
      challenge: true,
      expiresAt: true,
      nullifier: true,
      trial: { select: { id: true, chainTrialId: true, registrationNumber: true, orgId: true } },
    },
  });
}

/**
 * Which of `values` are pseudonyms that participants of the trial proved through the handover (an
 * answered PseudonymChallenge: the proof's nullifier is the pseudonym). Dataset validation asks in
 * batches of ≤ 1,000 distinct values; a value proved twice (two handovers) counts once.
 */
export async function provenPseudonyms(trialId: string, values: string[]): Promise<Set<string>> {
  if (!trialId || values.length === 0) return new Set();
  const rows = await prisma().pseudonymChallenge.findMany({
    where: { trialId, nullifier: { in: [...new Set(values)] } },
    select: { nullifier: true },
    distinct: ["nullifier"],
  });
  return new Set(rows.flatMap((r) => (r.nullifier ? [r.nullifier] : [])));
}

export function getChallengeById(id: string) {
  return prisma().pseudonymChallenge.findUnique({
    where: { id },
    select: { id: true, challenge: true, expiresAt: true, nullifier: true, verifiedAt: true, issuedById: true, trial: { select: { registrationNumber: true, orgId: true } } },
  });
}

/** Trials that have consent items, i.e. that participants can enrol in. */
export function listConsentTrials() {
  return prisma().trial.findMany({
    where: { consentVersions: { some: {} } },
    orderBy: { registrationNumber: "asc" },
    select: { registrationNumber: true, chainTrialId: true, versions: latestRecord },
  });
}

/** The next block a chain log indexer reads for `key`; null before its first run. */
export async function getLogCursor(key: string): Promise<number | null> {
  return (await prisma().chainLogCursor.findUnique({ where: { key }, select: { nextBlock: true } }))?.nextBlock ?? null;
}

/**
 * Every pseudonym the trial's participants proved through the handover (a challenge answered with
 * a valid proof), oldest first: the sponsor keys the participants' rows by these. 100,000 at most:
 * a trial's enrolment, with room.
 */
export async function listProvenPseudonyms(trialId: string): Promise<Array<{ pseudonym: string; verifiedAt: Date }>> {
  const rows = await prisma().pseudonymChallenge.findMany({
    where: { trialId, verifiedAt: { not: null }, nullifier: { not: null } },
    orderBy: { verifiedAt: "asc" },
    distinct: ["nullifier"],
    take: 100_000,
    select: { nullifier: true, verifiedAt: true },
  });
  return rows.map((r) => ({ pseudonym: r.nullifier ?? "", verifiedAt: r.verifiedAt ?? new Date(0) }));
}
