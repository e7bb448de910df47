"use client";

import { type ReactNode, createContext, useCallback, useContext, useEffect, useRef, useState } from "react";
import { purposeComplete } from "@/app/(researcher)/requests/[number]/form-fields";
import { RequestExplanation, type RequestExplanationData } from "@/app/(researcher)/requests/[number]/request-explanation";
import { explainAction } from "@/lib/access/actions";

/**
 * The explained match of the draft's purpose against each release's conditions and consent items,
 * shared by the purpose section (which reports each change) and the match section (which shows
 * it). A change of the purpose re-runs explainAction on the draft as saved with the purpose as
 * typed, before it is saved, so the researcher sees the effect of an answer at once.
 */

type Explanation = RequestExplanationData;
type Local = { state: "incomplete" } | { state: "explaining" } | { state: "explained"; explanation: Explanation } | { state: "failed"; message: string };

type Context = { purposeChanged: (purpose: Record<string, unknown>) => void; local: Local | null; server: Explanation | null };

const MatchContext = createContext<Context | null>(null);

/** 400 ms: the pause after a click or a word before the match is asked for again. */
const EXPLAIN_DELAY_MS = 400;

export function ExplainedMatchProvider(props: { number: string; savedForm: Record<string, unknown>; explanation: Explanation | null; children: ReactNode }) {
  const { number, savedForm } = props;
  const [local, setLocal] = useState<Local | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef(0);
  /** The purpose as last typed, when it differs from the saved one. */
  const typed = useRef<Record<string, unknown> | null>(null);
  useEffect(() => () => clearTimeout(timer.current), []);

  const purposeChanged = useCallback(
    (purpose: Record<string, unknown>) => {
      clearTimeout(timer.current);
      const asked = ++latest.current;
      if (JSON.stringify(purpose) === JSON.stringify(savedForm.purpose ?? null)) {
        // As saved: the server's explanation (refreshed with every save) is the one.
        typed.current = null;
        return setLocal(null);
      }
      typed.current = purpose;
      if (!purposeComplete(purpose)) return setLocal({ state: "incomplete" });
      setLocal({ state: "explaining" });
      timer.current = setTimeout(() => {
        void explainAction({ number, form: { ...savedForm, purpose } }).then((result) => {
          // An answer to an earlier purpose must not replace the answer to the latest one.
          if (asked !== latest.current) return;
          if (!result.ok) return setLocal({ state: "failed", message: result.error.message });
          // null: the server found the purpose not complete enough to match.
          setLocal(result.data ? { state: "explained", explanation: result.data } : { state: "incomplete" });
        });
      }, EXPLAIN_DELAY_MS);
    },
    [number, savedForm],
  );

  // Another section saved (the institution, the team, a document: each can change a verdict) and
  // the page refreshed: explain the purpose as typed again, against the draft as now saved.
  useEffect(() => {
    if (typed.current) purposeChanged(typed.current);
  }, [purposeChanged]);

  return <MatchContext value={{ purposeChanged, local, server: props.explanation }}>{props.children}</MatchContext>;
}

export function usePurposeChanged(): (purpose: Record<string, unknown>) => void {
  return useContext(MatchContext)?.purposeChanged ?? (() => undefined);
}

/** The match as last explained: for the purpose as typed when it changed, else as saved. */
export function ExplainedMatch() {
  const context = useContext(MatchContext);
  const local = context?.local ?? null;
  const explanation = local?.state === "explained" ? local.explanation : local === null ? (context?.server ?? null) : null;
  return (
    <div className="flex flex-col gap-3">
      <p role="status" aria-live="polite" className="text-sm">
        {local?.state === "explaining"
          ? "Explaining the match for the purpose as you answered it…"
          : local?.state === "explained"
            ? "Explained for the purpose as you answered it (save the purpose to keep it)."
            : ""}
      </p>
      {local?.state === "failed" ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {local.message}
        </p>
      ) : null}
      {local?.state === "incomplete" || (!local && !explanation) ? (
        <p>Answer every question of the research purpose to see how it matches each release&apos;s conditions and the participants&apos; consent.</p>
      ) : null}
      {explanation ? <RequestExplanation explanation={explanation} live={local?.state === "explained"} /> : null}
    </div>
  );
}
