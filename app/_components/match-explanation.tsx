import { useId } from "react";
import type { MatchResult, Verdict } from "@/lib/duo/match";

/**
 * A match of a research purpose against one release's conditions (or one side of a consent item),
 * for the researcher before submitting and for the committee: the overall verdict in a sentence,
 * then each condition with its verdict as a word, a symbol and a colour (never the colour alone)
 * and the matcher's reason. No hooks but useId and no function props, so a server page and the
 * client form that re-matches as the researcher types render it alike.
 */

type Look = { word: string; symbol: string; tone: string };

const LOOKS: Record<Verdict, Look> = {
  met: {
    word: "Met",
    symbol: "✓",
    tone: "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100",
  },
  "not-met": {
    word: "Not met",
    symbol: "✗",
    tone: "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100",
  },
  committee: {
    word: "For the committee",
    symbol: "?",
    tone: "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100",
  },
  acknowledge: {
    word: "To acknowledge",
    symbol: "!",
    tone: "border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100",
  },
};

/** How a verdict is shown: its word, its symbol (hidden from screen readers, which read the word) and its colours. */
export function verdictLook(verdict: Verdict): Look {
  return LOOKS[verdict];
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The overall verdict in one sentence, with the counts that make it: "Not met: 1 condition is not
 * met, so the request cannot be approved as it stands." An empty result has nothing to meet.
 */
export function matchSummary(result: MatchResult): string {
  const of = (v: Verdict) => result.conditions.filter((c) => c.verdict === v).length;
  const acknowledge = of("acknowledge");
  const also = acknowledge ? `; ${count(acknowledge, "obligation", "obligations")} to acknowledge` : "";
  switch (result.verdict) {
    case "not-met":
      return `Not met: ${count(of("not-met"), "condition is", "conditions are")} not met, so the request cannot be approved as it stands.`;
    case "committee":
      return `For the committee: ${count(of("committee"), "condition needs", "conditions need")} the committee's judgment${also}.`;
    default:
      return result.conditions.length === 0 ? "Met: no condition applies." : `Met: every condition is met${also}.`;
  }
}

type Props = {
  result: MatchResult;
  /** What was matched: "Conditions of release 2 of the blood-pressure dataset". */
  title: string;
  /** The heading level that fits the page's outline. */
  level?: 2 | 3 | 4;
  /** Announce changes (the request form, which re-matches as the researcher types). */
  live?: boolean;
};

export function MatchExplanation({ result, title, level = 3, live = false }: Props) {
  const id = useId();
  const Heading = `h${level}` as const;
  const overall = verdictLook(result.verdict);
  return (
    <section aria-labelledby={`${id}-title`} className="flex flex-col gap-2 text-sm" data-testid="match-explanation" data-verdict={result.verdict}>
      <Heading id={`${id}-title`} className="font-medium break-words">
        {title}
      </Heading>
      <p role={live ? "status" : undefined} className={`rounded-md border p-2 ${overall.tone}`}>
        <span aria-hidden="true">{overall.symbol} </span>
        {matchSummary(result)}
      </p>
      {result.conditions.length ? (
        <ul aria-label={`Each condition of: ${title}`} className="flex flex-col gap-2">
          {result.conditions.map((c, i) => {
            const look = verdictLook(c.verdict);
            return (
              <li key={`${c.code}-${i}`} className="flex flex-col gap-1 rounded-md border border-slate-200 p-2 sm:flex-row sm:items-start sm:gap-3 dark:border-slate-700">
                <span className={`inline-flex w-fit shrink-0 items-center gap-1 rounded border px-1.5 py-0.5 text-xs font-medium ${look.tone}`}>
                  <span aria-hidden="true">{look.symbol}</span>
                  {look.word}
                </span>
                <p className="min-w-0 break-words">
                  {c.reason} <span className="font-mono text-xs whitespace-nowrap text-slate-600 dark:text-slate-400">{c.id}</span>
                </p>
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}
