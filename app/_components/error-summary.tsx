import type { Ref } from "react";

/**
 * The error summary at the top of a long form (GOV.UK pattern): announced as an alert, focusable
 * (the form moves focus here after a failed submit), with a link to each field that needs attention
 * and the messages that belong to no field.
 */
export function ErrorSummary(props: {
  id: string;
  /** "The record was not saved", "The items were not saved". */
  notSaved: string;
  /** Used when no field is named. */
  message: string;
  fields: [place: string, messages: string[]][];
  unplaced: string[];
  idOf: (place: string) => string;
  labelOf: (place: string) => string;
  headingLevel: 2 | 3;
  ref?: Ref<HTMLDivElement>;
}) {
  const Heading = props.headingLevel === 2 ? "h2" : "h3";
  const count = props.fields.length;
  return (
    <div
      ref={props.ref}
      tabIndex={-1}
      role="alert"
      aria-labelledby={props.id}
      className="rounded-md border border-red-300 bg-red-50 p-4 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
    >
      <Heading id={props.id} className="font-semibold">
        {count ? `${props.notSaved}: ${count === 1 ? "1 field needs" : `${count} fields need`} attention.` : props.message}
      </Heading>
      {count || props.unplaced.length ? (
        <ul className="mt-2 list-disc pl-5">
          {props.fields.map(([place, messages]) => (
            <li key={place}>
              <a href={`#${props.idOf(place)}`} className="underline">
                {props.labelOf(place)}: {messages.join(" ")}
              </a>
            </li>
          ))}
          {props.unplaced.map((message, i) => (
            <li key={`unplaced-${i}`}>{message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
