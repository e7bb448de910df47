import type { ReactNode } from "react";
import { type FieldSpec, fieldId } from "@/app/(researcher)/requests/[number]/form-fields";

/**
 * The request form's controls, named by the field's path and wired for screen readers: the label,
 * the hint and the inline error by aria-describedby; radio groups as a fieldset with a legend.
 */

export const inputClass =
  "w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 aria-[invalid=true]:border-red-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100";
export const secondaryButtonClass =
  "rounded-md border border-slate-400 px-3 py-1 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600 disabled:opacity-60 dark:border-slate-500 dark:hover:bg-slate-800";

const describedBy = (...ids: Array<string | false | undefined>) => ids.filter(Boolean).join(" ") || undefined;

function Hint({ id, children }: { id: string; children: ReactNode }) {
  return (
    <p id={id} className="text-xs text-slate-600 dark:text-slate-400">
      {children}
    </p>
  );
}

export function InlineError({ id, errors }: { id: string; errors: string[] | undefined }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className="text-sm text-red-700 dark:text-red-400">
      {errors.join(" ")}
    </p>
  );
}

/** A single line (or, for `text`, a textarea) for one field of the form. */
export function TextControl({ spec, initial, errors, rows }: { spec: FieldSpec; initial: string | undefined; errors: string[] | undefined; rows?: number }) {
  const id = fieldId(spec.path);
  const hintId = spec.hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  const common = {
    id,
    name: spec.path,
    defaultValue: initial,
    "aria-invalid": errors?.length ? true : undefined,
    "aria-describedby": describedBy(hintId, errorId),
    className: inputClass,
  } as const;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {spec.label}
      </label>
      {spec.kind === "text" ? (
        <textarea {...common} rows={rows ?? 4} />
      ) : spec.kind === "months" ? (
        <input {...common} type="number" inputMode="numeric" min={1} max={120} className={`${inputClass} max-w-32`} />
      ) : spec.kind === "country" ? (
        <input {...common} type="text" maxLength={2} autoComplete="country" className={`${inputClass} max-w-24 uppercase`} />
      ) : (
        <input {...common} type="text" />
      )}
      {hintId ? <Hint id={hintId}>{spec.hint}</Hint> : null}
      <InlineError id={`${id}-error`} errors={errors} />
    </div>
  );
}

export type RadioOption = { value: string; label: string; hint?: string };

/**
 * A radio group in a fieldset whose legend is the question. The first radio carries the field's
 * id, so the error summary's link lands on the group.
 */
export function RadioGroup(props: {
  path: string;
  legend: string;
  options: readonly RadioOption[];
  initial: string | undefined;
  errors: string[] | undefined;
  inline?: boolean;
  onChange?: (value: string) => void;
}) {
  const id = fieldId(props.path);
  const errorId = props.errors?.length ? `${id}-error` : undefined;
  return (
    <fieldset className="flex flex-col gap-1" aria-describedby={errorId} aria-invalid={errorId ? true : undefined}>
      <legend className="mb-1 text-sm font-medium">{props.legend}</legend>
      <div className={props.inline ? "flex flex-wrap gap-x-6 gap-y-1" : "flex flex-col gap-2"}>
        {props.options.map((option, i) => {
          const optionId = i === 0 ? id : `${id}-${option.value}`;
          return (
            <div key={option.value} className="flex items-start gap-2">
              <input
                id={optionId}
                type="radio"
                name={props.path}
                value={option.value}
                defaultChecked={props.initial === option.value}
                onChange={props.onChange ? () => props.onChange?.(option.value) : undefined}
                aria-describedby={option.hint ? `${optionId}-hint` : undefined}
                className="mt-1 size-4"
              />
              <label htmlFor={optionId} className="text-sm">
                {option.label}
                {option.hint ? (
                  <span id={`${optionId}-hint`} className="block text-xs text-slate-600 dark:text-slate-400">
                    {option.hint}
                  </span>
                ) : null}
              </label>
            </div>
          );
        })}
      </div>
      <InlineError id={`${id}-error`} errors={props.errors} />
    </fieldset>
  );
}

export const YES_NO: readonly RadioOption[] = [
  { value: "yes", label: "Yes" },
  { value: "no", label: "No" },
];

/** true → "yes", false → "no", unanswered → undefined. */
export const yesNoValue = (value: unknown) => (value === true ? "yes" : value === false ? "no" : undefined);

/** The section's save state, announced politely: "Saving…", "Saved at 16:42". */
export function SaveStatus({ pending, savedAt }: { pending: boolean; savedAt: string | undefined }) {
  const time = savedAt ? new Date(savedAt).toISOString().slice(11, 16) : undefined;
  return (
    <p role="status" aria-live="polite" className="text-sm text-slate-700 dark:text-slate-300">
      {pending ? "Saving…" : time ? `Saved at ${time} UTC.` : ""}
    </p>
  );
}
