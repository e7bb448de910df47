"use client";

import { useEffect, useId, useRef, useState } from "react";

export type PickedTerm = { id: string; label: string };

type Props = {
  /** Each chosen id is sent as a hidden input of this name; absent, the caller keeps the value (onChange). */
  name?: string;
  label: string;
  initial: PickedTerm[];
  max: number;
  hint?: string;
  errors?: string[] | undefined;
  onChange?: (terms: PickedTerm[]) => void;
};

/** 200 ms: a typist's pause between words, so one request goes per word rather than per key. */
const DEBOUNCE_MS = 200;

async function fetchTerms(params: string, signal: AbortSignal): Promise<PickedTerm[]> {
  const response = await fetch(`/api/ontology/terms?${params}`, { signal, headers: { accept: "application/json" } });
  if (!response.ok) return [];
  const body = (await response.json()) as { terms?: PickedTerm[] };
  return body.terms ?? [];
}

/**
 * Choose Mondo diseases by typing part of a name: a WAI-ARIA 1.2 combobox with a list of
 * suggestions (Up/Down move, Enter chooses, Escape closes), the chosen terms shown as removable
 * chips. Suggestions come from GET /api/ontology/terms.
 */
export function DiseasePicker({ name, label, initial, max, hint, errors, onChange }: Props) {
  const id = useId();
  const inputId = `${id}-input`;
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  // The first `initial` only: a parent that rebuilds the array on each render must not reset the picker.
  const [initialTerms] = useState(initial);
  const [chosen, setChosen] = useState<PickedTerm[]>(initialTerms);
  const [text, setText] = useState("");
  const [options, setOptions] = useState<PickedTerm[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState("");
  const inputRef = useRef<HTMLInputElement>(null);

  // Initial ids saved without a label (e.g. from DS diseases): ask the portal for their labels once.
  useEffect(() => {
    const unlabelled = initialTerms.filter((t) => t.label === t.id).map((t) => t.id);
    if (unlabelled.length === 0) return;
    const abort = new AbortController();
    fetchTerms(`ids=${encodeURIComponent(unlabelled.join(","))}`, abort.signal)
      .then((found) => {
        const labels = new Map(found.map((t) => [t.id, t.label]));
        setChosen((current) => current.map((t) => ({ ...t, label: labels.get(t.id) ?? t.label })));
      })
      .catch(() => undefined);
    return () => abort.abort();
  }, [initialTerms]);

  useEffect(() => {
    const q = text.trim();
    if (q === "") {
      setOptions([]);
      setOpen(false);
      return;
    }
    const abort = new AbortController();
    const timer = setTimeout(() => {
      fetchTerms(`q=${encodeURIComponent(q)}`, abort.signal)
        .then((found) => {
          setOptions(found);
          setActive(found.length ? 0 : -1);
          setOpen(true);
          setStatus(found.length === 0 ? "No matching diseases." : `${found.length} ${found.length === 1 ? "suggestion" : "suggestions"}; use the up and down arrows to choose.`);
        })
        .catch(() => undefined);
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [text]);

  const update = (next: PickedTerm[]) => {
    setChosen(next);
    onChange?.(next);
  };

  const choose = (term: PickedTerm) => {
    if (!chosen.some((t) => t.id === term.id) && chosen.length < max) {
      update([...chosen, term]);
      setStatus(`${term.label} added.`);
    }
    setText("");
    setOpen(false);
    setActive(-1);
    inputRef.current?.focus();
  };

  const remove = (term: PickedTerm) => {
    update(chosen.filter((t) => t.id !== term.id));
    setStatus(`${term.label} removed.`);
    inputRef.current?.focus();
  };

  const full = chosen.length >= max;
  const describedBy = [hint ? hintId : undefined, errors?.length ? errorId : undefined].filter(Boolean).join(" ") || undefined;

  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={inputId} className="text-sm font-medium">
        {label}
      </label>
      {chosen.length ? (
        <ul className="flex flex-wrap gap-2" aria-label={`${label}: chosen`}>
          {chosen.map((t) => (
            <li key={t.id} className="flex items-center gap-1 rounded-full border border-slate-300 bg-slate-50 py-0.5 pr-1 pl-3 text-sm dark:border-slate-600 dark:bg-slate-800">
              <span>
                {t.label} <span className="font-mono text-xs text-slate-600 dark:text-slate-400">{t.id}</span>
              </span>
              <button
                type="button"
                onClick={() => remove(t)}
                aria-label={`Remove ${t.label}`}
                className="rounded-full px-2 leading-6 hover:bg-slate-200 focus-visible:outline-2 dark:hover:bg-slate-700"
              >
                ×
              </button>
              {name ? <input type="hidden" name={name} value={t.id} /> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="relative">
        <input
          ref={inputRef}
          id={inputId}
          type="text"
          role="combobox"
          autoComplete="off"
          aria-autocomplete="list"
          aria-expanded={open && options.length > 0}
          aria-controls={listId}
          aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={describedBy}
          disabled={full}
          placeholder={full ? `At most ${max}` : "Type part of a disease name"}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onBlur={() => setOpen(false)}
          onKeyDown={(e) => {
            if (e.key === "ArrowDown") {
              e.preventDefault();
              if (!open && options.length) setOpen(true);
              setActive((i) => Math.min(i + 1, options.length - 1));
            } else if (e.key === "ArrowUp") {
              e.preventDefault();
              setActive((i) => Math.max(i - 1, 0));
            } else if (e.key === "Enter") {
              // Enter chooses; it must not submit the form around the picker.
              const option = open ? options[active] : undefined;
              if (option) {
                e.preventDefault();
                choose(option);
              }
            } else if (e.key === "Escape" && open) {
              e.preventDefault();
              setOpen(false);
            }
          }}
          className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 aria-[invalid=true]:border-red-600 disabled:opacity-60 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100"
        />
        <ul
          id={listId}
          role="listbox"
          aria-label={`${label}: suggestions`}
          hidden={!open || options.length === 0}
          className="absolute z-10 mt-1 max-h-72 w-full overflow-auto rounded-md border border-slate-300 bg-white shadow-lg dark:border-slate-600 dark:bg-slate-900"
        >
          {options.map((t, i) => (
            <li
              key={t.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              // mousedown, not click: the input's blur (which closes the list) comes before click.
              onMouseDown={(e) => {
                e.preventDefault();
                choose(t);
              }}
              className={`cursor-pointer px-3 py-2 text-sm ${i === active ? "bg-sky-100 dark:bg-sky-900" : ""} ${chosen.some((c) => c.id === t.id) ? "text-slate-500" : ""}`}
            >
              {t.label} <span className="font-mono text-xs text-slate-600 dark:text-slate-400">{t.id}</span>
            </li>
          ))}
        </ul>
      </div>
      {hint ? (
        <p id={hintId} className="text-xs text-slate-600 dark:text-slate-400">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={errorId} className="text-sm text-red-700 dark:text-red-400">
          {errors.join(" ")}
        </p>
      ) : null}
      <p role="status" className="sr-only">
        {status}
      </p>
    </div>
  );
}
