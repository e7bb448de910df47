import "server-only";
import type { RequestRow } from "@/lib/access/data";
import { type RequestDraft, releaseRefOf } from "@/lib/access/schema";
import { listConsentVersions } from "@/lib/consent/data";
import { frozenItems } from "@/lib/consent/schema";
import { dataUseConditions } from "@/lib/duo/conditions";
import { loadDiseaseContext } from "@/lib/duo/disease-context";
import { type DiseaseContext, type ItemMatch, type MatchContext, type MatchResult, type Verdict, diseaseIdsOf, matchConditions, matchConsentItems, overallVerdict } from "@/lib/duo/match";
import { type ResearchPurpose, researchPurpose } from "@/lib/duo/purpose";

/**
 * The explained match of a request's purpose (issue 11, point 2): against each release's DUO
 * conditions and against the consent items of the release's trial (its current consent version).
 * The researcher sees it before submitting, the committee beside the request; export row filtering
 * uses the same matcher per participant (lib/duo/match.ts).
 */

export type ReleaseExplanation = {
  ref: string;
  title: string;
  verdict: Exclude<Verdict, "acknowledge">;
  conditions: MatchResult;
  /** Per consent item: what applies to the rows of participants who granted it, or withheld it. */
  consent: ItemMatch[];
  consentVersion: number | null;
};
export type Explanation = { verdict: Exclude<Verdict, "acknowledge">; releases: ReleaseExplanation[] };

/** What the matcher reads of a request besides its purpose: institution, team, documents, duration. */
export function matchContextOf(request: Pick<RequestRow, "members" | "documents">, form: RequestDraft, purpose: ResearchPurpose, diseases: DiseaseContext): MatchContext {
  return {
    purpose,
    institution: form.institution ?? { name: "", notForProfit: false },
    team: request.members.map((m) => ({ email: m.email })),
    documents: { irb: request.documents.some((d) => d.kind === "irb"), collaborationLetter: request.documents.some((d) => d.kind === "collaboration") },
    requestedMonths: form.months ?? 12,
    diseases,
  };
}

/** The explanation of `form`'s purpose, or null while the purpose is not complete enough to match. */
export async function explainRequest(request: RequestRow, form: RequestDraft): Promise<Explanation | null> {
  const purpose = researchPurpose.safeParse(form.purpose);
  if (!purpose.success) return null;
  const conditions = request.releases.map((r) => dataUseConditions.parse(r.release.conditions));
  const diseases = await loadDiseaseContext(diseaseIdsOf(purpose.data, conditions));
  const context = matchContextOf(request, form, purpose.data, diseases);
  const consentByTrial = new Map<string, { version: number; items: ReturnType<typeof frozenItems.parse> } | null>();
  for (const { release } of request.releases) {
    const trialId = release.dataset.trialId;
    if (consentByTrial.has(trialId)) continue;
    const latest = (await listConsentVersions(trialId)).at(-1);
    consentByTrial.set(trialId, latest ? { version: latest.version, items: frozenItems.parse(latest.items) } : null);
  }
  const releases = request.releases.map(({ release }, i) => {
    const c = conditions[i] ?? dataUseConditions.parse(release.conditions);
    const matched = matchConditions(c, context);
    const consent = consentByTrial.get(release.dataset.trialId) ?? null;
    return {
      ref: releaseRefOf(release.dataset.number, release.number),
      title: release.dataset.title,
      verdict: overallVerdict([matched.verdict]),
      conditions: matched,
      consent: consent ? matchConsentItems(consent.items, c, context) : [],
      consentVersion: consent?.version ?? null,
    };
  });
  return { verdict: overallVerdict(releases.map((r) => r.verdict)), releases };
}
