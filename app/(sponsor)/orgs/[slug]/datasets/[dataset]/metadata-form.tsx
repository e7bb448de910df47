"use client";

import { DiseasePicker } from "@/app/_components/disease-picker";
import { Field, FormMessage, SubmitButton } from "@/app/_components/field";
import { useDraftAction } from "@/app/(sponsor)/orgs/[slug]/datasets/[dataset]/use-section-save";
import { saveDraftAction } from "@/lib/datasets/actions";
import { LICENCES } from "@/lib/datasets/schema";

type Metadata = { description?: string; keywords?: string[]; licence?: string; licenceText?: string; conditions?: string[]; releaseNotes?: string };

const LICENCE_LABELS: Record<(typeof LICENCES)[number], string> = {
  "CC-BY-4.0": "CC BY 4.0 (attribution)",
  "CC-BY-NC-4.0": "CC BY-NC 4.0 (attribution, non-commercial)",
  "CC0-1.0": "CC0 1.0 (no rights reserved)",
  custom: "Another licence (name it below)",
};

const inputClass =
  "rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 aria-[invalid=true]:border-red-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100";

/** The release's description, keywords, licence, Mondo-coded conditions and release notes. */
export function MetadataForm(props: { datasetNumber: string; release: number; initial: Metadata; conditionLabels: Record<string, string> }) {
  const { pending, error, done, submit } = useDraftAction(saveDraftAction);
  const fe = error?.fieldErrors;
  const errorOf = (key: string) => fe?.[`value.${key}`] ?? fe?.[key];
  return (
    <form
      className="flex flex-col gap-4"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const text = (key: string) => {
          const value = form.get(key);
          return typeof value === "string" ? value.trim() : "";
        };
        const keywords = text("keywords")
          .split(",")
          .map((k) => k.trim())
          .filter(Boolean);
        submit({
          datasetNumber: props.datasetNumber,
          section: "metadata",
          value: {
            description: text("description"),
            keywords,
            licence: text("licence"),
            ...(text("licenceText") ? { licenceText: text("licenceText") } : {}),
            conditions: form.getAll("conditions").map(String),
            releaseNotes: text("releaseNotes"),
          },
        });
      }}
    >
      <FormMessage error={error && !fe ? error.message : undefined} success={done ? "Description saved." : undefined} />
      <div className="flex flex-col gap-1">
        <label htmlFor="field-description" className="text-sm font-medium">
          Description
        </label>
        <textarea
          id="field-description"
          name="description"
          rows={5}
          defaultValue={props.initial.description}
          aria-invalid={errorOf("description") ? true : undefined}
          aria-describedby={errorOf("description") ? "field-description-error" : undefined}
          className={inputClass}
        />
        {errorOf("description") ? (
          <p id="field-description-error" className="text-sm text-red-700 dark:text-red-400">
            {errorOf("description")?.join(" ")}
          </p>
        ) : null}
      </div>
      <Field name="keywords" label="Keywords" hint="Separated by commas." defaultValue={props.initial.keywords?.join(", ")} errors={errorOf("keywords")} />
      <div className="flex flex-col gap-1">
        <label htmlFor="field-licence" className="text-sm font-medium">
          Licence
        </label>
        <select id="field-licence" name="licence" defaultValue={props.initial.licence ?? "CC-BY-4.0"} className={inputClass}>
          {LICENCES.map((l) => (
            <option key={l} value={l}>
              {LICENCE_LABELS[l]}
            </option>
          ))}
        </select>
      </div>
      <Field name="licenceText" label="Licence name or address (for another licence)" defaultValue={props.initial.licenceText} errors={errorOf("licenceText")} />
      <DiseasePicker
        name="conditions"
        label="Conditions the data is about (Mondo)"
        initial={(props.initial.conditions ?? []).map((id) => ({ id, label: props.conditionLabels[id] ?? id }))}
        max={20}
        errors={errorOf("conditions")}
      />
      <div className="flex flex-col gap-1">
        <label htmlFor="field-releaseNotes" className="text-sm font-medium">
          Release notes{props.release > 1 ? " (what changed since the previous release)" : " (optional for the first release)"}
        </label>
        <textarea id="field-releaseNotes" name="releaseNotes" rows={3} defaultValue={props.initial.releaseNotes} className={inputClass} />
      </div>
      <SubmitButton pending={pending}>Save description</SubmitButton>
    </form>
  );
}
