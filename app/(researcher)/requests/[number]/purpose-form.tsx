"use client";

import { useRef, useState } from "react";
import { DiseasePicker, type PickedTerm } from "@/app/_components/disease-picker";
import { FormMessage, SubmitButton } from "@/app/_components/field";
import { InlineError, RadioGroup, SaveStatus, TextControl, YES_NO, yesNoValue } from "@/app/(researcher)/requests/[number]/controls";
import { usePurposeChanged } from "@/app/(researcher)/requests/[number]/explained-match";
import { CATEGORY_LABELS, errorsOf, fieldId, fieldSpec, placeErrors, purposeOf } from "@/app/(researcher)/requests/[number]/form-fields";
import { useDraftAction } from "@/app/(sponsor)/orgs/[slug]/datasets/[dataset]/use-section-save";
import { saveRequestAction } from "@/lib/access/actions";
import { PURPOSE_CATEGORIES, PURPOSE_FLAGS, PURPOSE_FLAG_NAMES } from "@/lib/duo/purpose";

type SavedPurpose = { category?: string; diseases?: string[]; flags?: Record<string, boolean | undefined>; other?: string } | undefined;

const CATEGORY_OPTIONS = PURPOSE_CATEGORIES.map((code) => ({ value: code, label: CATEGORY_LABELS[code].label, hint: CATEGORY_LABELS[code].hint }));

/**
 * The research purpose in DUOS's terms: the kind of research (a DUO permission), the diseases for
 * disease-specific research, and a yes or no to every purpose flag (an unanswered flag cannot be
 * matched, so none is preset). Each change re-explains the match; saving keeps it.
 */
export function PurposeForm(props: { number: string; initial: SavedPurpose; diseaseLabels: Record<string, string> }) {
  const { pending, error, done, submit } = useDraftAction(saveRequestAction);
  const purposeChanged = usePurposeChanged();
  const formRef = useRef<HTMLFormElement>(null);
  const [category, setCategory] = useState(props.initial?.category);
  const [diseases, setDiseases] = useState<string[]>(props.initial?.diseases ?? []);
  const fe = error?.fieldErrors;
  const foreign = fe ? placeErrors(fe).unplaced : [];

  const current = (override?: { diseases?: string[] }) => {
    if (!formRef.current) return null;
    const { purpose } = purposeOf(new FormData(formRef.current));
    // The picker's hidden inputs render after its onChange: its list (or the state) is the one to trust.
    return { ...purpose, diseases: purpose.category === "DS" ? (override?.diseases ?? diseases) : [] };
  };

  return (
    <form
      ref={formRef}
      className="flex flex-col gap-5"
      noValidate
      onChange={() => {
        const purpose = current();
        if (purpose) purposeChanged(purpose);
      }}
      onSubmit={(event) => {
        event.preventDefault();
        const purpose = current();
        if (purpose) submit({ number: props.number, form: { purpose } });
      }}
    >
      <FormMessage error={error && (!fe || foreign.length) ? [error.message, ...foreign].join(" ") : undefined} />
      <RadioGroup
        path="purpose.category"
        legend="What kind of research is it?"
        options={CATEGORY_OPTIONS}
        initial={props.initial?.category}
        errors={errorsOf(fe, "purpose.category")}
        onChange={setCategory}
      />
      {category === "DS" ? (
        <div id={fieldId("purpose.diseases")} tabIndex={-1}>
          <DiseasePicker
            name="purpose.diseases"
            label={fieldSpec("purpose.diseases").label}
            hint="The diseases the research is about; a dataset's disease condition is met by the disease itself or any kind of it."
            initial={diseases.map((id) => ({ id, label: props.diseaseLabels[id] ?? id }))}
            max={20}
            errors={errorsOf(fe, "purpose.diseases")}
            onChange={(terms: PickedTerm[]) => {
              const ids = terms.map((t) => t.id);
              setDiseases(ids);
              const purpose = current({ diseases: ids });
              if (purpose) purposeChanged(purpose);
            }}
          />
        </div>
      ) : (
        <InlineError id={`${fieldId("purpose.diseases")}-error`} errors={errorsOf(fe, "purpose.diseases")} />
      )}
      <fieldset className="flex flex-col gap-4">
        <legend className="mb-2 font-medium">About the research (answer every question)</legend>
        {PURPOSE_FLAG_NAMES.map((name) => (
          <RadioGroup
            key={name}
            path={`purpose.flags.${name}`}
            legend={PURPOSE_FLAGS[name]}
            options={YES_NO}
            initial={yesNoValue(props.initial?.flags?.[name])}
            errors={errorsOf(fe, `purpose.flags.${name}`)}
            inline
          />
        ))}
        <InlineError id={`${fieldId("purpose.flags")}-error`} errors={fe?.["purpose.flags"]} />
      </fieldset>
      <TextControl spec={fieldSpec("purpose.other")} initial={props.initial?.other} errors={errorsOf(fe, "purpose.other")} rows={3} />
      <div className="flex flex-wrap items-center gap-4">
        <SubmitButton pending={pending}>Save the purpose</SubmitButton>
        <SaveStatus pending={pending} savedAt={done?.savedAt} />
      </div>
    </form>
  );
}
