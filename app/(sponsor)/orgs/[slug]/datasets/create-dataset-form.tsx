"use client";

import { useActionState } from "react";
import { Field, FormMessage, SubmitButton } from "@/app/_components/field";
import { createDatasetAction } from "@/lib/datasets/actions";
import type { ActionResult } from "@/lib/handler";

export function CreateDatasetForm(props: { orgSlug: string; trials: Array<{ registrationNumber: string; title: string }>; initialTrial?: string | undefined }) {
  const [state, formAction, pending] = useActionState<ActionResult<unknown> | null, FormData>(createDatasetAction, null);
  const error = state && !state.ok ? state.error : undefined;
  const trialErrors = error?.fieldErrors?.registrationNumber;
  return (
    <form action={formAction} className="flex max-w-xl flex-col gap-4" noValidate>
      <FormMessage error={error && !error.fieldErrors ? error.message : undefined} />
      <input type="hidden" name="orgSlug" value={props.orgSlug} />
      <div className="flex flex-col gap-1">
        <label htmlFor="field-registrationNumber" className="text-sm font-medium">
          Trial
        </label>
        <select
          id="field-registrationNumber"
          name="registrationNumber"
          defaultValue={props.initialTrial ?? props.trials[0]?.registrationNumber}
          aria-invalid={trialErrors ? true : undefined}
          aria-describedby={trialErrors ? "field-registrationNumber-error" : undefined}
          className="rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
        >
          {props.trials.map((t) => (
            <option key={t.registrationNumber} value={t.registrationNumber}>
              {t.registrationNumber} — {t.title}
            </option>
          ))}
        </select>
        {trialErrors ? (
          <p id="field-registrationNumber-error" className="text-sm text-red-700 dark:text-red-400">
            {trialErrors.join(" ")}
          </p>
        ) : null}
      </div>
      <Field name="title" label="Dataset title" required maxLength={300} errors={error?.fieldErrors?.title} hint="For example: “Week-12 blood pressure and safety data, per visit”." />
      <SubmitButton pending={pending}>Create dataset</SubmitButton>
    </form>
  );
}
