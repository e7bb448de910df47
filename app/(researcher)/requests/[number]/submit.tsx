"use client";

import { useEffect, useRef } from "react";
import { ErrorSummary } from "@/app/_components/error-summary";
import { FormMessage } from "@/app/_components/field";
import { secondaryButtonClass } from "@/app/(researcher)/requests/[number]/controls";
import { placeErrors } from "@/app/(researcher)/requests/[number]/form-fields";
import { useDraftAction } from "@/app/(sponsor)/orgs/[slug]/datasets/[dataset]/use-section-save";
import { submitRequestAction, withdrawRequestAction } from "@/lib/access/actions";

/**
 * Submits the request to the sponsor's committee. Until the server says it is ready the button is
 * disabled and the list says what is missing; a submission refused all the same (a colleague
 * removed, a document deleted in another tab) shows the error summary, focused, linking to each
 * field in form order.
 */
export function SubmitRequestForm(props: { number: string; canSubmit: boolean; problems: string[]; resubmit: boolean }) {
  const { pending, error, submit } = useDraftAction(submitRequestAction);
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (error) summary.current?.focus();
  }, [error]);
  const placed = placeErrors(error?.fieldErrors);
  const label = props.resubmit ? "Resubmit the request" : "Submit the request";
  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(event) => {
        event.preventDefault();
        submit({ number: props.number });
      }}
    >
      {error ? (
        <ErrorSummary
          ref={summary}
          id="submit-errors"
          notSaved="The request was not submitted"
          message={error.message}
          fields={placed.fields}
          unplaced={placed.unplaced}
          idOf={(id) => id}
          labelOf={(id) => placed.labels[id] ?? id}
          headingLevel={3}
        />
      ) : null}
      {props.problems.length ? (
        <div id="submit-problems">
          <p>Before you can submit:</p>
          <ul className="list-disc pl-6" data-testid="submit-problems">
            {props.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p>Everything the committee needs is there. Once submitted, the request cannot be changed unless the committee returns it.</p>
      )}
      <div>
        <button
          type="submit"
          disabled={pending || !props.canSubmit}
          aria-describedby={props.problems.length ? "submit-problems" : undefined}
          className="rounded-md bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800 disabled:opacity-60 dark:bg-sky-600 dark:hover:bg-sky-500"
        >
          {pending ? "Submitting…" : label}
        </button>
      </div>
    </form>
  );
}

/** Withdraws the request: asked twice, since a withdrawn request cannot be taken up again. */
export function WithdrawRequestButton({ number }: { number: string }) {
  const { pending, error, submit } = useDraftAction(withdrawRequestAction);
  return (
    <details className="text-sm">
      <summary className="cursor-pointer">Withdraw this request</summary>
      <div className="mt-2 flex flex-col gap-2">
        <p>A withdrawn request stays in the history but cannot be submitted again; start a new request instead.</p>
        <FormMessage error={error?.message} />
        <div>
          <button type="button" className={secondaryButtonClass} disabled={pending} onClick={() => submit({ number })}>
            Withdraw the request
          </button>
        </div>
      </div>
    </details>
  );
}
