"use client";

import { FormMessage, SubmitButton } from "@/app/_components/field";
import { RadioGroup, SaveStatus, TextControl, YES_NO, yesNoValue } from "@/app/(researcher)/requests/[number]/controls";
import { errorsOf, fieldSpec, patchOf, placeErrors } from "@/app/(researcher)/requests/[number]/form-fields";
import { useDraftAction } from "@/app/(sponsor)/orgs/[slug]/datasets/[dataset]/use-section-save";
import { saveRequestAction } from "@/lib/access/actions";

/**
 * One section of the request's draft (the summaries, the analysis plan, the institution, the
 * commitments), saved to the server on its own: only its fields are sent, the errors come back
 * beside each field, and the section says when it was last saved. The fields are named by path
 * (form-fields.ts), so the page passes data only.
 */
export function SectionForm(props: { number: string; paths: readonly string[]; initial: Record<string, unknown>; submitLabel: string; rows?: Record<string, number> }) {
  const { pending, error, done, submit } = useDraftAction(saveRequestAction);
  const fe = error?.fieldErrors;
  // An error of no field shown here (e.g. the request is no longer a draft) is the section's message.
  const foreign = fe ? placeErrors(fe).unplaced : [];
  return (
    <form
      className="flex flex-col gap-4"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit({ number: props.number, form: patchOf(props.paths, new FormData(event.currentTarget)) });
      }}
    >
      <FormMessage error={error && (!fe || foreign.length) ? [error.message, ...foreign].join(" ") : undefined} />
      {props.paths.map((path) => {
        const spec = fieldSpec(path);
        const initial = props.initial[path];
        return spec.kind === "yes-no" ? (
          <RadioGroup key={path} path={path} legend={spec.label} options={YES_NO} initial={yesNoValue(initial)} errors={errorsOf(fe, path)} inline />
        ) : (
          <TextControl key={path} spec={spec} initial={typeof initial === "string" || typeof initial === "number" ? String(initial) : undefined} errors={errorsOf(fe, path)} rows={props.rows?.[path]} />
        );
      })}
      <div className="flex flex-wrap items-center gap-4">
        <SubmitButton pending={pending}>{props.submitLabel}</SubmitButton>
        <SaveStatus pending={pending} savedAt={done?.savedAt} />
      </div>
    </form>
  );
}
