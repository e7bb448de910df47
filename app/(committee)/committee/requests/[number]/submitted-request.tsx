import type { ReactNode } from "react";
import { DOCUMENT_KINDS, type DocumentKind, type RequestDraft } from "@/lib/access/schema";
import { PURPOSE_FLAGS, PURPOSE_FLAG_NAMES } from "@/lib/duo/purpose";
import { DUO_TERMS } from "@/lib/duo/terms";
import { formatBytes } from "@/lib/format";
import type { CommitteeRequestView } from "@/lib/access/views";

type View = CommitteeRequestView;

const linkClass = "text-sky-700 underline dark:text-sky-400";
const none = <span className="text-slate-600 dark:text-slate-400">Not given</span>;

function Item({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1 border-b border-slate-100 pb-3 dark:border-slate-800">
      <dt className="text-sm font-medium text-slate-600 dark:text-slate-400">{term}</dt>
      <dd className="break-words whitespace-pre-wrap">{children ?? none}</dd>
    </div>
  );
}

/**
 * The request as the researcher submitted it, every field of the form in the form's reading
 * order (title to duration), then the releases with their conditions in words, the team and the
 * documents. Read-only: the committee decides on this text, not on a later draft.
 */
export function SubmittedRequest({ view, diseaseLabels }: { view: View; diseaseLabels: Record<string, string> }) {
  const form: RequestDraft = view.submitted ?? view.form;
  const purpose = form.purpose;
  const answered = purpose ? PURPOSE_FLAG_NAMES.filter((name) => purpose.flags[name] !== undefined) : [];
  return (
    <div className="flex flex-col gap-6">
      <dl className="flex flex-col gap-3">
        <Item term="Title">{form.title}</Item>
        <Item term="Lay summary">{form.laySummary}</Item>
        <Item term="Scientific abstract">{form.abstract}</Item>
        <Item term="Research purpose">
          {purpose ? (
            <div className="flex flex-col gap-2 whitespace-normal">
              <span>
                {DUO_TERMS[purpose.category].label} ({purpose.category}, {DUO_TERMS[purpose.category].id})
              </span>
              {purpose.diseases.length > 0 ? (
                <span>
                  Diseases:{" "}
                  {purpose.diseases.map((id, i) => (
                    <span key={id}>
                      {i > 0 ? ", " : null}
                      {diseaseLabels[id] ? `${diseaseLabels[id]} (${id})` : id}
                    </span>
                  ))}
                </span>
              ) : null}
            </div>
          ) : undefined}
        </Item>
        {purpose ? (
          <Item term="Purpose questions">
            <div className="whitespace-normal">
              <table className="w-full text-left text-sm">
                <caption className="sr-only">The researcher&apos;s answers to the purpose questions</caption>
                <thead>
                  <tr className="border-b border-slate-200 dark:border-slate-700">
                    <th scope="col" className="py-1 pr-3">Question</th>
                    <th scope="col" className="py-1">Answer</th>
                  </tr>
                </thead>
                <tbody>
                  {answered.map((name) => (
                    <tr key={name} className="border-b border-slate-100 align-top dark:border-slate-800">
                      <td className="py-1 pr-3">{PURPOSE_FLAGS[name]}</td>
                      <td className="py-1 font-medium">{purpose.flags[name] ? "Yes" : "No"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {purpose.other ? <p className="mt-2 whitespace-pre-wrap">Anything else: {purpose.other}</p> : null}
            </div>
          </Item>
        ) : null}
        <Item term="Analysis plan">{form.analysisPlan}</Item>
        <Item term="Institution">
          {form.institution ? (
            <>
              {form.institution.name}
              {form.institution.country ? `, ${form.institution.country}` : ""} —{" "}
              {form.institution.notForProfit ? "a not-for-profit organisation" : "not a not-for-profit organisation"}
            </>
          ) : undefined}
        </Item>
        <Item term="Conflicts of interest">{form.conflicts}</Item>
        <Item term="Funding">{form.funding}</Item>
        <Item term="Publication plan">{form.publicationPlan}</Item>
        <Item term="Requested duration">{form.months !== undefined ? `${form.months} ${form.months === 1 ? "month" : "months"}` : undefined}</Item>
      </dl>

      <div className="flex flex-col gap-2">
        <h3 className="text-lg font-semibold">Releases requested</h3>
        <ul className="flex flex-col gap-3">
          {view.releases.map((r) => (
            <li key={r.ref} className="rounded-md border border-slate-200 p-3 dark:border-slate-700">
              <p className="font-medium">
                <a href={`/datasets/${r.datasetNumber}`} className={linkClass}>
                  {r.title}
                </a>{" "}
                — {r.ref}
              </p>
              <ul className="mt-1 list-disc pl-5 text-sm" aria-label={`Conditions of use of ${r.ref}`}>
                {r.conditionsInWords.map((c) => (
                  <li key={c.code}>
                    {c.text} ({c.id})
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </div>

      <div className="flex flex-col gap-2">
        <h3 className="text-lg font-semibold">Team</h3>
        <ul className="list-disc pl-5">
          {view.members.map((m) => (
            <li key={m.id}>
              {m.name ? `${m.name} (${m.email})` : m.email}
              {m.applicant ? ", applicant" : ""} — {m.accepted ? "accepted the data use agreement" : "has not accepted the data use agreement"}
            </li>
          ))}
        </ul>
        <p className="text-sm text-slate-600 dark:text-slate-400">Data use agreement, version {view.agreement.version}.</p>
      </div>

      <div className="flex flex-col gap-2">
        <h3 className="text-lg font-semibold">Documents</h3>
        {view.documents.length === 0 ? (
          <p>None attached.</p>
        ) : (
          <ul className="flex flex-col gap-1">
            {view.documents.map((d) => (
              <li key={d.kind}>
                <a href={`/api/uploads/access/${view.number}/${d.kind}`} className={linkClass} download>
                  Download {DOCUMENT_KINDS[d.kind as DocumentKind] ?? d.kind}
                </a>{" "}
                — {d.name}, {formatBytes(Number(d.size))}
                <span className="block font-mono text-xs break-all text-slate-600 dark:text-slate-400">SHA-256 {d.digest}</span>
              </li>
            ))}
          </ul>
        )}
        {view.requiredDocuments.filter((k) => !view.documents.some((d) => d.kind === k)).map((k) => (
          <p key={k} className="font-medium text-red-800 dark:text-red-300">
            Missing: {DOCUMENT_KINDS[k]} (a release&apos;s condition needs it).
          </p>
        ))}
      </div>
    </div>
  );
}
