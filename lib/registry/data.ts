import "server-only";
import { prisma } from "@/lib/db";

/** What a version shows, to its sponsor and to the public alike. */
export const VERSION_COLUMNS = {
  version: true,
  record: true,
  digest: true,
  previousDigest: true,
  outcomeFlags: true,
  createdAt: true,
  anchorItemId: true,
  chainStatus: true,
  chainTxHash: true,
} as const;

export function getTrialByNumber(registrationNumber: string) {
  return prisma().trial.findUnique({
    where: { registrationNumber },
    select: {
      id: true,
      registrationNumber: true,
      chainTrialId: true,
      orgId: true,
      org: { select: { name: true } },
      createdAt: true,
      versions: { orderBy: { version: "asc" }, select: { ...VERSION_COLUMNS, chainLastError: true } },
    },
  });
}

/**
 * The next on-chain write per trial: for each trial, its lowest version not yet confirmed on
 * chain (versions must reach the contract in order), if its retry time has come.
 */
export async function nextChainWrites(now: Date, take = 20) {
  const candidates = await prisma().trialVersion.findMany({
    where: { chainStatus: { not: "CONFIRMED" } },
    orderBy: [{ trialId: "asc" }, { version: "asc" }],
    distinct: ["trialId"],
    take,
    select: {
      id: true,
      version: true,
      digest: true,
      previousDigest: true,
      chainStatus: true,
      chainTxHash: true,
      chainAttempts: true,
      chainNextAttemptAt: true,
      trial: { select: { chainTrialId: true, registrationNumber: true } },
    },
  });
  return candidates.filter((c) => c.chainNextAttemptAt <= now);
}

/**
 * The anchoring request of one version of a trial.
 * @returns null when the trial or version does not exist; `anchorItemId` null when it was never queued
 */
export function getVersionAnchorItem(registrationNumber: string, version: number) {
  return prisma().trialVersion.findFirst({
    where: { version, trial: { registrationNumber } },
    select: { digest: true, anchorItemId: true },
  });
}

/** The exact canonical JSON a version's digest is the SHA-256 of, or null. */
export function getVersionCanonical(registrationNumber: string, version: number) {
  return prisma().trialVersion.findFirst({
    where: { version, trial: { registrationNumber } },
    select: { canonical: true, digest: true },
  });
}

/** A file attached to some registered trial, by digest (the first attachment's name). */
export function findAttachedFile(digest: string) {
  return prisma().trialFile.findFirst({ where: { digest }, orderBy: { createdAt: "asc" }, select: { name: true, size: true } });
}

export function findTrialFile(registrationNumber: string, digest: string) {
  return prisma().trialFile.findFirst({ where: { digest, trial: { registrationNumber } }, select: { anchorItemId: true } });
}

/** The files of a trial, for its public page. */
export function listTrialFiles(registrationNumber: string) {
  return prisma().trialFile.findMany({
    where: { trial: { registrationNumber } },
    orderBy: [{ version: "asc" }, { createdAt: "asc" }],
    select: { kind: true, name: true, digest: true, size: true, version: true, anchorItemId: true },
  });
}

/** An organisation's trials with their current version, newest first, for its page. */
export async function listOrgTrials(orgId: string) {
  const trials = await prisma().trial.findMany({
    where: { orgId },
    orderBy: { createdAt: "desc" },
    select: {
      registrationNumber: true,
      createdAt: true,
      versions: { orderBy: { version: "desc" }, take: 1, select: { version: true, record: true } },
    },
  });
  return trials.map((t) => {
    const current = t.versions[0];
    const record = current?.record as { publicTitle?: unknown } | undefined;
    return {
      registrationNumber: t.registrationNumber,
      registeredAt: t.createdAt,
      version: current?.version ?? 0,
      publicTitle: typeof record?.publicTitle === "string" ? record.publicTitle : t.registrationNumber,
    };
  });
}
