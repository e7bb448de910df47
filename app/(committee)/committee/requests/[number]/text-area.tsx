import type { ReactNode, Ref, TextareaHTMLAttributes } from "react";

/**
 * A labelled textarea with its hint and inline errors wired up for screen readers, like Field
 * (app/_components/field.tsx) for inputs.
 */
export function TextArea({
  id,
  label,
  hint,
  errors,
  ref,
  ...area
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { id: string; label: string; hint?: ReactNode; errors?: string[] | undefined; ref?: Ref<HTMLTextAreaElement> }) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="text-xs text-slate-600 dark:text-slate-400">
          {hint}
        </p>
      ) : null}
      <textarea
        id={id}
        ref={ref}
        rows={4}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 aria-[invalid=true]:border-red-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
        {...area}
      />
      {errorId ? (
        <p id={errorId} className="text-sm text-red-700 dark:text-red-400">
          {errors?.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
