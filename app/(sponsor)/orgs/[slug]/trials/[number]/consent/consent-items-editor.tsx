"use client";

import { ErrorSummary } from "@/app/_components/error-summary";
import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useRef, useState, useTransition } from "react";
import { saveConsentItemsAction } from "@/lib/consent/actions";
import { DUO_IDS, DUO_TERMS, type DuoId, duoLabel } from "@/lib/consent/duo";

/**
 * The consent items of a trial, edited as a whole: saving makes a new version when anything
 * changed. An existing item keeps its number (its bit in every participant's decision), so it is
 * sent back with the item; new items go without one and the portal numbers them. Validation is
 * the server's (consentItemsInput and saveConsentItems), so the page and the action cannot disagree.
 */

export type EditorItem = { number: number; text: string; ifGranted: DuoId[]; ifWithheld: DuoId[] };

type DraftItem = { key: string; number: number | undefined; text: string; ifGranted: DuoId[]; ifWithheld: DuoId[] };
type Side = "ifGranted" | "ifWithheld";
type Failure = { message: string; fieldErrors: Record<string, string[]> };

const SIDES: { side: Side; other: Side; label: string; otherLabel: string }[] = [
  { side: "ifGranted", other: "ifWithheld", label: "applies when granted", otherLabel: "withheld" },
  { side: "ifWithheld", other: "ifGranted", label: "applies when withheld", otherLabel: "granted" },
];
const GROUPS = [
  { legend: "Permissions", ids: DUO_IDS.filter((id) => DUO_TERMS[id].kind === "permission") },
  { legend: "Modifiers", ids: DUO_IDS.filter((id) => DUO_TERMS[id].kind === "modifier") },
];
/** The parts of an item that have their own element; anything else (its number) is placed on the item. */
const FIELD_NAMES: Record<string, string> = { text: "text", ifGranted: "applies when granted", ifWithheld: "applies when withheld" };

const toDraft = (items: EditorItem[]): DraftItem[] =>
  items.length === 0
    ? [{ key: "new-0", number: undefined, text: "", ifGranted: [], ifWithheld: [] }]
    : items.map((item) => ({ ...item, key: `item-${item.number}` }));

const idOf = (place: string) => `consent-item-${place.replaceAll(".", "-")}`;

/** "0.ifGranted.2" → "0.ifGranted"; "_form" and anything not about one item → undefined. */
function placeOf(key: string, count: number): string | undefined {
  const [index, field] = key.split(".");
  const i = Number(index);
  if (index === undefined || !/^\d+$/.test(index) || i >= count) return undefined;
  return field && Object.hasOwn(FIELD_NAMES, field) ? `${i}.${field}` : `${i}`;
}

function labelOf(place: string): string {
  const [index, field] = place.split(".");
  const item = `Consent item ${Number(index) + 1}`;
  return field ? `${item}: ${FIELD_NAMES[field] ?? field}` : item;
}

const inputClass =
  "rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 aria-[invalid=true]:border-red-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100";
const buttonClass =
  "rounded-md border border-slate-400 px-3 py-1 text-sm hover:bg-slate-100 dark:border-slate-500 dark:hover:bg-slate-800";

export function ConsentItemsEditor({ registrationNumber, version, items }: { registrationNumber: string; version: number | null; items: EditorItem[] }) {
  const router = useRouter();
  const [draft, setDraft] = useState<DraftItem[]>(() => toDraft(items));
  const [basis, setBasis] = useState(version);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [saved, setSaved] = useState<number | null>(null);
  const [pending, startTransition] = useTransition();
  const summaryRef = useRef<HTMLDivElement>(null);
  const nextKey = useRef(1);

  // A new version arrived (after saving, the page is refreshed): edit it, with the numbers the
  // portal gave the new items, or saving again would add them a second time.
  if (basis !== version) {
    setBasis(version);
    setDraft(toDraft(items));
  }

  useEffect(() => {
    if (failure) summaryRef.current?.focus();
  }, [failure]);

  const placed = new Map<string, string[]>();
  const unplaced: string[] = [];
  for (const [key, messages] of Object.entries(failure?.fieldErrors ?? {})) {
    const place = placeOf(key, draft.length);
    if (place) placed.set(place, [...(placed.get(place) ?? []), ...messages]);
    else unplaced.push(...messages);
  }

  const update = (index: number, change: (item: DraftItem) => DraftItem) => setDraft((all) => all.map((item, i) => (i === index ? change(item) : item)));
  const toggle = (index: number, side: Side, id: DuoId) =>
    update(index, (item) => ({ ...item, [side]: item[side].includes(id) ? item[side].filter((x) => x !== id) : [...item[side], id] }));
  const add = () => setDraft((all) => [...all, { key: `new-${nextKey.current++}`, number: undefined, text: "", ifGranted: [], ifWithheld: [] }]);
  const remove = (index: number) => {
    setDraft((all) => all.filter((_, i) => i !== index));
    // Errors are placed by position, which has just changed.
    setFailure((f) => (f ? { message: f.message, fieldErrors: {} } : f));
  };

  const errorText = (place: string) => {
    const messages = placed.get(place);
    return messages ? (
      <p id={`${idOf(place)}-error`} className="text-sm text-red-700 dark:text-red-400">
        {messages.join(" ")}
      </p>
    ) : null;
  };
  const describedBy = (...ids: (string | false | undefined)[]) => ids.filter(Boolean).join(" ") || undefined;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(null);
    const payload = draft.map(({ number, text, ifGranted, ifWithheld }) =>
      number === undefined ? { text, ifGranted, ifWithheld } : { number, text, ifGranted, ifWithheld },
    );
    startTransition(async () => {
      const result = await saveConsentItemsAction({ registrationNumber, items: payload, basedOnVersion: basis ?? 0 });
      if (!result.ok) {
        setFailure({ message: result.error.message, fieldErrors: result.error.fieldErrors ?? {} });
        return;
      }
      setFailure(null);
      setSaved(result.data.version);
      router.refresh();
    });
  }

  const summaryItems = [...placed.entries()];

  return (
    <form onSubmit={submit} noValidate aria-label="Consent items" className="flex flex-col gap-5">
      <p className="text-sm">
        Write each item as the participant will read it, then choose the GA4GH Data Use Ontology (DUO) terms that follow from their answer. For example,
        “Research on other diseases”: granted → GRU, withheld → DS; “Commercial use”: withheld → NCU.
      </p>

      {failure ? (
        <ErrorSummary
          ref={summaryRef}
          id="consent-items-errors"
          notSaved="The items were not saved"
          message={`The items were not saved. ${failure.message}`}
          fields={summaryItems}
          unplaced={unplaced}
          idOf={idOf}
          labelOf={labelOf}
          headingLevel={3}
        />
      ) : null}

      {draft.map((item, i) => {
        const name = `Consent item ${i + 1}`;
        const textHint = `${idOf(`${i}.text`)}-hint`;
        return (
          <fieldset
            key={item.key}
            id={idOf(`${i}`)}
            tabIndex={-1}
            aria-describedby={placed.has(`${i}`) ? `${idOf(`${i}`)}-error` : undefined}
            className="flex flex-col gap-4 rounded-lg border border-slate-200 p-4 dark:border-slate-700"
          >
            <legend className="px-1 font-semibold">{name}</legend>
            {item.number === undefined ? null : <input type="hidden" name={`items.${i}.number`} value={item.number} />}
            <p className="text-xs text-slate-600 dark:text-slate-400">
              {item.number === undefined
                ? "New item: the portal numbers it when you save."
                : `Item number ${item.number}: it keeps this number, so answers already given to it still count while its words stay the same.`}
            </p>
            {errorText(`${i}`)}

            <div className="flex flex-col gap-1">
              <label htmlFor={idOf(`${i}.text`)} className="text-sm font-medium">
                {name}: text
              </label>
              <textarea
                id={idOf(`${i}.text`)}
                name={`items.${i}.text`}
                rows={3}
                className={inputClass}
                value={item.text}
                onChange={(e) => update(i, (it) => ({ ...it, text: e.target.value }))}
                aria-invalid={placed.has(`${i}.text`) ? true : undefined}
                aria-describedby={describedBy(textHint, placed.has(`${i}.text`) && `${idOf(`${i}.text`)}-error`)}
              />
              <p id={textHint} className="text-xs text-slate-600 dark:text-slate-400">
                One plain-language sentence or short paragraph. Changing the words asks every participant to answer the item again.
              </p>
              {errorText(`${i}.text`)}
            </div>

            <div className="grid gap-4 md:grid-cols-2">
              {SIDES.map(({ side, other, label, otherLabel }) => {
                const place = `${i}.${side}`;
                return (
                  <fieldset
                    key={side}
                    id={idOf(place)}
                    tabIndex={-1}
                    aria-describedby={placed.has(place) ? `${idOf(place)}-error` : undefined}
                    className="flex flex-col gap-3 rounded-md border border-slate-200 p-3 dark:border-slate-700"
                  >
                    <legend className="px-1 text-sm font-medium">
                      {name}: {label}
                    </legend>
                    {errorText(place)}
                    {GROUPS.map((group) => (
                      <fieldset key={group.legend} className="flex flex-col gap-1">
                        <legend className="text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-400">{group.legend}</legend>
                        {group.ids.map((id) => {
                          const taken = item[other].includes(id);
                          return (
                            <label key={id} className={`flex items-start gap-2 text-sm ${taken ? "text-slate-500 dark:text-slate-500" : ""}`}>
                              <input
                                type="checkbox"
                                name={`items.${i}.${side}`}
                                value={id}
                                className="mt-1"
                                checked={item[side].includes(id)}
                                disabled={taken}
                                onChange={() => toggle(i, side, id)}
                              />
                              <span>
                                <span className="font-mono">{duoLabel(id)}</span> — {DUO_TERMS[id].label}
                                {taken ? ` (applies when ${otherLabel})` : null}
                              </span>
                            </label>
                          );
                        })}
                      </fieldset>
                    ))}
                  </fieldset>
                );
              })}
            </div>

            <div>
              <button type="button" className={buttonClass} onClick={() => remove(i)} disabled={draft.length === 1}>
                Remove consent item {i + 1}
              </button>
            </div>
          </fieldset>
        );
      })}

      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className={buttonClass} onClick={add}>
          Add a consent item
        </button>
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800 disabled:opacity-60 dark:bg-sky-600 dark:hover:bg-sky-500"
        >
          {pending ? "Saving…" : "Save consent items"}
        </button>
      </div>

      <div role="status">
        {saved !== null ? (
          <p className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100">
            Saved as version {saved}. Participants who answered an earlier version will be asked to confirm again.
          </p>
        ) : null}
      </div>
    </form>
  );
}
