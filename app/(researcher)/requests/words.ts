/**
 * A request's state, a grant's standing and a request's events in the words the researcher's pages
 * use. Isomorphic and pure: the list page, the request page and its client forms say the same thing.
 */

export const REQUEST_STATES = ["DRAFT", "SUBMITTED", "IN_REVIEW", "RETURNED", "APPROVED", "DENIED", "WITHDRAWN", "CLOSED"] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

export const STATE_WORDS: Record<RequestState, string> = {
  DRAFT: "Draft, not submitted yet",
  SUBMITTED: "Submitted, waiting for the committee",
  IN_REVIEW: "In review by the committee",
  RETURNED: "Returned for revision",
  APPROVED: "Approved",
  DENIED: "Denied",
  WITHDRAWN: "Withdrawn",
  CLOSED: "Closed",
};

/** The states in which the committee has the request and its clock runs. */
const WITH_COMMITTEE: readonly RequestState[] = ["SUBMITTED", "IN_REVIEW"];

const DAY_MS = 86_400_000;

/** yyyy-mm-dd in UTC, the date format of every page of the portal. */
export function isoDate(at: Date | string): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (0 on the same day, never negative). */
export function daysBetween(from: Date | string, to: Date | string): number {
  return Math.max(0, Math.floor((new Date(to).getTime() - new Date(from).getTime()) / DAY_MS));
}

const days = (n: number) => (n === 0 ? "today" : n === 1 ? "1 day ago" : `${n} days ago`);

/**
 * "In review by the committee, submitted 3 days ago": the state, and while the committee has the
 * request the days since it was submitted (EGA's best practice is two weeks, issue 11).
 */
export function stateInWords(state: RequestState, submittedAt: Date | string | null, now: Date): string {
  const words = STATE_WORDS[state];
  if (!submittedAt || !WITH_COMMITTEE.includes(state)) return words;
  return `${words}, submitted ${days(daysBetween(submittedAt, now))}`;
}

export type GrantStanding = { active: boolean; end: Date | string; endReason: string | null; revokeReason?: string | null };

/** "Active until 2027-12-02", or why it ended: expired, revoked (with the committee's reason) or closed out. */
export function grantInWords(grant: GrantStanding): string {
  if (grant.active) return `Active until ${isoDate(grant.end)}`;
  switch (grant.endReason) {
    case "REVOKED":
      return grant.revokeReason ? `Ended: revoked by the committee (“${grant.revokeReason}”)` : "Ended: revoked by the committee";
    case "CLOSED_OUT":
      return "Ended: closed with the close-out report";
    case "EXPIRED":
      return `Ended: expired on ${isoDate(grant.end)}`;
    default:
      return `Not active (from the start date to ${isoDate(grant.end)})`;
  }
}

/** 0x1a2b3c4d…9f8e: enough of a SHA-256 digest to tell two files apart on a page; the whole one is in the title. */
export function shortDigest(digest: string): string {
  return digest.length <= 16 ? digest : `${digest.slice(0, 10)}…${digest.slice(-4)}`;
}

/** "Ethics (IRB) approval" → "ethics (IRB) approval": a label inside a sentence, its acronyms kept. */
export const lowerFirst = (label: string) => label.charAt(0).toLowerCase() + label.slice(1);

/** The request's events (lib/access/events.ts) as the thread names them. */
const EVENT_WORDS: Record<string, string> = {
  created: "Request started",
  saved: "Draft saved",
  "releases-changed": "Releases changed",
  "document-added": "Document added",
  "document-removed": "Document removed",
  submitted: "Submitted",
  "review-started": "Review started",
  "member-invited": "Team member invited",
  "member-removed": "Team member removed",
  "agreement-accepted": "Data use agreement accepted",
  message: "Message",
  approved: "Approved",
  returned: "Returned for revision",
  denied: "Denied",
  withdrawn: "Withdrawn",
  "grant-revoked": "Access revoked",
  "grant-expired": "Access expired",
  "renewal-requested": "Renewal asked for",
  "closeout-reminded": "Close-out report asked for",
  closed: "Closed with the close-out report",
};

export function eventInWords(type: string): string {
  return EVENT_WORDS[type] ?? type.replaceAll("-", " ").replace(/^./, (c) => c.toUpperCase());
}
