import { MatchExplanation } from "@/app/_components/match-explanation";
import type { ItemMatch, MatchResult, Verdict } from "@/lib/duo/match";

/**
 * The explained match of a request (lib/access/explain.ts): per release, its conditions, then
 * each consent item of its trial, for the rows of participants who granted it and of those who
 * withheld it. No hooks and no function props: the submitted page renders it on the server, the
 * draft's match section in the client as the purpose changes.
 */

export type RequestExplanationData = {
  verdict: Exclude<Verdict, "acknowledge">;
  releases: Array<{ ref: string; title: string; verdict: Exclude<Verdict, "acknowledge">; conditions: MatchResult; consent: ItemMatch[]; consentVersion?: number | null }>;
};

const OVERALL: Record<RequestExplanationData["verdict"], string> = {
  met: "Every release's conditions are met by the purpose.",
  "not-met": "A condition is not met: the request cannot be approved as it stands. Change the purpose, or remove the release.",
  committee: "Some conditions are for the committee to judge; none is refused outright.",
};

export function RequestExplanation({ explanation, live = false }: { explanation: RequestExplanationData; live?: boolean }) {
  return (
    <div className="flex flex-col gap-6" data-testid="request-explanation" data-verdict={explanation.verdict}>
      <p className="font-medium">{OVERALL[explanation.verdict]}</p>
      {explanation.releases.map((r) => (
        <div key={r.ref} className="flex flex-col gap-3">
          <MatchExplanation result={r.conditions} title={`Conditions of use of ${r.title} (${r.ref})`} live={live} />
          {r.consent.length ? (
            <details className="text-sm">
              <summary className="cursor-pointer">
                The participants&apos; consent{r.consentVersion ? ` (version ${r.consentVersion})` : ""}: {r.consent.length} {r.consent.length === 1 ? "item" : "items"}
              </summary>
              <div className="mt-2 flex flex-col gap-3 pl-2">
                {r.consent.map((item) => (
                  <div key={item.number} className="flex flex-col gap-2">
                    <MatchExplanation result={item.granted} title={`Item ${item.number}, “${item.text}”: rows of participants who granted it`} level={4} />
                    <MatchExplanation result={item.withheld} title={`Item ${item.number}: rows of participants who withheld it`} level={4} />
                  </div>
                ))}
              </div>
            </details>
          ) : null}
        </div>
      ))}
    </div>
  );
}
