import "server-only";
import { prisma } from "@/lib/db";
import { VERSION_COLUMNS } from "@/lib/registry/data";
import type { OutcomeFlag } from "@/lib/registry/diff";
import { PHASES, RECRUITMENT_STATUSES, trialRecordInput } from "@/lib/registry/schema";

/**
 * Public reads of the registry: what anyone may see without signing in. Only registration data is
 * selected — never who created a version, the organisation's id or the chain outbox's internals.
 */

export type Phase = (typeof PHASES)[number];
export type RecruitmentStatus = (typeof RECRUITMENT_STATUSES)[number];

/** How pages name each recruitment status (WHO item 18). */
export const STATUS_LABELS: Record<RecruitmentStatus, string> = {
  pending: "Pending (not yet recruiting)",
  recruiting: "Recruiting",
  suspended: "Suspended",
  complete: "Recruitment complete",
  other: "Other",
};

/**
 * A trial's public page data: every version, oldest first, with its record, digests, outcome
 * flags, anchoring item and on-chain registration status.
 * @returns null when no trial has that registration number
 */
export async function getPublicTrial(registrationNumber: string) {
  const trial = await prisma().trial.findUnique({
    where: { registrationNumber },
    select: {
      registrationNumber: true,
      createdAt: true,
      versions: { orderBy: { version: "asc" }, select: VERSION_COLUMNS },
    },
  });
  if (!trial) return null;
  return {
    ...trial,
    versions: trial.versions.map((v) => ({
      ...v,
      record: trialRecordInput.parse(v.record),
      // Written only by amendTrial, from outcomeFlags() (lib/registry/service.ts).
      outcomeFlags: Array.isArray(v.outcomeFlags) ? (v.outcomeFlags as unknown as OutcomeFlag[]) : [],
    })),
  };
}
