"use client";

import type { ReactNode } from "react";
import { FormMessage, SubmitButton } from "@/app/_components/field";
import { useDraftAction } from "@/app/(sponsor)/orgs/[slug]/datasets/[dataset]/use-section-save";
import { saveDraftAction } from "@/lib/datasets/actions";

/**
 * Saves one JSON section of the draft (the dictionary, the DUO conditions): the editor inside
 * keeps its state in a hidden input named `value`, which is sent as it is and validated on the
 * server against the section's schema. The field errors are shown above the editor, by path.
 */
export function SectionForm(props: { datasetNumber: string; section: "dictionary" | "conditions"; submitLabel: string; savedMessage: string; children: (errors: Record<string, string[]> | undefined) => ReactNode }) {
  const { pending, error, done, submit } = useDraftAction(saveDraftAction);
  const fieldErrors = error?.fieldErrors;
  return (
    <form
      className="flex flex-col gap-4"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const value = new FormData(event.currentTarget).get("value");
        submit({ datasetNumber: props.datasetNumber, section: props.section, value: typeof value === "string" ? value : "" });
      }}
    >
      <FormMessage error={error?.message} success={done ? props.savedMessage : undefined} />
      {fieldErrors ? (
        <ul className="list-disc pl-6 text-sm text-red-700 dark:text-red-400" aria-label="Problems">
          {Object.entries(fieldErrors).map(([place, messages]) => (
            <li key={place}>
              {place === "value" || place === "" ? "" : `${place}: `}
              {messages.join(" ")}
            </li>
          ))}
        </ul>
      ) : null}
      {props.children(fieldErrors)}
      <SubmitButton pending={pending}>{props.submitLabel}</SubmitButton>
    </form>
  );
}
