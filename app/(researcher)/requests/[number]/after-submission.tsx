"use client";

import { useEffect, useRef } from "react";
import { Field, FormMessage, SubmitButton } from "@/app/_components/field";
import { InlineError, inputClass } from "@/app/(researcher)/requests/[number]/controls";
import { useDraftAction } from "@/app/(sponsor)/orgs/[slug]/datasets/[dataset]/use-section-save";
import { postMessageAction, requestRenewalAction, submitCloseoutAction } from "@/lib/access/actions";
import { DEFAULT_MONTHS } from "@/lib/access/schema";

/** A message to the committee, added to the conversation both sides read. */
export function MessageForm({ number }: { number: string }) {
  const { pending, error, done, submit } = useDraftAction(postMessageAction);
  const form = useRef<HTMLFormElement>(null);
  // Emptied once the message is in the thread, kept while it was refused.
  useEffect(() => {
    if (done) form.current?.reset();
  }, [done]);
  const errors = error?.fieldErrors?.text;
  return (
    <form
      ref={form}
      className="flex flex-col gap-3"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const text = new FormData(event.currentTarget).get("text");
        submit({ number, text: typeof text === "string" ? text : "" });
      }}
    >
      <FormMessage error={error && !errors ? error.message : undefined} success={done ? "Message sent." : undefined} />
      <div className="flex flex-col gap-1">
        <label htmlFor="request-message" className="text-sm font-medium">
          Message to the committee
        </label>
        <textarea
          id="request-message"
          name="text"
          rows={3}
          aria-invalid={errors ? true : undefined}
          aria-describedby={errors ? "request-message-error" : undefined}
          className={inputClass}
        />
        <InlineError id="request-message-error" errors={errors} />
      </div>
      <div>
        <SubmitButton pending={pending}>Send the message</SubmitButton>
      </div>
    </form>
  );
}

/** Asks the committee to extend access by a number of months; the committee decides the new end. */
export function RenewalForm({ number }: { number: string }) {
  const { pending, error, done, submit } = useDraftAction(requestRenewalAction);
  return (
    <form
      className="flex flex-col gap-3"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit({ number, months: new FormData(event.currentTarget).get("months") });
      }}
    >
      <FormMessage error={error && !error.fieldErrors?.months ? error.message : undefined} success={done ? "Renewal asked for: the committee has been told and will contact you." : undefined} />
      <Field name="months" id="request-renewal-months" type="number" inputMode="numeric" min={1} max={120} defaultValue={DEFAULT_MONTHS} label="Months of further access" errors={error?.fieldErrors?.months} />
      <div>
        <SubmitButton pending={pending}>Ask to renew</SubmitButton>
      </div>
    </form>
  );
}

const FIELDS = ["publications", "summary", "dataDestroyed"] as const;

/** The close-out report: publications (one a line), what was done, and the confirmation that the data is destroyed. */
export function CloseoutForm({ number }: { number: string }) {
  const { pending, error, done, submit } = useDraftAction(submitCloseoutAction);
  const fe = error?.fieldErrors;
  const of = (key: string) => fe?.[`report.${key}`] ?? fe?.[key] ?? Object.entries(fe ?? {}).find(([k]) => k.startsWith(`report.${key}.`))?.[1];
  return (
    <form
      className="flex flex-col gap-4"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const text = (name: string) => {
          const value = form.get(name);
          return typeof value === "string" ? value : "";
        };
        submit({
          number,
          report: {
            publications: text("publications")
              .split("\n")
              .map((line) => line.trim())
              .filter(Boolean),
            summary: text("summary").trim(),
            dataDestroyed: form.get("dataDestroyed") === "yes",
          },
        });
      }}
    >
      <FormMessage
        error={error && !FIELDS.some((key) => of(key)) ? [error.message, ...Object.values(fe ?? {}).flat()].join(" ") : undefined}
        success={done ? "Close-out report sent. Thank you." : undefined}
      />
      <div className="flex flex-col gap-1">
        <label htmlFor="closeout-publications" className="text-sm font-medium">
          Publications (one a line: a DOI or a citation)
        </label>
        <textarea id="closeout-publications" name="publications" rows={4} className={inputClass} aria-invalid={of("publications") ? true : undefined} aria-describedby={of("publications") ? "closeout-publications-error" : undefined} />
        <InlineError id="closeout-publications-error" errors={of("publications")} />
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="closeout-summary" className="text-sm font-medium">
          Summary of the work done
        </label>
        <textarea id="closeout-summary" name="summary" rows={5} className={inputClass} aria-invalid={of("summary") ? true : undefined} aria-describedby={of("summary") ? "closeout-summary-error" : undefined} />
        <InlineError id="closeout-summary-error" errors={of("summary")} />
      </div>
      <div className="flex flex-col gap-1">
        <div className="flex items-start gap-2">
          <input id="closeout-destroyed" type="checkbox" name="dataDestroyed" value="yes" className="mt-1 size-4" aria-describedby={of("dataDestroyed") ? "closeout-destroyed-error" : undefined} />
          <label htmlFor="closeout-destroyed" className="text-sm">
            I confirm that every copy of the data has been destroyed
          </label>
        </div>
        <InlineError id="closeout-destroyed-error" errors={of("dataDestroyed")} />
      </div>
      <div>
        <SubmitButton pending={pending}>Send the close-out report</SubmitButton>
      </div>
    </form>
  );
}
