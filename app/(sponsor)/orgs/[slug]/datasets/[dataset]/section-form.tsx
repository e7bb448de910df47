"use client";

import { DictionaryEditor } from "@/app/_components/dictionary-editor";
import { DuoPicker } from "@/app/_components/duo-picker";
import { FormMessage, SubmitButton } from "@/app/_components/field";
import { useDraftAction } from "@/app/(sponsor)/orgs/[slug]/datasets/[dataset]/use-section-save";
import { saveDraftAction } from "@/lib/datasets/actions";
import type { DataDictionary } from "@/lib/datasets/dictionary";
import type { DataUseConditions } from "@/lib/duo/conditions";

type Section =
  | { section: "dictionary"; initial: DataDictionary | undefined }
  | { section: "conditions"; initial: DataUseConditions | undefined };

/**
 * Saves one JSON section of the draft (the dictionary, the DUO conditions): the editor inside
 * keeps its state in a hidden input named `value`, which is sent as it is and validated on the
 * server against the section's schema. The field errors are shown above the editor, by path.
 */
export function SectionForm(props: Section & { datasetNumber: string; submitLabel: string; savedMessage: string }) {
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
      {props.section === "dictionary" ? (
        <DictionaryEditor name="value" initial={props.initial} errors={fieldErrors} fileName={`${props.datasetNumber}-dictionary`} />
      ) : (
        <DuoPicker name="value" initial={props.initial} errors={fieldErrors} />
      )}
      <SubmitButton pending={pending}>{props.submitLabel}</SubmitButton>
    </form>
  );
}
