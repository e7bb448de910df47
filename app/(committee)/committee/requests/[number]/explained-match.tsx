import { MatchExplanation, matchSummary } from "@/app/_components/match-explanation";
import type { Explanation } from "@/lib/access/explain";

/**
 * The explained match as the committee reads it: the overall verdict, then per release its
 * conditions, and the trial's consent items — for each, what applies to participants who granted
 * it and to those who withheld it (the export keeps only rows whose consent covers the purpose).
 */
export function ExplainedMatch({ explanation }: { explanation: Explanation }) {
  const overall = { verdict: explanation.verdict, conditions: explanation.releases.flatMap((r) => r.conditions.conditions) };
  return (
    <div className="flex flex-col gap-6">
      <p className="font-medium" data-testid="match-overall">
        Overall: {matchSummary(overall)}
      </p>
      {explanation.releases.map((r) => (
        <div key={r.ref} className="flex flex-col gap-4">
          <MatchExplanation result={r.conditions} title={`Conditions of ${r.ref}, ${r.title}`} level={3} />
          {r.consent.length > 0 ? (
            <details className="rounded-md border border-slate-200 p-3 dark:border-slate-700">
              <summary className="cursor-pointer font-medium">
                Consent items of the trial behind {r.ref} ({r.consent.length}{r.consentVersion !== null ? `, consent version ${r.consentVersion}` : ""})
              </summary>
              <ol className="mt-3 flex flex-col gap-4">
                {r.consent.map((item) => (
                  <li key={item.number} className="flex flex-col gap-2">
                    <p className="font-medium">
                      Item {item.number}: “{item.text}”
                    </p>
                    <MatchExplanation result={item.granted} title={`Participants who granted item ${item.number}`} level={4} />
                    <MatchExplanation result={item.withheld} title={`Participants who withheld item ${item.number}`} level={4} />
                  </li>
                ))}
              </ol>
            </details>
          ) : null}
        </div>
      ))}
    </div>
  );
}
