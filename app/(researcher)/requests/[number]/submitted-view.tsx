import type { ReactNode } from "react";
import { Section } from "@/app/_components/field";
import { CloseoutForm, MessageForm, RenewalForm } from "@/app/(researcher)/requests/[number]/after-submission";
import { documentUrl } from "@/app/(researcher)/requests/[number]/document-url";
import { CATEGORY_LABELS } from "@/app/(researcher)/requests/[number]/form-fields";
import { RequestExplanation } from "@/app/(researcher)/requests/[number]/request-explanation";
import type { ResearcherRequest } from "@/app/(researcher)/requests/[number]/view";
import { eventInWords, grantInWords, isoDate, shortDigest } from "@/app/(researcher)/requests/words";
import { DOCUMENT_KINDS } from "@/lib/access/schema";
import { PURPOSE_FLAGS, PURPOSE_FLAG_NAMES } from "@/lib/duo/purpose";
import { formatBytes } from "@/lib/format";

/**
 * The parts of a request once it has been submitted: what was submitted (read only), the
 * conversation with the committee, its decision, the grants, and what the researcher does next
 * (ask to renew, report at the close).
 */

const linkClass = "text-sky-700 underline dark:text-sky-400";

function Item({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt className="font-medium">{term}</dt>
      <dd className="mb-2 whitespace-pre-line sm:mb-0">{children}</dd>
    </>
  );
}

/** The request as submitted: what the committee reads and decides on. */
export function SubmittedSummary({ view, diseaseLabels }: { view: ResearcherRequest; diseaseLabels: Record<string, string> }) {
  const form = view.submitted;
  if (!form) return null;
  const { purpose, institution } = form;
  return (
    <Section id="summary" title={`The request as submitted${view.revision > 1 ? ` (revision ${view.revision})` : ""}`}>
      <dl className="grid gap-x-4 gap-y-2 sm:grid-cols-[14rem_1fr]">
        <Item term="Title">{form.title}</Item>
        <Item term="Releases">{view.releases.map((r) => `${r.title} (${r.ref})`).join("; ")}</Item>
        <Item term="Lay summary">{form.laySummary}</Item>
        <Item term="Scientific abstract">{form.abstract}</Item>
        <Item term="Kind of research">{CATEGORY_LABELS[purpose.category].label}</Item>
        {purpose.diseases.length ? <Item term="Diseases">{purpose.diseases.map((id) => `${diseaseLabels[id] ?? id} (${id})`).join("; ")}</Item> : null}
        <Item term="About the research">
          <ul className="list-disc pl-5">
            {PURPOSE_FLAG_NAMES.map((name) => (
              <li key={name}>
                {PURPOSE_FLAGS[name]} <strong>{purpose.flags[name] ? "Yes" : "No"}</strong>
              </li>
            ))}
          </ul>
        </Item>
        {purpose.other ? <Item term="Also about the purpose">{purpose.other}</Item> : null}
        <Item term="Analysis plan">{form.analysisPlan}</Item>
        <Item term="Documents">
          {view.documents.length === 0 ? (
            "None"
          ) : (
            <ul className="list-disc pl-5">
              {view.documents.map((d) => (
                <li key={d.kind}>
                  {(DOCUMENT_KINDS as Record<string, string>)[d.kind] ?? d.kind}:{" "}
                  <a href={documentUrl(view.number, d.kind)} className={linkClass}>
                    {d.name}
                  </a>{" "}
                  ({formatBytes(d.size)}, <span title={d.digest}>{shortDigest(d.digest)}</span>)
                </li>
              ))}
            </ul>
          )}
        </Item>
        <Item term="Team">{view.members.map((m) => `${m.name ?? m.email}${m.accepted ? " (accepted the agreement)" : " (invited)"}`).join("; ")}</Item>
        <Item term="Institution">
          {institution.name}
          {institution.country ? `, ${institution.country}` : ""} — {institution.notForProfit ? "not-for-profit" : "for-profit"}
        </Item>
        <Item term="Conflicts of interest">{form.conflicts}</Item>
        <Item term="Funding">{form.funding}</Item>
        <Item term="Publication plan">{form.publicationPlan}</Item>
        <Item term="Duration asked for">{`${form.months} ${form.months === 1 ? "month" : "months"}`}</Item>
      </dl>
      {view.explanation ? (
        <>
          <h3 className="mt-4 font-semibold">How the purpose matches</h3>
          <RequestExplanation explanation={view.explanation} />
        </>
      ) : null}
    </Section>
  );
}

const DECISION_WORDS = { approved: "approved", returned: "returned for revision", denied: "denied" } as const;

/** The committee's decision in words: a return says what to revise, a denial why. */
export function DecisionNotice({ view }: { view: ResearcherRequest }) {
  const d = view.decision;
  if (!d) return null;
  const words = d.decision === "approved" && d.conditions ? "approved with conditions" : DECISION_WORDS[d.decision];
  return (
    <div className="rounded-md border border-slate-300 bg-slate-50 p-4 dark:border-slate-600 dark:bg-slate-900" data-testid="decision" role="region" aria-label="The committee's decision">
      <p className="font-semibold">
        The committee&apos;s decision: {words}, <time dateTime={d.at}>{isoDate(d.at)}</time>.
      </p>
      {d.decision !== "approved" && d.reason ? (
        <>
          <p className="mt-2">The committee&apos;s reason{d.decision === "returned" ? " for returning it" : " for the denial"}:</p>
          <blockquote className="mt-1 border-l-4 border-slate-400 pl-3 whitespace-pre-line">{d.reason}</blockquote>
        </>
      ) : null}
      {d.decision === "returned" && view.canEdit ? (
        <p className="mt-2">
          <a href="#section-releases" className={linkClass}>
            Revise and resubmit
          </a>
          : change what the committee asks below, then resubmit.
        </p>
      ) : null}
      {d.decision === "approved" && d.end ? <p className="mt-2">Access until {isoDate(d.end)}.</p> : null}
      {d.decision === "approved" && d.conditions ? (
        <>
          <p className="mt-2">Conditions of the approval:</p>
          <blockquote className="mt-1 border-l-4 border-slate-400 pl-3 whitespace-pre-line">{d.conditions}</blockquote>
        </>
      ) : null}
    </div>
  );
}

/** The events both sides see, oldest first, and a message to the committee. */
export function Conversation({ view }: { view: ResearcherRequest }) {
  const open = view.state !== "WITHDRAWN" && view.state !== "CLOSED";
  return (
    <Section id="conversation" title="Conversation and history">
      {view.events.length === 0 ? (
        <p>Nothing yet.</p>
      ) : (
        <ol className="flex flex-col gap-3" aria-label="Events of the request">
          {view.events.map((e) => (
            <li key={e.id} className={`rounded-md border p-3 text-sm ${e.actor.side === "committee" ? "border-sky-300 dark:border-sky-800" : "border-slate-200 dark:border-slate-700"}`}>
              <p className="text-slate-700 dark:text-slate-300">
                <strong>{eventInWords(e.type)}</strong> · {e.actor.name}
                {e.actor.side === "committee" ? " (committee)" : ""} · <time dateTime={e.at}>{e.at.slice(0, 16).replace("T", " ")} UTC</time>
              </p>
              {e.text ? <p className="mt-1 whitespace-pre-line">{e.text}</p> : null}
            </li>
          ))}
        </ol>
      )}
      {open ? <MessageForm number={view.number} /> : null}
    </Section>
  );
}

export function Grants({ view }: { view: ResearcherRequest }) {
  if (view.grants.length === 0) return null;
  return (
    <Section id="grants" title="Access granted">
      <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Grants of this request">
        <table className="w-full text-left text-sm">
          <thead>
            <tr className="border-b border-slate-200 dark:border-slate-700">
              <th scope="col" className="py-2 pr-3">Member</th>
              <th scope="col" className="py-2 pr-3">Release</th>
              <th scope="col" className="py-2 pr-3">From</th>
              <th scope="col" className="py-2 pr-3">To</th>
              <th scope="col" className="py-2">Standing</th>
            </tr>
          </thead>
          <tbody>
            {view.grants.map((g) => (
              <tr key={g.id} className="border-b border-slate-100 align-top dark:border-slate-800">
                <td className="py-2 pr-3">{g.userName}</td>
                <td className="py-2 pr-3 font-mono text-xs">{g.release}</td>
                <td className="py-2 pr-3">{isoDate(g.start)}</td>
                <td className="py-2 pr-3">{isoDate(g.end)}</td>
                <td className="py-2">{grantInWords(g)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="text-sm">
        Your active grants are also in your{" "}
        <a href="/api/ga4gh/passport" className={linkClass}>
          GA4GH Passport (JSON)
        </a>
        , as signed visas other services can check.
      </p>
    </Section>
  );
}

/** While approved: ask for more time, or close the request with the report. */
export function NextSteps({ view }: { view: ResearcherRequest }) {
  // Renewal and close-out are the applicant's acts (lib/access/service.ts requireApplicant).
  if (view.state !== "APPROVED" || !view.isApplicant) return null;
  return (
    <>
      <Section id="renew" title="Ask to renew">
        <p className="text-sm">The committee is told, and will contact you about whether, and until when, access continues.</p>
        <RenewalForm number={view.number} />
      </Section>
      <Section id="closeout" title="Close-out report">
        <p className="text-sm">At the end of the work: what was published, what was done, and the confirmation that the data is destroyed. It ends every grant of this request.</p>
        <CloseoutForm number={view.number} />
      </Section>
    </>
  );
}
