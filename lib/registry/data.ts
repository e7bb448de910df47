import "server-only";
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
