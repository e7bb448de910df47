"use client";

import { useEffect, useRef, useState } from "react";
import { ErrorSummary } from "@/app/_components/error-summary";
import { Field, SubmitButton } from "@/app/_components/field";
import { RadioGroup } from "@/app/_components/radio-group";
import { DECISION_FIELDS, type DecisionDraft, type DecisionField, capText, decisionPayload, placeErrors, takesConditions, takesEnd, takesReason } from "@/app/(committee)/committee/requests/[number]/decision";
import { TextArea } from "@/app/(committee)/committee/requests/[number]/text-area";
import { useDraftAction } from "@/app/(sponsor)/orgs/[slug]/datasets/[dataset]/use-section-save";
import { SignatureFields } from "@/app/(sponsor)/orgs/[slug]/trials/signature-fields";
import { decideAction } from "@/lib/access/actions";
import { VOTES, type Vote } from "@/lib/access/schema";

const BUTTON: Record<Vote, string> = {
  approve: "Sign and approve",
  "approve-with-conditions": "Sign and approve with conditions",
  return: "Sign and return for revision",
  deny: "Sign and deny",
};

const REASON_LABEL = { return: "Reason for returning the request", deny: "Reason for the denial" } as const;

/**
 * The committee's decision, a signed act: the decision, what it takes (an end date for an
 * approval, at most the TS cap; conditions; a reason for return and deny, which the researcher is
 * shown), then the meaning shown and the password re-entered. A failure moves focus to the error
 * summary, which links each field that needs attention.
 */
export function DecisionForm(props: {
  number: string;
  /** The sentence each decision signs, built by the server (which checks it back). */
  meanings: Record<Vote, string>;
  signer: { name: string; email: string };
  defaultEnd: string;
  /** The TS cap, yyyy-mm-dd, when a release has one. */
  maxEnd: string | null;
  /** The latest end allowed: the TS cap, or the longest access the portal gives. */
  latestEnd: string;
  /** Today (UTC), yyyy-mm-dd: an end date before it would end access before it began. */
  today: string;
}) {
  const decide = useDraftAction(decideAction);
  const [draft, setDraft] = useState<DecisionDraft>({ decision: undefined, end: props.defaultEnd.slice(0, 10), conditions: "", reason: "", password: "" });
  const summary = useRef<HTMLDivElement>(null);
  const set = <K extends keyof DecisionDraft>(key: K, value: DecisionDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  useEffect(() => {
    if (decide.error) summary.current?.focus();
  }, [decide.error]);

  const { placed, unplaced } = placeErrors(decide.error?.fieldErrors);
  const errorsOf = (field: DecisionField) => placed.find(([f]) => f === field)?.[1];
  const cap = capText(props.maxEnd);
  const decision = draft.decision;

  return (
    <form
      className="flex flex-col gap-5"
      noValidate
      aria-label="Decision"
      onSubmit={(event) => {
        event.preventDefault();
        decide.submit(decisionPayload(props.number, draft, decision ? props.meanings[decision] : ""));
      }}
    >
      {decide.error ? (
        <ErrorSummary
          ref={summary}
          id="decision-errors"
          notSaved="The decision was not recorded"
          message={`The decision was not recorded. ${decide.error.message}`}
          fields={placed}
          unplaced={unplaced}
          idOf={(place) => DECISION_FIELDS[place as DecisionField].id}
          labelOf={(place) => DECISION_FIELDS[place as DecisionField].label}
          headingLevel={3}
        />
      ) : null}

      <RadioGroup name="decision" legend="Decision" options={Object.entries(VOTES) as [Vote, string][]} value={decision} onChange={(value) => set("decision", value)} errors={errorsOf("decision")} />

      {takesEnd(decision) ? (
        <Field
          id={DECISION_FIELDS.end.id}
          name="end"
          label={DECISION_FIELDS.end.label}
          type="date"
          required
          min={props.today}
          max={props.latestEnd.slice(0, 10)}
          value={draft.end}
          onChange={(e) => set("end", e.target.value)}
          errors={errorsOf("end")}
          hint={
            <>
              Every team member&apos;s access to every release ends on this day. Filled in: {props.defaultEnd.slice(0, 10)}, the requested duration from today
              {props.maxEnd ? " or the cap if that is sooner" : ""}.{cap ? <> {cap}</> : null}
            </>
          }
        />
      ) : null}

      {takesConditions(decision) ? (
        <TextArea
          id={DECISION_FIELDS.conditions.id}
          name="conditions"
          label={DECISION_FIELDS.conditions.label}
          hint="What the team must do besides the data use agreement. Shown to the researcher and recorded with the decision."
          value={draft.conditions}
          onChange={(e) => set("conditions", e.target.value)}
          errors={errorsOf("conditions")}
        />
      ) : null}

      {takesReason(decision) ? (
        <TextArea
          id={DECISION_FIELDS.reason.id}
          name="reason"
          label={REASON_LABEL[decision]}
          hint={`Mandatory, at least 10 characters. It is shown to the researcher${decision === "return" ? ", who can revise the request and submit it again" : ""}.`}
          value={draft.reason}
          onChange={(e) => set("reason", e.target.value)}
          errors={errorsOf("reason")}
        />
      ) : null}

      <SignatureFields
        meaning={decision ? props.meanings[decision] : "Choose a decision above: the sentence you sign appears here."}
        signer={props.signer}
        password={draft.password}
        onPassword={(p) => set("password", p)}
        error={errorsOf("signature.password")?.join(" ")}
      />
      <div>
        <SubmitButton pending={decide.pending}>{decision ? BUTTON[decision] : "Sign the decision"}</SubmitButton>
      </div>
    </form>
  );
}
