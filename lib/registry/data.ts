import "server-only";
import { z } from "zod";
import { prisma } from "@/lib/db";

export function getTrialByNumber(registrationNumber: string) {
  return prisma().trial.findUnique({
    where: { registrationNumber },
    select: {
      id: true,
      registrationNumber: true,
      chainTrialId: true,
      orgId: true,
      createdAt: true,
      versions: {
        orderBy: { version: "asc" },
        select: {
          version: true,
          record: true,
          digest: true,
          previousDigest: true,
          outcomeFlags: true,
          createdAt: true,
          anchorItemId: true,
          chainStatus: true,
          chainTxHash: true,
          chainLastError: true,
        },
      },
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
 * The fields of a stored record the public list shows and filters on. Records were validated by
 * `trialRecordInput` when saved; this reads only what the list needs and strips the rest, so a
 * list row can never carry contact details or other fields by accident.
 */
const listedRecord = z.object({
  publicTitle: z.string(),
  scientificTitle: z.string(),
  acronym: z.string().optional(),
  primarySponsor: z.string(),
  conditions: z.array(z.object({ name: z.string(), code: z.string().optional() })),
  studyType: z.object({ phase: z.string() }),
  recruitmentStatus: z.string(),
  countries: z.array(z.string()),
});

export type TrialFilters = {
  /** Case-insensitive text in the public or scientific title, the acronym or a condition's name. */
  q?: string | undefined;
  /** Case-insensitive text in a condition's name, or a condition's code exactly. */
  condition?: string | undefined;
  phase?: string | undefined;
  status?: string | undefined;
  /** ISO 3166-1 alpha-2 code, as stored (upper case). */
  country?: string | undefined;
  /** Case-insensitive text in the primary sponsor's name. */
  sponsor?: string | undefined;
  limit: number;
  offset: number;
};

export type TrialSummary = {
  registrationNumber: string;
  publicTitle: string;
  primarySponsor: string;
  conditions: Array<{ name: string; code?: string | undefined }>;
  phase: string;
  recruitmentStatus: string;
  countries: string[];
  currentVersion: number;
  registeredAt: Date;
};

function matches(record: z.infer<typeof listedRecord>, filters: TrialFilters): boolean {
  const has = (haystack: string | undefined, needle: string) => haystack !== undefined && haystack.toLowerCase().includes(needle.toLowerCase());
  if (filters.q) {
    const q = filters.q;
    const inText = [record.publicTitle, record.scientificTitle, record.acronym].some((t) => has(t, q));
    if (!inText && !record.conditions.some((c) => has(c.name, q))) return false;
  }
  if (filters.condition) {
    const wanted = filters.condition;
    if (!record.conditions.some((c) => has(c.name, wanted) || c.code?.toLowerCase() === wanted.toLowerCase())) return false;
  }
  if (filters.phase && record.studyType.phase !== filters.phase) return false;
  if (filters.status && record.recruitmentStatus !== filters.status) return false;
  if (filters.country && !record.countries.includes(filters.country)) return false;
  if (filters.sponsor && !has(record.primarySponsor, filters.sponsor)) return false;
  return true;
}

/**
 * Registered trials whose current version matches every given filter, newest registration
 * first, with the number that matched in all.
 *
 * The filters apply to the current version's JSON record, which Prisma's JSON filters cannot
 * select per trial (the latest of each trial's versions) nor search case-insensitively inside an
 * array of objects (conditions). So every trial's current record is fetched and filtered here:
 * fine for the registry's volumes now (hundreds of trials, one small record each); past some
 * thousands, move the listed fields into columns of Trial and filter in the database.
 */
export async function listTrials(filters: TrialFilters): Promise<{ trials: TrialSummary[]; total: number }> {
  const rows = await prisma().trial.findMany({
    orderBy: [{ createdAt: "desc" }, { registrationNumber: "desc" }],
    select: {
      registrationNumber: true,
      createdAt: true,
      versions: { orderBy: { version: "desc" }, take: 1, select: { version: true, record: true } },
    },
  });
  const matching: TrialSummary[] = [];
  for (const row of rows) {
    const current = row.versions[0];
    if (!current) continue;
    const record = listedRecord.parse(current.record);
    if (!matches(record, filters)) continue;
    matching.push({
      registrationNumber: row.registrationNumber,
      publicTitle: record.publicTitle,
      primarySponsor: record.primarySponsor,
      conditions: record.conditions,
      phase: record.studyType.phase,
      recruitmentStatus: record.recruitmentStatus,
      countries: record.countries,
      currentVersion: current.version,
      registeredAt: row.createdAt,
    });
  }
  return { trials: matching.slice(filters.offset, filters.offset + filters.limit), total: matching.length };
}

/**
 * A trial as the public API shows it: every version with its digest chain, outcome flags and
 * on-chain status, without internal ids, the organisation or the last chain error.
 * @returns null when no trial has that registration number
 */
export function getPublicTrial(registrationNumber: string) {
  return prisma().trial.findUnique({
    where: { registrationNumber },
    select: {
      registrationNumber: true,
      createdAt: true,
      versions: {
        orderBy: { version: "asc" },
        select: {
          version: true,
          record: true,
          digest: true,
          previousDigest: true,
          outcomeFlags: true,
          createdAt: true,
          chainStatus: true,
          chainTxHash: true,
        },
      },
    },
  });
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
