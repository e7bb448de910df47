import type { Vote } from "@/lib/access/schema";

/**
 * The decision form's model, apart from its rendering: which fields each decision takes, the
 * input decideAction receives (only the chosen decision's fields, so that a reason typed and then
 * abandoned for "Approve" is not sent along), and how errors are placed on the form.
 */

export type DecisionDraft = {
  decision: Vote | undefined;
  /** yyyy-mm-dd, as a date input gives it. */
  end: string;
  conditions: string;
  reason: string;
  password: string;
};

/** Approvals take an end date (default 12 months, never past a TS cap). */
export const takesEnd = (decision: Vote | undefined) => decision === "approve" || decision === "approve-with-conditions";
/** Return and deny take a reason, mandatory and shown to the researcher. */
export const takesReason = (decision: Vote | undefined): decision is "return" | "deny" => decision === "return" || decision === "deny";
export const takesConditions = (decision: Vote | undefined) => decision === "approve-with-conditions";

/**
 * What decideAction is sent. Without a decision chosen the input carries none, and the server's
 * own message ("Choose a decision: …") is the one shown: the form does not duplicate the schema.
 */
export function decisionPayload(number: string, draft: DecisionDraft, meaning: string) {
  const signature = { password: draft.password, meaning };
  const { decision } = draft;
  if (decision === "approve") return { number, decision, end: draft.end, signature };
  if (decision === "approve-with-conditions") return { number, decision, end: draft.end, conditions: draft.conditions, signature };
  if (decision === "return" || decision === "deny") return { number, decision, reason: draft.reason, signature };
  return { number, signature };
}

/**
 * Why the end date has a maximum, in words, when a release's TS condition caps it:
 * "A release's time limit (DUO TS) ends access by 2027-06-02 at the latest."
 */
export function capText(maxEnd: string | null): string | undefined {
  if (!maxEnd) return undefined;
  return `A release's time limit (DUO TS, time-limited use) ends access by ${maxEnd.slice(0, 10)} at the latest; a later end date is refused.`;
}

/** The form's fields, in order, with the id each error links to and its label. */
export const DECISION_FIELDS = {
  decision: { id: "decision-approve", label: "Decision" },
  end: { id: "decision-end", label: "End of access" },
  conditions: { id: "decision-conditions", label: "Conditions of the approval" },
  reason: { id: "decision-reason", label: "Reason" },
  "signature.password": { id: "signature-password", label: "Your password, to sign" },
} as const;
export type DecisionField = keyof typeof DECISION_FIELDS;

/**
 * The server's field errors split into those the form places beside a field (in the form's
 * order) and those it lists in the summary only. `signature.meaning` is never typed by the
 * user, so its message goes to the summary.
 */
export function placeErrors(fieldErrors: Record<string, string[]> | undefined): { placed: [DecisionField, string[]][]; unplaced: string[] } {
  const placed: [DecisionField, string[]][] = [];
  const unplaced: string[] = [];
  const errors = fieldErrors ?? {};
  for (const field of Object.keys(DECISION_FIELDS) as DecisionField[]) {
    const messages = errors[field];
    if (messages?.length) placed.push([field, messages]);
  }
  for (const [key, messages] of Object.entries(errors)) {
    if (!(key in DECISION_FIELDS)) unplaced.push(...messages);
  }
  return { placed, unplaced };
}
