import Link from "next/link";
import type { ApprovedRequest, DeniedCount, RegisterMetrics, Revocation } from "@/lib/access/register";

/** The pieces of the public access register (/access): each renders one part of the fold. */

const DAY = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const link = "text-sky-700 underline dark:text-sky-400";

/** /transparency shows the entry with its bytes and its receipt, for anyone to verify. */
export const logEntryHref = (index: number) => `/transparency?index=${index}#entries-heading`;

function When({ iso }: { iso: string }) {
  return <time dateTime={iso}>{DAY.format(new Date(iso))}</time>;
}

/** TLR-2026-00001.D1/2 as a link to that release of the dataset. */
function ReleaseLink({ release }: { release: string }) {
  const [dataset, number] = release.split("/");
  return (
    <Link href={`/datasets/${dataset}?release=${number}`} className={`${link} font-mono text-xs [overflow-wrap:anywhere]`}>
      {release}
    </Link>
  );
}

const PERIOD: Record<ApprovedRequest["period"], string> = { "not-started": "not started yet", active: "active", ended: "ended" };

export function ApprovedList({ approved }: { approved: ApprovedRequest[] }) {
  return (
    <ul aria-label="Approved requests, newest first" className="flex flex-col gap-3">
      {approved.map((a) => (
        <li key={a.request} className="rounded-lg border border-slate-200 p-4 dark:border-slate-700" data-testid="approved-request">
          <article aria-labelledby={`request-${a.request}`} className="flex flex-col gap-2">
            <h3 id={`request-${a.request}`} className="font-semibold">
              {a.title} <span className="font-mono text-sm font-normal text-slate-600 dark:text-slate-400">{a.request}</span>
            </h3>
            <p className="text-sm">{a.laySummary}</p>
            <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
              <dt className="font-medium">Researcher</dt>
              <dd>{a.researcher.name}</dd>
              <dt className="font-medium">Institution</dt>
              <dd>
                {a.institution.name}
                {a.institution.notForProfit ? " (not for profit)" : ""}
              </dd>
              <dt className="font-medium">Releases</dt>
              <dd className="flex flex-wrap gap-x-3">
                {a.releases.map((r) => (
                  <ReleaseLink key={r} release={r} />
                ))}
              </dd>
              <dt className="font-medium">Purpose</dt>
              <dd>{a.purpose ? a.purpose.text : <span className="font-mono text-xs [overflow-wrap:anywhere]">{JSON.stringify(a.recordedPurpose)}</span>}</dd>
              {a.withConditions ? (
                <>
                  <dt className="font-medium">Conditions</dt>
                  <dd className="whitespace-pre-line">{a.withConditions}</dd>
                </>
              ) : null}
              <dt className="font-medium">Approved</dt>
              <dd>
                <When iso={a.approvedAt} />
              </dd>
              <dt className="font-medium">Access</dt>
              <dd>
                <When iso={a.start} /> to <When iso={a.end} /> ({PERIOD[a.period]})
                {a.revocations ? `; ${a.revocations} ${a.revocations === 1 ? "grant" : "grants"} revoked` : ""}
              </dd>
              <dt className="font-medium">Log entry</dt>
              <dd>
                <Link href={logEntryHref(a.logIndex)} className={link}>
                  Entry #{a.logIndex}
                </Link>{" "}
                (<a href={`/api/log/entries/${a.logIndex}`} className={link}>receipt</a>)
              </dd>
            </dl>
          </article>
        </li>
      ))}
    </ul>
  );
}

export function RevocationList({ revocations }: { revocations: Revocation[] }) {
  return (
    <ul aria-label="Revoked grants, newest first" className="flex flex-col gap-2 text-sm">
      {revocations.map((r) => (
        <li key={r.logIndex} className="border-b border-slate-200 pb-2 dark:border-slate-800">
          <When iso={r.at} />: request <span className="font-mono">{r.request}</span>, release <ReleaseLink release={r.release} /> (
          <Link href={logEntryHref(r.logIndex)} className={link}>
            entry #{r.logIndex}
          </Link>
          )
        </li>
      ))}
    </ul>
  );
}

export function DeniedTable({ denied }: { denied: DeniedCount[] }) {
  return (
    <table className="w-full max-w-md text-left text-sm">
      <caption className="sr-only">Denied requests per dataset</caption>
      <thead>
        <tr className="border-b border-slate-300 dark:border-slate-600">
          <th scope="col" className="py-2 pr-3">Dataset</th>
          <th scope="col" className="py-2 text-right">Denied requests</th>
        </tr>
      </thead>
      <tbody>
        {denied.map((d) => (
          <tr key={d.dataset} className="border-b border-slate-200 dark:border-slate-800">
            <td className="py-2 pr-3">
              <Link href={`/datasets/${d.dataset}`} className={`${link} font-mono [overflow-wrap:anywhere]`}>
                {d.dataset}
              </Link>
            </td>
            <td className="py-2 text-right">{d.requests.toLocaleString("en")}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const STATE_LABELS: Record<keyof RegisterMetrics["byState"], string> = {
  submitted: "Submitted, not yet taken up",
  "in-review": "In review",
  returned: "Returned for revision",
  approved: "Approved",
  denied: "Denied",
  withdrawn: "Withdrawn",
};

export function MetricsView({ metrics }: { metrics: RegisterMetrics }) {
  const days = metrics.medianDaysToDecision;
  return (
    <div className="flex flex-col gap-4">
      <dl className="grid grid-cols-1 gap-3 sm:grid-cols-3" data-testid="register-metrics">
        {[
          ["Requests submitted", metrics.submitted.toLocaleString("en")],
          ["Median time to a decision", days === null ? "no decision yet" : `${days.toLocaleString("en")} ${days === 1 ? "day" : "days"}`],
          ["Approval rate", metrics.approvalRate === null ? "no decision yet" : `${Math.round(metrics.approvalRate * 100)} % of ${metrics.decided.toLocaleString("en")} decided`],
        ].map(([term, value]) => (
          <div key={term} className="rounded-lg border border-slate-200 p-3 dark:border-slate-700">
            <dt className="text-sm text-slate-600 dark:text-slate-400">{term}</dt>
            <dd className="text-lg font-semibold">{value}</dd>
          </div>
        ))}
      </dl>
      <table className="w-full max-w-md text-left text-sm">
        <caption className="text-left font-medium">Requests by state</caption>
        <tbody>
          {Object.entries(STATE_LABELS).map(([state, label]) => (
            <tr key={state} className="border-b border-slate-200 dark:border-slate-800">
              <th scope="row" className="py-1.5 pr-3 font-normal">
                {label}
              </th>
              <td className="py-1.5 text-right">{metrics.byState[state as keyof RegisterMetrics["byState"]].toLocaleString("en")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
