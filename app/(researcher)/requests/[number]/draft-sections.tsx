import type { ReactNode } from "react";
import { Agreement } from "@/app/(researcher)/requests/[number]/agreement-text";
import { DocumentUpload } from "@/app/(researcher)/requests/[number]/document-upload";
import { ExplainedMatch, ExplainedMatchProvider } from "@/app/(researcher)/requests/[number]/explained-match";
import { valueAt } from "@/app/(researcher)/requests/[number]/form-fields";
import { PurposeForm } from "@/app/(researcher)/requests/[number]/purpose-form";
import { AddReleaseForm, RemoveReleaseButton } from "@/app/(researcher)/requests/[number]/releases";
import { SectionForm } from "@/app/(researcher)/requests/[number]/section-form";
import { SubmitRequestForm } from "@/app/(researcher)/requests/[number]/submit";
import { InviteMemberForm, RemoveMemberButton } from "@/app/(researcher)/requests/[number]/team";
import type { ResearcherRequest } from "@/app/(researcher)/requests/[number]/view";
import { lowerFirst } from "@/app/(researcher)/requests/words";
import { DEFAULT_MONTHS, DOCUMENT_KINDS, type DocumentKind } from "@/lib/access/schema";

/**
 * The request while the researcher edits it (a draft, or returned for revision): its sections in
 * form order, each saved on its own, then the agreement, the explained match and the submission.
 */

const STEPS = [
  ["section-releases", "Releases"],
  ["section-summaries", "Title and summaries"],
  ["section-purpose", "Research purpose"],
  ["section-plan", "Analysis plan"],
  ["section-documents", "Documents"],
  ["section-team", "Team"],
  ["section-institution", "Institution"],
  ["section-commitments", "Conflicts, funding, publication and duration"],
  ["section-agreement", "Data use agreement"],
  ["section-match", "How the purpose matches"],
  ["section-submit", "Submit"],
] as const;
type StepId = (typeof STEPS)[number][0];

function Step({ id, n, children }: { id: StepId; n: number; children: ReactNode }) {
  const title = STEPS.find(([s]) => s === id)?.[1] ?? "";
  return (
    <section aria-labelledby={id} className="flex flex-col gap-4 rounded-lg border border-slate-200 p-4 sm:p-5 dark:border-slate-700">
      <h2 id={id} tabIndex={-1} className="text-lg font-semibold">
        {n}. {title}
      </h2>
      {children}
    </section>
  );
}

const initialOf = (form: unknown, paths: readonly string[]) => Object.fromEntries(paths.map((p) => [p, valueAt(form, p)]));

const SUMMARY_PATHS = ["title", "laySummary", "abstract"] as const;
const INSTITUTION_PATHS = ["institution.name", "institution.notForProfit", "institution.country"] as const;
const COMMITMENT_PATHS = ["conflicts", "funding", "publicationPlan", "months"] as const;

export function DraftSections({ view, me, diseaseLabels }: { view: ResearcherRequest; me: string; diseaseLabels: Record<string, string> }) {
  const documentOf = (kind: DocumentKind) => view.documents.find((d) => d.kind === kind);
  const extraDocuments = view.requiredDocuments.filter((k) => k !== "sap");
  const steps = STEPS.filter(([id]) => id !== "section-documents" || extraDocuments.length > 0);
  const n = (id: StepId) => steps.findIndex(([s]) => s === id) + 1;
  const commitments = initialOf(view.form, COMMITMENT_PATHS);
  commitments.months ??= DEFAULT_MONTHS;

  return (
    <ExplainedMatchProvider number={view.number} savedForm={view.form} explanation={view.explanation}>
      <nav aria-label="Sections of the request" className="mb-6">
        <ol className="flex list-decimal flex-col gap-1 pl-6 text-sm sm:columns-2 sm:block">
          {steps.map(([id, title]) => (
            <li key={id}>
              <a href={`#${id}`} className="text-sky-700 underline dark:text-sky-400">
                {title}
              </a>
            </li>
          ))}
        </ol>
      </nav>
      <div className="flex flex-col gap-6">
        <Step id="section-releases" n={n("section-releases")}>
          {view.releases.length === 0 ? (
            <p>No release yet: add one below, or use “Request access” on a dataset&apos;s page.</p>
          ) : (
            <ul className="flex flex-col gap-3" aria-label="Releases requested">
              {view.releases.map((r) => (
                <li key={r.ref} className="flex flex-col gap-2 rounded-md border border-slate-200 p-3 dark:border-slate-700" data-testid={`release-${r.ref}`}>
                  <div className="flex flex-wrap items-center gap-3">
                    <span className="font-medium">{r.title}</span>
                    <span className="font-mono text-xs">{r.ref}</span>
                    <RemoveReleaseButton number={view.number} release={r.ref} />
                  </div>
                  <p className="text-sm font-medium">Conditions of use</p>
                  <ul className="list-disc pl-6 text-sm">
                    {r.conditionsInWords.map((c) => (
                      <li key={c.code}>{c.text}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
          <AddReleaseForm number={view.number} />
        </Step>

        <Step id="section-summaries" n={n("section-summaries")}>
          <SectionForm number={view.number} paths={SUMMARY_PATHS} initial={initialOf(view.form, SUMMARY_PATHS)} submitLabel="Save the title and summaries" rows={{ abstract: 8 }} />
        </Step>

        <Step id="section-purpose" n={n("section-purpose")}>
          <PurposeForm number={view.number} initial={view.form.purpose} diseaseLabels={diseaseLabels} />
        </Step>

        <Step id="section-plan" n={n("section-plan")}>
          <SectionForm number={view.number} paths={["analysisPlan"]} initial={initialOf(view.form, ["analysisPlan"])} submitLabel="Save the analysis plan" rows={{ analysisPlan: 10 }} />
          <DocumentUpload number={view.number} kind="sap" label={DOCUMENT_KINDS.sap} stored={documentOf("sap")} />
        </Step>

        {extraDocuments.length ? (
          <Step id="section-documents" n={n("section-documents")}>
            <p className="text-sm">A condition of a release asks for {extraDocuments.map((k) => `the ${lowerFirst(DOCUMENT_KINDS[k])}`).join(" and ")}.</p>
            {extraDocuments.map((kind) => (
              <DocumentUpload key={kind} number={view.number} kind={kind} label={DOCUMENT_KINDS[kind]} stored={documentOf(kind)} required />
            ))}
          </Step>
        ) : null}

        <Step id="section-team" n={n("section-team")}>
          <p className="text-sm">Everyone who will use the data is on the team, and each member accepts the data use agreement personally.</p>
          <ul className="flex flex-col gap-2" aria-label="Team members">
            {view.members.map((m) => {
              const who = m.name ? `${m.name} (${m.email})` : m.email;
              return (
                <li key={m.id} className="flex flex-wrap items-center gap-3 text-sm" data-testid={`member-${m.email}`}>
                  <span>
                    {who}
                    {m.applicant ? " — applicant" : ""}
                  </span>
                  <span className={m.accepted ? "text-emerald-800 dark:text-emerald-300" : "text-amber-800 dark:text-amber-300"}>
                    {m.accepted ? "accepted the agreement" : m.applicant ? "has not accepted the agreement yet" : "invited"}
                  </span>
                  {m.applicant ? null : <RemoveMemberButton number={view.number} memberId={m.id} who={who} />}
                </li>
              );
            })}
          </ul>
          <InviteMemberForm number={view.number} />
        </Step>

        <Step id="section-institution" n={n("section-institution")}>
          <SectionForm number={view.number} paths={INSTITUTION_PATHS} initial={initialOf(view.form, INSTITUTION_PATHS)} submitLabel="Save the institution" />
        </Step>

        <Step id="section-commitments" n={n("section-commitments")}>
          <SectionForm number={view.number} paths={COMMITMENT_PATHS} initial={commitments} submitLabel="Save these answers" />
        </Step>

        <Step id="section-agreement" n={n("section-agreement")}>
          <Agreement view={view} me={me} />
        </Step>

        <Step id="section-match" n={n("section-match")}>
          <p className="text-sm">Each condition of each release, and each consent item of the trial, against your purpose: met, not met, or for the committee to judge.</p>
          <ExplainedMatch />
        </Step>

        <Step id="section-submit" n={n("section-submit")}>
          <SubmitRequestForm number={view.number} canSubmit={view.canSubmit} problems={view.submitProblems} resubmit={view.state === "RETURNED"} />
        </Step>
      </div>
    </ExplainedMatchProvider>
  );
}
