import type { Ref } from "react";

/**
 * One choice among a few, as a fieldset whose legend names the question, with its error said
 * beside the options and tied to the group (aria-describedby). Each option's id is
 * `${name}-${value}`, so an error summary can link to the first one. For client forms.
 */
export function RadioGroup<V extends string>(props: {
  name: string;
  legend: string;
  options: ReadonlyArray<readonly [value: V, label: string]>;
  value: V | undefined;
  onChange: (value: V) => void;
  errors?: string[] | undefined;
  /** The first option, for a form that moves focus to the group after a failure. */
  firstRef?: Ref<HTMLInputElement>;
}) {
  const errorId = props.errors?.length ? `${props.name}-error` : undefined;
  return (
    <fieldset className="flex flex-col gap-2" aria-describedby={errorId}>
      <legend className="text-sm font-medium">{props.legend}</legend>
      {props.options.map(([value, label], i) => (
        <label key={value} className="flex items-center gap-2">
          <input
            ref={i === 0 ? props.firstRef : undefined}
            type="radio"
            id={`${props.name}-${value}`}
            name={props.name}
            value={value}
            checked={props.value === value}
            onChange={() => props.onChange(value)}
          />
          {label}
        </label>
      ))}
      {errorId ? (
        <p id={errorId} className="text-sm text-red-700 dark:text-red-400">
          {props.errors?.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}
