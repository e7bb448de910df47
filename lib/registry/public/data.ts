import "server-only";
import { prisma } from "@/lib/db";
import { VERSION_COLUMNS } from "@/lib/registry/data";
import type { OutcomeFlag } from "@/lib/registry/diff";
import { PHASES, RECRUITMENT_STATUSES, type TrialRecord, trialRecordInput } from "@/lib/registry/schema";

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

/** A registry search. Every criterion is optional; an absent or blank one does not narrow the search. */
export type TrialSearch = {
  /** Free text over the registration number, titles, acronym, sponsors, conditions and interventions. */
  q?: string | undefined;
  /** Part of a condition's name, or its exact code (I10). */
  condition?: string | undefined;
  phase?: Phase | undefined;
  status?: RecruitmentStatus | undefined;
  /** An ISO 3166-1 alpha-2 code, any letter case. */
  country?: string | undefined;
  /** Part of the primary or a secondary sponsor's name. */
  sponsor?: string | undefined;
};

export type TrialSummary = {
  registrationNumber: string;
  registeredOn: Date;
  version: number;
  record: TrialRecord;
};

const isPhase = (value: string): value is Phase => (PHASES as readonly string[]).includes(value);
const isStatus = (value: string): value is RecruitmentStatus => (RECRUITMENT_STATUSES as readonly string[]).includes(value);

function first(value: string | string[] | undefined): string | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  // 200: as long as the longest searched field a person would type a part of (condition, sponsor).
  return text ? text.slice(0, 200) : undefined;
}

/**
 * Reads a search from a page's query string. A phase or status that is not one of the schema's
 * values is dropped (the form's selects cannot send one), rather than matching nothing.
 */
export function trialSearchFrom(params: Record<string, string | string[] | undefined>): TrialSearch {
  const phase = first(params.phase);
  const status = first(params.status);
  return {
    q: first(params.q),
    condition: first(params.condition),
    phase: phase && isPhase(phase) ? phase : undefined,
    status: status && isStatus(status) ? status : undefined,
    country: first(params.country)?.toUpperCase(),
    sponsor: first(params.sponsor),
  };
}

const contains = (haystack: string | undefined, needle: string) => haystack?.toLocaleLowerCase("en").includes(needle) ?? false;

function matches(trial: TrialSummary, search: TrialSearch): boolean {
  const { record } = trial;
  const q = search.q?.toLocaleLowerCase("en");
  if (q) {
    const texts = [
      trial.registrationNumber,
      record.publicTitle,
      record.scientificTitle,
      record.acronym,
      record.primarySponsor,
      ...record.secondarySponsors,
      ...record.conditions.map((c) => c.name),
      ...record.interventions.map((i) => i.name),
    ];
    if (!texts.some((text) => contains(text, q))) return false;
  }
  const condition = search.condition?.toLocaleLowerCase("en");
  if (condition && !record.conditions.some((c) => contains(c.name, condition) || c.code?.toLocaleLowerCase("en") === condition)) return false;
  if (search.phase && record.studyType.phase !== search.phase) return false;
  if (search.status && record.recruitmentStatus !== search.status) return false;
  const country = search.country?.toUpperCase();
  if (country && !record.countries.includes(country)) return false;
  const sponsor = search.sponsor?.toLocaleLowerCase("en");
  if (sponsor && ![record.primarySponsor, ...record.secondarySponsors].some((name) => contains(name, sponsor))) return false;
  return true;
}

/**
 * The trials whose current (highest) version matches every given criterion, newest registration
 * first. The criteria are applied in TypeScript to every trial's current record: the record is a
 * JSON document, and at the registry's expected size (hundreds of trials, a few kB each) loading
 * them all is cheaper than maintaining JSON-path indexes. Past a few thousand trials, move the
 * filters into SQL (jsonb containment) or a search index.
 */
export async function searchTrials(search: TrialSearch = {}): Promise<TrialSummary[]> {
  const trials = await prisma().trial.findMany({
    orderBy: [{ createdAt: "desc" }, { registrationNumber: "desc" }],
    select: {
      registrationNumber: true,
      createdAt: true,
      versions: { orderBy: { version: "desc" }, take: 1, select: { version: true, record: true } },
    },
  });
  return trials.flatMap((trial) => {
    const current = trial.versions[0];
    if (!current) return [];
    const summary = {
      registrationNumber: trial.registrationNumber,
      registeredOn: trial.createdAt,
      version: current.version,
      record: trialRecordInput.parse(current.record),
    };
    return matches(summary, search) ? [summary] : [];
  });
}

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
