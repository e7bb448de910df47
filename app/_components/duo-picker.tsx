"use client";

import { useId, useState } from "react";
import { DiseasePicker, type PickedTerm } from "@/app/_components/disease-picker";
import { type DuoValues, conditionsOf, initialValues } from "@/app/_components/duo-draft";
import { MODIFIER_CODES, PERMISSION_CODES, type DataUseConditions, type ModifierCode, type PermissionCode } from "@/lib/duo/conditions";
import { DUO_TERMS } from "@/lib/duo/terms";

type Props = {
  /** The hidden input holding the conditions as JSON, which `dataUseConditions` parses. */
  name: string;
  initial?: DataUseConditions | undefined;
  /** Field errors by path within the conditions ("permission.diseases", "modifiers.TS.months"); a leading "value." is ignored. */
  errors?: Record<string, string[]> | undefined;
};

const inputClass =
  "rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 aria-[invalid=true]:border-red-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100";

/**
 * The data-use conditions of a release in DUO: first one permission (radio buttons; disease-specific
 * research asks for the diseases), then any modifiers (checkboxes), with a field for the value of
 * those that carry one. Everything is kept in one hidden input as JSON, validated on the server.
 */
export function DuoPicker({ name, initial, errors }: Props) {
  const id = useId();
  const [code, setCode] = useState<PermissionCode>(initial?.permission.code ?? "GRU");
  const [diseases, setDiseases] = useState<PickedTerm[]>(
    initial?.permission.code === "DS" ? initial.permission.diseases.map((d) => ({ id: d, label: d })) : [],
  );
  const [on, setOn] = useState<Set<ModifierCode>>(new Set(MODIFIER_CODES.filter((m) => initial?.modifiers[m] !== undefined)));
  const [values, setValues] = useState<DuoValues>(initialValues(initial?.modifiers));

  const errorsAt = (path: string): string[] | undefined => {
    const found = Object.entries(errors ?? {})
      .filter(([key]) => {
        const k = key.replace(/^value\./, "");
        return k === path || k.startsWith(`${path}.`);
      })
      .flatMap(([, messages]) => messages);
    return found.length ? found : undefined;
  };
  const errorText = (path: string, errorId: string) => {
    const messages = errorsAt(path);
    return messages ? (
      <p id={errorId} className="text-sm text-red-700 dark:text-red-400">
        {messages.join(" ")}
      </p>
    ) : null;
  };

  const toggle = (m: ModifierCode) =>
    setOn((current) => {
      const next = new Set(current);
      if (next.has(m)) next.delete(m);
      else next.add(m);
      return next;
    });
  const set = (key: keyof DuoValues) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: e.target.value }));

  /** The value field of a modifier that has one, shown while it is ticked. */
  const valueField = (m: ModifierCode) => {
    const fieldId = `${id}-${m}-value`;
    const errorId = `${fieldId}-error`;
    const invalid = errorsAt(`modifiers.${m}`) ? true : undefined;
    const common = { id: fieldId, "aria-invalid": invalid, "aria-describedby": invalid ? errorId : undefined, className: inputClass };
    const field = (() => {
      switch (m) {
        case "TS":
          return { label: "Months from the access decision", input: <input {...common} type="number" min={1} max={600} inputMode="numeric" value={values.months} onChange={set("months")} /> };
        case "GS":
          return { label: "Countries or regions (ISO codes like NL, BE, or a region such as EU; separated by commas)", input: <input {...common} type="text" value={values.regions} onChange={set("regions")} /> };
        case "MOR":
          return { label: "No publication before", input: <input {...common} type="date" value={values.date} onChange={set("date")} /> };
        case "US":
          return { label: "Users (e-mail addresses or ORCID iDs, one a line)", input: <textarea {...common} rows={3} value={values.users} onChange={set("users")} /> };
        case "PS":
          return { label: "The approved project", input: <textarea {...common} rows={3} value={values.project} onChange={set("project")} /> };
        case "IS":
          return { label: "Institutions (names or ROR ids, one a line)", input: <textarea {...common} rows={3} value={values.institutions} onChange={set("institutions")} /> };
        case "RS":
          return { label: "The research it is restricted to", input: <textarea {...common} rows={3} value={values.topic} onChange={set("topic")} /> };
        default:
          return null;
      }
    })();
    if (!field) return null;
    return (
      <div className="mt-2 ml-6 flex flex-col gap-1">
        <label htmlFor={fieldId} className="text-sm font-medium">
          {field.label}
        </label>
        {field.input}
        {errorText(`modifiers.${m}`, errorId)}
      </div>
    );
  };

  const value = JSON.stringify(conditionsOf(code, diseases.map((d) => d.id), on, values));

  return (
    <div className="flex flex-col gap-6">
      <input type="hidden" name={name} value={value} />
      <fieldset className="flex flex-col gap-2" aria-describedby={errorsAt("permission") ? `${id}-permission-error` : undefined}>
        <legend className="mb-1 text-sm font-semibold">Permission: what research the data may be used for</legend>
        {PERMISSION_CODES.map((p) => {
          const term = DUO_TERMS[p];
          return (
            <label key={p} className="flex items-start gap-2 text-sm">
              <input type="radio" name={`${id}-permission`} value={p} className="mt-1" checked={code === p} onChange={() => setCode(p)} />
              <span>
                <span className="font-medium">{term.label}</span> <span className="font-mono text-xs">({term.code}, {term.id})</span>
                <span className="block text-slate-600 dark:text-slate-400">{term.description}</span>
              </span>
            </label>
          );
        })}
        {code === "DS" ? (
          <div className="ml-6">
            <DiseasePicker label="Diseases the research must be about (Mondo)" initial={diseases} max={20} onChange={setDiseases} errors={errorsAt("permission.diseases")} hint="Research on their subtypes is allowed too." />
          </div>
        ) : null}
        {code !== "DS" ? errorText("permission", `${id}-permission-error`) : null}
      </fieldset>
      <fieldset className="flex flex-col gap-3">
        <legend className="mb-1 text-sm font-semibold">Modifiers: further conditions (optional)</legend>
        {MODIFIER_CODES.map((m) => {
          const term = DUO_TERMS[m];
          return (
            <div key={m}>
              <label className="flex items-start gap-2 text-sm">
                <input type="checkbox" className="mt-1" checked={on.has(m)} onChange={() => toggle(m)} />
                <span>
                  <span className="font-medium">{term.label}</span> <span className="font-mono text-xs">({term.code}, {term.id})</span>
                  <span className="block text-slate-600 dark:text-slate-400">{term.description}</span>
                </span>
              </label>
              {on.has(m) ? valueField(m) : null}
            </div>
          );
        })}
      </fieldset>
    </div>
  );
}
