import type { z } from "zod";
import { type DescribedPurpose, describePurpose, purposeDiseaseIds } from "@/lib/duo/purpose-words";
import type { EntryDocument } from "@/lib/log/entry";
import { LOG_KINDS } from "@/lib/log/kinds";

/**
 * The public access register (/access, GET /api/access/register), folded from the transparency
 * log's public access entries alone — never from the access tables — so anyone holding the log's
 * entries can recompute it and compare (docs/access.md). Pure: the caller reads the entries.
 *
 * Each entry's subject is {type: "access-request", id: DAR-YYYY-NNNNN}; entries are folded in log
 * order (index), per request, through REMS's states:
 *
 *   submitted ──(review started, a committee vote, note or message)──▶ in-review
 *   submitted | in-review ──▶ approved | denied | returned ;  returned ──(resubmitted)──▶ submitted
 *   submitted | in-review | returned ──▶ withdrawn
 *
 * An entry that does not fit (an approval of a request never submitted, a second decision, a body
 * that is not the kind's declared shape) changes nothing and is listed in `anomalies` with its index,
 * so a reader sees it rather than a register that silently disagrees with the log.
 */

/** The kinds the register reads; the other access kinds (invitations, agreements, …) change no state. */
export const REGISTER_KINDS = [
  "access.request-submitted",
  "access.message-posted",
  "access.note-added",
  "access.vote-cast",
  "access.review-started",
  "access.returned",
  "access.approved",
  "access.denied",
  "access.withdrawn",
  "access.grant-revoked",
] as const;
type RegisterKind = (typeof REGISTER_KINDS)[number];

/** DAR-YYYY-NNNNN (lib/access numbers requests per year, under a row lock). */
export const REQUEST_NUMBER = /^DAR-\d{4}-\d{5,}$/;

export const REQUEST_STATES = ["submitted", "in-review", "returned", "approved", "denied", "withdrawn"] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** An entry as the log serves it: its index and its parsed body (lib/log/entry.ts parseEntry). */
export type LoggedEntry = { index: number; document: EntryDocument };

export type ApprovedRequest = {
  request: string;
  researcher: { id: string; name: string };
  institution: { name: string; notForProfit: boolean };
  title: string;
  laySummary: string;
  releases: string[];
  /** The purpose in words; null when the entry's purpose is not one the portal can read. */
  purpose: DescribedPurpose | null;
  /** The purpose exactly as in the entry. */
  recordedPurpose: Record<string, unknown>;
  /** The committee's conditions, or null for a plain approval. */
  withConditions: string | null;
  approvedAt: string;
  start: string;
  end: string;
  /** Where the approved period stands at `asOf`. */
  period: "not-started" | "active" | "ended";
  analysisPlanDigest: string;
  decidedVia: "manual" | "auto";
  /** The approval's index in the log: /api/log/entries/<index> gives it with its inclusion receipt. */
  logIndex: number;
  /** How many of the request's grants were revoked (each is in `revocations`). */
  revocations: number;
};

export type Revocation = { request: string; release: string; grant: string; at: string; logIndex: number };

export type DeniedCount = { dataset: string; requests: number };

export type RegisterMetrics = {
  /** Requests ever submitted (each state below counts some of them; they add up to this). */
  submitted: number;
  byState: Record<RequestState, number>;
  /** Approved plus denied: returned and withdrawn requests are not decisions. */
  decided: number;
  /** From the first submission to the decision, in days (one decimal); null before any decision. */
  medianDaysToDecision: number | null;
  /** Approved ÷ decided, from 0 to 1; null before any decision. */
  approvalRate: number | null;
};

export type Anomaly = { logIndex: number; kind: string; reason: string };

export type Register = {
  asOf: string;
  /** The dataset the register was narrowed to, or null for all. */
  dataset: string | null;
  /** The trial whose datasets the register was narrowed to, or null for all. */
  trial: string | null;
  /** Newest approval first. */
  approved: ApprovedRequest[];
  /** Newest first. */
  revocations: Revocation[];
  /** Per dataset, the number of denied requests that named one of its releases; by dataset number. */
  denied: DeniedCount[];
  metrics: RegisterMetrics;
  anomalies: Anomaly[];
};

export type RegisterOptions = {
  /** Mondo labels for the purposes' diseases (by id); a disease without one is named by id. */
  labels?: ReadonlyMap<string, string>;
  /** Only requests whose releases are of this dataset (TLR-2026-00001.D1). */
  dataset?: string;
  /** Only requests whose releases are of this trial's datasets (TLR-2026-00001). */
  trial?: string;
};

type Details<K extends RegisterKind> = z.output<(typeof LOG_KINDS)[K]["public"]>;

type Fold = {
  request: string;
  state: RequestState;
  firstSubmittedAt: number | null;
  decidedAt: number | null;
  /** As last submitted or decided: a revision may change them. */
  releases: string[];
  approved: Omit<ApprovedRequest, "purpose" | "period" | "revocations"> | null;
};

const DAY_MS = 86_400_000;

/** TLR-2026-00001.D1/2 → TLR-2026-00001.D1 */
export function datasetOfRelease(release: string): string {
  const slash = release.lastIndexOf("/");
  return slash < 0 ? release : release.slice(0, slash);
}

function isRegisterKind(kind: string): kind is RegisterKind {
  return (REGISTER_KINDS as readonly string[]).includes(kind);
}

/** The median of `values` (not empty), the mean of the middle two for an even count. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const UNDECIDED: readonly RequestState[] = ["submitted", "in-review"];

/**
 * Applies one entry to its request's fold.
 * @returns why the entry does not fit, or null when it was applied
 */
function apply(folds: Map<string, Fold>, revocations: Revocation[], entry: LoggedEntry, kind: RegisterKind, request: string): string | null {
  const parsed = LOG_KINDS[kind].public.safeParse(entry.document.details);
  if (!parsed.success) return "its details are not those the kind declares";
  const time = Date.parse(entry.document.time);
  if (Number.isNaN(time)) return "its time is not a date";
  const fold = folds.get(request);

  if (kind === "access.request-submitted") {
    const details = parsed.data as Details<"access.request-submitted">;
    if (fold && fold.state !== "returned") return `a submission of a request that is ${fold.state}`;
    if (fold) {
      fold.state = "submitted";
      fold.releases = details.releases;
    } else {
      folds.set(request, { request, state: "submitted", firstSubmittedAt: time, decidedAt: null, releases: details.releases, approved: null });
    }
    return null;
  }
  if (kind === "access.grant-revoked") {
    const details = parsed.data as Details<"access.grant-revoked">;
    if (fold?.state !== "approved") return "a revocation of a grant of a request that is not approved";
    revocations.push({ request, release: details.release, grant: details.grant, at: entry.document.time, logIndex: entry.index });
    return null;
  }
  if (!fold) return "an event of a request never submitted";

  switch (kind) {
    case "access.message-posted":
    case "access.note-added":
    case "access.vote-cast":
    case "access.review-started": {
      // A researcher's message is not the committee taking the request up.
      const byCommittee = kind !== "access.message-posted" || (parsed.data as Details<"access.message-posted">).from === "committee";
      if (fold.state === "submitted" && byCommittee) fold.state = "in-review";
      return null;
    }
    case "access.withdrawn":
      if (fold.state !== "returned" && !UNDECIDED.includes(fold.state)) return `a withdrawal of a request that is ${fold.state}`;
      fold.state = "withdrawn";
      return null;
    case "access.returned":
    case "access.denied":
    case "access.approved": {
      if (!UNDECIDED.includes(fold.state)) return `a decision on a request that is ${fold.state}`;
      if (kind === "access.returned") {
        fold.state = "returned";
        return null;
      }
      fold.decidedAt = time;
      if (kind === "access.denied") {
        fold.state = "denied";
        fold.releases = (parsed.data as Details<"access.denied">).releases;
        return null;
      }
      const d = parsed.data as Details<"access.approved">;
      fold.state = "approved";
      fold.releases = d.releases;
      fold.approved = {
        request,
        researcher: d.researcher,
        institution: d.institution,
        title: d.title,
        laySummary: d.laySummary,
        releases: d.releases,
        recordedPurpose: d.purpose,
        withConditions: d.withConditions,
        approvedAt: entry.document.time,
        start: d.start,
        end: d.end,
        analysisPlanDigest: d.analysisPlanDigest,
        decidedVia: d.decidedVia,
        logIndex: entry.index,
      };
      return null;
    }
  }
}

/**
 * The register as of `now` from `entries` (any order: they are sorted by index; kinds the register
 * does not read are ignored). With `options.dataset` (or `options.trial`), only requests whose
 * releases (as last submitted or decided) include one of that dataset (or of that trial's datasets)
 * count, in every part including the metrics.
 */
export function buildRegister(entries: readonly LoggedEntry[], now: Date, options: RegisterOptions = {}): Register {
  const folds = new Map<string, Fold>();
  const revocations: Revocation[] = [];
  const anomalies: Anomaly[] = [];
  for (const entry of [...entries].sort((a, b) => a.index - b.index)) {
    const { kind, subject } = entry.document;
    if (!isRegisterKind(kind)) continue;
    const reason =
      subject?.type !== "access-request" || typeof subject.id !== "string" || !REQUEST_NUMBER.test(subject.id)
        ? "its subject is not an access request (DAR-YYYY-NNNNN)"
        : apply(folds, revocations, entry, kind, subject.id);
    if (reason) anomalies.push({ logIndex: entry.index, kind, reason });
  }

  const { dataset = null, trial = null, labels = new Map<string, string>() } = options;
  const datasetShown = (d: string) => (dataset === null || d === dataset) && (trial === null || d.startsWith(`${trial}.D`));
  const ofDataset = (release: string) => datasetShown(datasetOfRelease(release));
  const requests = [...folds.values()].filter((f) => f.releases.some(ofDataset));
  const shownRevocations = revocations.filter((r) => ofDataset(r.release)).sort((a, b) => b.logIndex - a.logIndex);

  const byState = Object.fromEntries(REQUEST_STATES.map((s) => [s, 0])) as Record<RequestState, number>;
  for (const f of requests) byState[f.state] += 1;
  const decided = byState.approved + byState.denied;
  const days = requests.flatMap((f) => (f.decidedAt !== null && f.firstSubmittedAt !== null ? [(f.decidedAt - f.firstSubmittedAt) / DAY_MS] : []));

  const deniedBy = new Map<string, number>();
  for (const f of requests) {
    if (f.state !== "denied") continue;
    for (const d of new Set(f.releases.map(datasetOfRelease))) if (datasetShown(d)) deniedBy.set(d, (deniedBy.get(d) ?? 0) + 1);
  }

  const at = now.getTime();
  const approved = requests
    .flatMap((f) => (f.approved ? [f.approved] : []))
    .sort((a, b) => b.logIndex - a.logIndex)
    .map((a): ApprovedRequest => ({
      ...a,
      purpose: describePurpose(a.recordedPurpose, labels),
      period: at < Date.parse(a.start) ? "not-started" : at < Date.parse(a.end) ? "active" : "ended",
      revocations: revocations.filter((r) => r.request === a.request).length,
    }));

  return {
    asOf: now.toISOString(),
    dataset,
    trial,
    approved,
    revocations: shownRevocations,
    denied: [...deniedBy].map(([d, requests]) => ({ dataset: d, requests })).sort((a, b) => (a.dataset < b.dataset ? -1 : 1)),
    metrics: {
      submitted: requests.length,
      byState,
      decided,
      medianDaysToDecision: days.length ? Math.round(median(days) * 10) / 10 : null,
      approvalRate: decided ? byState.approved / decided : null,
    },
    anomalies,
  };
}

/** The Mondo ids the approvals among `entries` name, so the caller can look their labels up first. */
export function registerDiseaseIds(entries: readonly LoggedEntry[]): string[] {
  const ids = entries.flatMap((e) => (e.document.kind === "access.approved" ? purposeDiseaseIds(e.document.details?.purpose) : []));
  return [...new Set(ids)];
}
