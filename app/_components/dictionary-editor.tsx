"use client";

import { useId, useMemo, useRef, useState } from "react";
import { saveFile } from "@/app/_components/save-file";
import { COLUMN_TYPES, type ColumnType, type DataDictionary, type DictionaryColumn } from "@/lib/datasets/dictionary";
import { codesFromText, codesToText } from "@/lib/datasets/dictionary-codes";

/**
 * The data dictionary editor: one group of fields per column of the data (name, label, type, unit,
 * allowed codes, required, description), one of them marked as the participant pseudonym; a column
 * marked as a direct identifier says at once that it will be refused. The dictionary can be imported
 * from CSV (or JSON) and downloaded as either, all on the device. Its state is serialised into one
 * hidden input named `name` (JSON), which the form sends and the server validates; `errors` are the
 * server's, keyed by path (`columns.2.type`), shown beside their field.
 */

type Row = {
  key: number;
  name: string;
  label: string;
  type: ColumnType;
  unit: string;
  codes: string;
  required: boolean;
  description: string;
  pseudonym: boolean;
  directIdentifier: boolean;
};

const TYPE_WORDS: Record<ColumnType, string> = {
  integer: "integer (whole number)",
  decimal: "decimal (e.g. 72.5)",
  date: "date (yyyy-mm-dd)",
  code: "code (from a list)",
  text: "text",
  boolean: "boolean (true/false)",
};

let nextKey = 1;
const blank = (): Row => ({ key: nextKey++, name: "", label: "", type: "text", unit: "", codes: "", required: false, description: "", pseudonym: false, directIdentifier: false });

function rowsOf(dictionary: DataDictionary | undefined): Row[] {
  if (!dictionary) return [{ ...blank(), name: "pseudonym", label: "Participant pseudonym", required: true, pseudonym: true }];
  return dictionary.columns.map((c) => ({
    key: nextKey++,
    name: c.name,
    label: c.label,
    type: c.type,
    unit: c.unit ?? "",
    codes: c.codes ? codesToText(c.codes, "\n") : "",
    required: c.required,
    description: c.description ?? "",
    pseudonym: c.pseudonym ?? false,
    directIdentifier: c.directIdentifier ?? false,
  }));
}

/** The rows as the dictionary the server validates: empty optional fields left out, codes only for code columns. */
function dictionaryOf(rows: Row[]): DataDictionary {
  return {
    columns: rows.map((r): DictionaryColumn => ({
      name: r.name.trim(),
      label: r.label,
      type: r.type,
      ...(r.unit.trim() ? { unit: r.unit } : {}),
      ...(r.type === "code" ? { codes: codesFromText(r.codes).codes } : {}),
      required: r.required,
      ...(r.description.trim() ? { description: r.description } : {}),
      ...(r.pseudonym ? { pseudonym: true } : {}),
      ...(r.directIdentifier ? { directIdentifier: true } : {}),
    })),
  };
}

const inputClass =
  "w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-slate-900 aria-[invalid=true]:border-red-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100";
const buttonClass = "rounded-md border border-slate-400 px-3 py-1.5 text-sm hover:bg-slate-100 dark:border-slate-500 dark:hover:bg-slate-800";
const errorClass = "text-sm text-red-700 dark:text-red-400";

export function DictionaryEditor(props: { name: string; initial?: DataDictionary | undefined; errors?: Record<string, string[]> | undefined; fileName?: string }) {
  const id = useId();
  const [rows, setRows] = useState<Row[]>(() => rowsOf(props.initial));
  const [importMessage, setImportMessage] = useState<{ error: string; details: string[] } | { done: string } | null>(null);
  // Server errors name rows by position: once a row is added or removed they point elsewhere, so
  // they are hidden until the next save returns fresh ones.
  const [staleErrors, setStaleErrors] = useState<Record<string, string[]> | undefined>();
  const fileInput = useRef<HTMLInputElement>(null);
  const errors = props.errors && props.errors !== staleErrors ? props.errors : undefined;
  const value = useMemo(() => JSON.stringify(dictionaryOf(rows)), [rows]);
  const base = props.fileName ?? "data-dictionary";

  const update = (key: number, change: Partial<Row>) =>
    setRows((current) =>
      current.map((r) => {
        if (r.key === key) return { ...r, ...change };
        // One pseudonym column: marking one unmarks the others.
        return change.pseudonym ? { ...r, pseudonym: false } : r;
      }),
    );
  const fieldErrors = (i: number, field: keyof DictionaryColumn): string[] => {
    if (!errors) return [];
    const prefix = `columns.${i}.${field}`;
    return Object.entries(errors).flatMap(([place, messages]) => (place === prefix || place.startsWith(`${prefix}.`) ? messages : []));
  };

  function add() {
    const row = blank();
    setStaleErrors(props.errors);
    setRows((current) => [...current, row]);
    requestAnimationFrame(() => document.getElementById(`${id}-${row.key}-name`)?.focus());
  }

  function remove(index: number) {
    setStaleErrors(props.errors);
    setRows((current) => current.filter((_, i) => i !== index));
    // Focus stays in the list: on the next column's remove button, or on "Add a column".
    requestAnimationFrame(() => (document.querySelectorAll<HTMLButtonElement>(`[data-remove="${id}"]`)[index] ?? document.getElementById(`${id}-add`))?.focus());
  }

  async function importFile(file: File) {
    try {
      const text = await file.text();
      const io = await import("@/lib/datasets/dictionary-io");
      const dictionary = /\.json$/i.test(file.name) ? io.dictionaryFromJson(text) : io.dictionaryFromCsv(text);
      setStaleErrors(props.errors);
      setRows(rowsOf(dictionary));
      setImportMessage({ done: `Imported ${dictionary.columns.length} column${dictionary.columns.length === 1 ? "" : "s"} from ${file.name}. Save the dictionary to keep them.` });
    } catch (error) {
      const fields = (error as { fieldErrors?: Record<string, string[]> }).fieldErrors;
      setImportMessage({
        error: `${file.name} was not imported: ${error instanceof Error ? error.message : "it could not be read."}`,
        details: fields ? Object.values(fields).flat() : [],
      });
    }
  }

  async function download(format: "csv" | "json") {
    const io = await import("@/lib/datasets/dictionary-io");
    const dictionary = dictionaryOf(rows);
    if (format === "csv") saveFile(`${base}.csv`, "text/csv;charset=utf-8", io.dictionaryToCsv(dictionary));
    else saveFile(`${base}.json`, "application/json", io.dictionaryToJson(dictionary));
  }

  const formErrors = errors?.columns ?? [];

  return (
    <div className="flex flex-col gap-4">
      <input type="hidden" name={props.name} value={value} />

      <div className="flex flex-wrap items-center gap-2">
        <input
          ref={fileInput}
          id={`${id}-import`}
          type="file"
          accept=".csv,text/csv,.json,application/json"
          aria-label="Dictionary file to import"
          hidden
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            event.currentTarget.value = "";
            if (file) void importFile(file);
          }}
        />
        <button type="button" className={buttonClass} onClick={() => fileInput.current?.click()} aria-describedby={`${id}-import-hint`}>
          Import CSV…
        </button>
        <button type="button" className={buttonClass} onClick={() => void download("csv")}>
          Download CSV
        </button>
        <button type="button" className={buttonClass} onClick={() => void download("json")}>
          Download JSON
        </button>
        <p id={`${id}-import-hint`} className="w-full text-xs text-slate-600 dark:text-slate-400">
          One row per column of the data, with the header name, label, type, unit, codes, required, description, pseudonym, direct_identifier (a JSON
          dictionary is read too). Importing replaces the columns below.
        </p>
      </div>

      <div aria-live="polite">
        {importMessage && "error" in importMessage ? (
          <div role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
            <p>{importMessage.error}</p>
            {importMessage.details.length > 1 ? (
              <ul className="mt-1 list-disc pl-5">
                {importMessage.details.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : importMessage ? (
          <p className="text-sm">{importMessage.done}</p>
        ) : null}
      </div>

      {formErrors.length ? <p className={errorClass}>{formErrors.join(" ")}</p> : null}

      <ol className="flex flex-col gap-3" aria-label="Columns of the data">
        {rows.map((row, i) => {
          const fid = (field: string) => `${id}-${row.key}-${field}`;
          const described = (field: keyof DictionaryColumn, hint?: string) => {
            const list = fieldErrors(i, field);
            return {
              id: fid(field),
              "aria-invalid": list.length ? true : undefined,
              "aria-describedby": [hint, list.length ? fid(`${field}-error`) : undefined].filter(Boolean).join(" ") || undefined,
            } as const;
          };
          const errorOf = (field: keyof DictionaryColumn) => {
            const list = fieldErrors(i, field);
            return list.length ? (
              <p id={fid(`${field}-error`)} className={errorClass}>
                {list.join(" ")}
              </p>
            ) : null;
          };
          const title = row.name.trim() || "(unnamed)";
          return (
            <li key={row.key}>
              <fieldset className="rounded-md border border-slate-200 p-3 dark:border-slate-700">
                <legend className="px-1 text-sm font-medium">
                  Column {i + 1}: <span className="font-mono">{title}</span>
                </legend>
                <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
                  <div className="flex flex-col gap-1">
                    <label htmlFor={fid("name")} className="text-sm font-medium">
                      Name in the file
                    </label>
                    <input
                      {...described("name")}
                      className={`${inputClass} font-mono`}
                      value={row.name}
                      autoComplete="off"
                      spellCheck={false}
                      onChange={(e) => update(row.key, { name: e.target.value })}
                    />
                    {errorOf("name")}
                  </div>
                  <div className="flex flex-col gap-1">
                    <label htmlFor={fid("label")} className="text-sm font-medium">
                      Label
                    </label>
                    <input {...described("label")} className={inputClass} value={row.label} onChange={(e) => update(row.key, { label: e.target.value })} />
                    {errorOf("label")}
                  </div>
                  <div className="flex flex-col gap-1">
                    <label htmlFor={fid("type")} className="text-sm font-medium">
                      Type
                    </label>
                    <select {...described("type")} className={inputClass} value={row.type} onChange={(e) => update(row.key, { type: e.target.value as ColumnType })}>
                      {COLUMN_TYPES.map((t) => (
                        <option key={t} value={t}>
                          {TYPE_WORDS[t]}
                        </option>
                      ))}
                    </select>
                    {errorOf("type")}
                  </div>
                  <div className="flex flex-col gap-1">
                    <label htmlFor={fid("unit")} className="text-sm font-medium">
                      Unit <span className="font-normal text-slate-600 dark:text-slate-400">(optional)</span>
                    </label>
                    <input {...described("unit")} className={inputClass} value={row.unit} placeholder="mmHg" onChange={(e) => update(row.key, { unit: e.target.value })} />
                    {errorOf("unit")}
                  </div>
                  {row.type === "code" ? (
                    <div className="flex flex-col gap-1 sm:col-span-2">
                      <label htmlFor={fid("codes")} className="text-sm font-medium">
                        Allowed codes
                      </label>
                      <textarea
                        {...described("codes", fid("codes-hint"))}
                        className={`${inputClass} font-mono`}
                        rows={3}
                        value={row.codes}
                        spellCheck={false}
                        onChange={(e) => update(row.key, { codes: e.target.value })}
                      />
                      <p id={fid("codes-hint")} className="text-xs text-slate-600 dark:text-slate-400">
                        One per line: the code, a comma, its label (e.g. F, Female).
                      </p>
                      {errorOf("codes")}
                    </div>
                  ) : null}
                  <div className={`flex flex-col gap-1 ${row.type === "code" ? "sm:col-span-2" : "sm:col-span-2 lg:col-span-4"}`}>
                    <label htmlFor={fid("description")} className="text-sm font-medium">
                      Description <span className="font-normal text-slate-600 dark:text-slate-400">(optional)</span>
                    </label>
                    <textarea
                      {...described("description")}
                      className={inputClass}
                      rows={2}
                      value={row.description}
                      onChange={(e) => update(row.key, { description: e.target.value })}
                    />
                    {errorOf("description")}
                  </div>
                </div>
                <div className="mt-3 flex flex-wrap items-center gap-x-5 gap-y-2 text-sm">
                  <label className="flex items-center gap-2">
                    <input type="checkbox" checked={row.required} onChange={(e) => update(row.key, { required: e.target.checked })} />
                    Required (every row has a value)
                  </label>
                  <label className="flex items-center gap-2">
                    <input type="radio" name={`${id}-pseudonym`} checked={row.pseudonym} onChange={() => update(row.key, { pseudonym: true, required: true })} />
                    Participant pseudonym
                  </label>
                  <label className="flex items-center gap-2">
                    <input
                      type="checkbox"
                      checked={row.directIdentifier}
                      aria-describedby={row.directIdentifier || fieldErrors(i, "directIdentifier").length ? fid("directIdentifier-error") : undefined}
                      onChange={(e) => update(row.key, { directIdentifier: e.target.checked })}
                    />
                    Direct identifier (name, address, record number…)
                  </label>
                  <button type="button" data-remove={id} className={`${buttonClass} sm:ml-auto`} onClick={() => remove(i)} aria-label={`Remove column ${i + 1} (${title})`}>
                    Remove
                  </button>
                </div>
                {row.directIdentifier ? (
                  <p id={fid("directIdentifier-error")} role="alert" className={`${errorClass} mt-2`}>
                    “{title}” is a direct identifier: remove it. TrialLedger shares pseudonymised data only.
                  </p>
                ) : (
                  errorOf("directIdentifier")
                )}
                {errorOf("pseudonym")}
                {errorOf("required")}
              </fieldset>
            </li>
          );
        })}
      </ol>

      <div>
        <button type="button" id={`${id}-add`} className={buttonClass} onClick={add}>
          Add a column
        </button>
      </div>
    </div>
  );
}
