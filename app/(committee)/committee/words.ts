import { VOTES, type Vote } from "@/lib/access/schema";

/**
 * The words of the committee's pages: queue names and their URL values, the clock against the
 * target, the decision rule, states and history events. Pure and isomorphic, so the inbox, the
 * request page, its client forms and the sponsor's settings say the same thing the same way.
 */

/** The inbox's queues in the order a committee works them (issue 11: new, in review, waiting, decided). */
export const QUEUES = [
  { key: "new", param: "new", label: "New" },
  { key: "inReview", param: "in-review", label: "In review" },
  { key: "waiting", param: "waiting", label: "Waiting for the researcher" },
  { key: "decided", param: "decided", label: "Decided" },
] as const;
export type QueueKey = (typeof QUEUES)[number]["key"];
export type Queue = (typeof QUEUES)[number];

/**
 * The queue a `?queue=` value names; New when absent or unknown, since new requests are the ones
 * whose clock runs without anyone having looked at them. A repeated parameter takes its first value.
 */
export function queueOf(param: string | string[] | undefined): Queue {
  const value = Array.isArray(param) ? param[0] : param;
  return QUEUES.find((q) => q.param === value) ?? QUEUES[0];
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "1 day" / "16 days". */
export const daysText = (days: number) => plural(days, "day", "days");

/**
 * The clock of an open request against the committee's target, in words, so that "overdue" is
 * never said by colour alone: "Overdue: 16 days since submission (target 14 days)".
 */
export function clockText(daysOpen: number, targetDays: number, overdue: boolean): string {
  const clock = `${daysText(daysOpen)} since submission (target ${daysText(targetDays)})`;
  return overdue ? `Overdue: ${clock}` : clock;
}

/** "No votes yet", "1 vote", "3 votes". */
export const votesText = (votes: number) => (votes === 0 ? "No votes yet" : plural(votes, "vote", "votes"));

export type DecisionRule = "ONE_DECIDER" | "MAJORITY";

/** Votes a majority needs: more than half of the seats (3 of 4, 2 of 3). */
export const majorityOf = (members: number) => Math.floor(members / 2) + 1;

/**
 * The organisation's decision rule as a sentence for the request page and the settings:
 * "One member decides." or "A majority of the committee's 3 members decides: 2 votes for the same decision (…)",
 * counting approvals with and without conditions together as the service does (lib/access/service.ts ruleAllows).
 * Without the committee's size (the settings page's choice), the majority is named without numbers.
 */
export function ruleText(rule: DecisionRule, members?: number): string {
  if (rule === "ONE_DECIDER") return "One member decides.";
  if (members === undefined) return "A majority of the committee decides.";
  return `A majority of the committee's ${plural(members, "member", "members")} decides: ${plural(majorityOf(members), "vote", "votes")} for the same decision (approving with or without conditions counts as one).`;
}

export const RULES: Record<DecisionRule, string> = {
  ONE_DECIDER: "One member decides",
  MAJORITY: "A majority of the committee decides",
};

export const STATE_WORDS = {
  DRAFT: "Draft",
  SUBMITTED: "New",
  IN_REVIEW: "In review",
  RETURNED: "Returned for revision",
  APPROVED: "Approved",
  DENIED: "Denied",
  WITHDRAWN: "Withdrawn",
  CLOSED: "Closed",
} as const;
export type RequestState = keyof typeof STATE_WORDS;

export const stateText = (state: string) => (state in STATE_WORDS ? STATE_WORDS[state as RequestState] : state);

/** A vote or decision in words ("Approve with conditions"); an unknown value is shown as it is. */
export const voteText = (vote: string) => (vote in VOTES ? VOTES[vote as Vote] : vote);

const DECISIONS = { approved: "Approved", returned: "Returned for revision", denied: "Denied" } as const;

/**
 * A recorded decision in words: the history names approvals "approved" whether or not they came
 * with conditions, so the conditions decide the words ("Approved with conditions").
 */
export function decisionText(decision: string, conditions?: string | null): string {
  if (decision === "approved" && conditions) return "Approved with conditions";
  return decision in DECISIONS ? DECISIONS[decision as keyof typeof DECISIONS] : voteText(decision);
}

/** The events of a request's history (lib/access events), as the timeline names them. */
const EVENT_WORDS: Record<string, string> = {
  created: "Draft created",
  saved: "Draft saved",
  submitted: "Submitted",
  "review-started": "Review started",
  "member-invited": "Team member invited",
  "member-removed": "Team member removed",
  "agreement-accepted": "Data use agreement accepted",
  "document-added": "Document added",
  "document-removed": "Document removed",
  message: "Message",
  note: "Internal note",
  vote: "Vote",
  approved: "Approved",
  returned: "Returned for revision",
  denied: "Denied",
  withdrawn: "Withdrawn",
  "grant-revoked": "Grant revoked",
  "grant-expired": "Grant expired",
  "renewal-requested": "Renewal requested",
  "releases-changed": "Releases changed",
  "closeout-reminded": "Close-out report asked for",
  closed: "Closed out",
};

/** "grant-revoked" → "Grant revoked"; a type the list does not know reads as its own words. */
export function eventText(type: string): string {
  const known = EVENT_WORDS[type];
  if (known) return known;
  const words = type.replace(/[-_]+/g, " ").trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : "Event";
}

const SIDES: Record<string, string> = { researcher: "researcher", committee: "committee", system: "portal" };
/** Who acted, as the history says it: the researcher's side, the committee, or the portal itself. */
export const sideText = (side: string) => SIDES[side] ?? side;

/** The calendar day (UTC) of an instant, as ISO: "2026-12-02". */
export const dayOf = (at: Date | string) => new Date(at).toISOString().slice(0, 10);
/** The minute (UTC) of an instant: "2026-12-02 16:22 UTC". */
export const minuteOf = (at: Date | string) => `${new Date(at).toISOString().slice(0, 16).replace("T", " ")} UTC`;

/**
 * What the timeline says under an event: a message's or note's text, a decision's or
 * revocation's reason (the view's `text`), or a vote with its rationale.
 */
export function eventDetail(event: { type: string; text?: string | undefined; body: Record<string, unknown> }): string | undefined {
  if (event.type === "vote" && typeof event.body.vote === "string") {
    const rationale = typeof event.body.rationale === "string" ? `: ${event.body.rationale}` : "";
    return `${voteText(event.body.vote)}${rationale}`;
  }
  return event.text;
}
