import Link from "next/link";
import type { AuditEntry, AuditPage } from "@/lib/audit/data";
import { CHECK_LABELS } from "@/lib/audit/check";
import { FILTER_KEYS } from "@/lib/audit/schema";
import { kindLabel } from "@/lib/audit/service";
import { LOG_KINDS } from "@/lib/log/kinds";

/**
 * The audit trail as people read it: the filter form, one page of entries and the paging links.
 * Shared by the site administrator's page (the whole trail) and an organisation administrator's
 * (their organisation's entries). Rendered on the server; the form is a plain GET, so it works
 * without JavaScript and every filtered view has an address to share with a colleague.
 *
 * At 390 px (a phone) the table keeps three columns — when, what, who — and wraps long ids, so
 * nothing scrolls sideways; details open per entry.
 */

const INPUT =
  "rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 aria-[invalid=true]:border-red-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100";
const TIME = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

export type TrailProps = {
  /** The page's own path, for the form and the paging links. */
  path: string;
  /** Where the CSV of the same filters downloads from. */
  csvPath: string;
  /** The query string as received, so the form shows what was searched. */
  values: Record<string, string | undefined>;
  errors: Record<string, string[]>;
  page: AuditPage;
  /** Site administrators filter by organisation too. */
  orgs?: { slug: string; name: string }[];
};

/** Kinds grouped by their prefix (auth, org, trial, …) for the kind filter. */
function kindGroups(): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const kind of Object.keys(LOG_KINDS)) {
    const group = kind.split(".")[0] ?? kind;
    groups.set(group, [...(groups.get(group) ?? []), kind]);
  }
  return [...groups.entries()];
}

function query(values: Record<string, string | undefined>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = values[key];
    if (value) params.set(key, value);
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}

function FilterField({ name, label, hint, value, errors, type = "text" }: { name: string; label: string; hint?: string; value?: string | undefined; errors?: string[] | undefined; type?: string }) {
  const id = `audit-${name}`;
  const describedBy = [hint ? `${id}-hint` : "", errors?.length ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <input id={id} name={name} type={type} defaultValue={value ?? ""} aria-invalid={errors?.length ? true : undefined} aria-describedby={describedBy} className={INPUT} />
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-700 dark:text-red-400">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

function Details({ values }: { values: Record<string, unknown> }) {
  const entries = Object.entries(values);
  if (entries.length === 0) return <p className="text-slate-600 dark:text-slate-400">None.</p>;
  return (
    <dl className="grid grid-cols-1 gap-x-3 gap-y-1 sm:grid-cols-[auto_1fr]">
      {entries.map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="font-medium">{key}</dt>
          <dd className="font-mono text-xs [overflow-wrap:anywhere]">{typeof value === "string" ? value : JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function CheckBadge({ entry }: { entry: AuditEntry }) {
  const { check } = entry;
  const tone =
    check.status === "mismatch"
      ? "border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
      : check.status === "erased"
        ? "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
        : "border-slate-300 text-slate-700 dark:border-slate-600 dark:text-slate-300";
  return (
    <span className={`inline-block rounded border px-1.5 py-0.5 text-xs ${tone}`} data-testid="commitment-check">
      {CHECK_LABELS[check.status]}
      {check.status === "mismatch" ? `: ${check.reason}` : ""}
    </span>
  );
}

function Actor({ entry }: { entry: AuditEntry }) {
  if (entry.actorType === "user") {
    return (
      <>
        <span className="block">{entry.actorUser?.name ?? "Deleted account"}</span>
        {entry.actorUser ? <span className="block text-xs [overflow-wrap:anywhere]">{entry.actorUser.email}</span> : null}
        <span className="block font-mono text-xs text-slate-600 [overflow-wrap:anywhere] dark:text-slate-400" data-testid="actor-id">
          {entry.actorId}
        </span>
      </>
    );
  }
  if (entry.actorType === "system") return <span className="[overflow-wrap:anywhere]">Portal ({entry.actorId})</span>;
  if (entry.actorType === "participant") return <span>A participant (anonymous)</span>;
  return <span>Not signed in</span>;
}

function Subject({ entry }: { entry: AuditEntry }) {
  const label = entry.subjectId ? `${entry.subjectType} ${entry.subjectId}` : entry.subjectType;
  if (entry.subjectType === "trial" && entry.subjectId) {
    return (
      <Link href={`/trials/${entry.subjectId}`} className="text-sky-700 underline [overflow-wrap:anywhere] dark:text-sky-400">
        {label}
      </Link>
    );
  }
  return <span className="[overflow-wrap:anywhere]">{label}</span>;
}

export function AuditTrail({ path, csvPath, values, errors, page, orgs }: TrailProps) {
  const filtered = FILTER_KEYS.some((key) => values[key]);
  return (
    <div className="flex flex-col gap-6">
      <form method="get" action={path} role="search" aria-label="Filter the audit trail" className="grid grid-cols-1 gap-4 rounded-lg border border-slate-200 p-5 sm:grid-cols-2 lg:grid-cols-3 dark:border-slate-700">
        <FilterField name="actor" label="Actor" value={values.actor} errors={errors.actor} hint="An e-mail address or account id; or participant, anonymous, system:<name>." />
        <div className="flex flex-col gap-1">
          <label htmlFor="audit-kind" className="text-sm font-medium">
            Kind of event
          </label>
          <select id="audit-kind" name="kind" defaultValue={values.kind ?? ""} aria-invalid={errors.kind?.length ? true : undefined} className={`${INPUT} w-full min-w-0`}>
            <option value="">Any kind</option>
            {kindGroups().map(([group, kinds]) => (
              <optgroup key={group} label={group}>
                {kinds.map((kind) => (
                  <option key={kind} value={kind}>
                    {kindLabel(kind)}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <FilterField name="subject" label="Subject" value={values.subject} errors={errors.subject} hint="A type, or type:id — for example trial:TL-2026-000001." />
        <FilterField name="from" label="From (UTC)" type="datetime-local" value={values.from} errors={errors.from} />
        <FilterField name="to" label="To (UTC)" type="datetime-local" value={values.to} errors={errors.to} />
        {orgs ? (
          <div className="flex flex-col gap-1">
            <label htmlFor="audit-org" className="text-sm font-medium">
              Organisation
            </label>
            <select id="audit-org" name="org" defaultValue={values.org ?? ""} className={INPUT}>
              <option value="">Any organisation</option>
              {orgs.map((org) => (
                <option key={org.slug} value={org.slug}>
                  {org.name}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="flex flex-wrap items-end gap-3 sm:col-span-2 lg:col-span-3">
          <button type="submit" className="rounded-md bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800 dark:bg-sky-600 dark:hover:bg-sky-500">
            Filter
          </button>
          {filtered ? (
            <Link href={path} className="py-2 text-sm underline">
              Clear filters
            </Link>
          ) : null}
          <a href={`${csvPath}${query(values)}`} className="py-2 text-sm text-sky-700 underline dark:text-sky-400" download>
            Download CSV{filtered ? " of these entries" : " of the whole trail"}
          </a>
        </div>
      </form>

      <section aria-labelledby="trail-heading" className="flex flex-col gap-3">
        <h2 id="trail-heading" className="text-lg font-semibold">
          Entries
        </h2>
        <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
          {page.entries.length === 0
            ? filtered
              ? "No entry matches these filters."
              : "No entry yet."
            : `Showing ${page.entries.length} ${page.entries.length === 1 ? "entry" : "entries"}, newest first.`}
        </p>
        {page.entries.length > 0 ? (
          <table className="w-full table-fixed border-collapse text-left text-sm">
            <caption className="sr-only">Audit trail entries{filtered ? " matching the filters" : ""}, newest first</caption>
            <colgroup>
              <col className="w-[28%] sm:w-[20%]" />
              <col />
              <col className="w-[32%] sm:w-[26%]" />
            </colgroup>
            <thead>
              <tr className="border-b border-slate-300 dark:border-slate-600">
                <th scope="col" className="py-2 pr-2">When</th>
                <th scope="col" className="py-2 pr-2">Event</th>
                <th scope="col" className="py-2">Actor</th>
              </tr>
            </thead>
            <tbody>
              {page.entries.map((entry) => (
                <tr key={String(entry.id)} className="border-b border-slate-200 align-top dark:border-slate-800" data-testid="audit-entry">
                  <td className="py-2 pr-2">
                    <time dateTime={entry.createdAt.toISOString()} className="block">
                      {TIME.format(entry.createdAt)}
                    </time>
                    <span className="block text-xs text-slate-600 dark:text-slate-400">{entry.index === null ? "Not yet in the log" : `Log index ${entry.index}`}</span>
                  </td>
                  <td className="py-2 pr-2">
                    <span className="block font-medium">{kindLabel(entry.kind)}</span>
                    <span className="block font-mono text-xs [overflow-wrap:anywhere]">{entry.kind}</span>
                    <span className="block">
                      <Subject entry={entry} />
                    </span>
                    {entry.org ? <span className="block text-xs">{entry.org.name}</span> : null}
                    <CheckBadge entry={entry} />
                    <details className="mt-1">
                      <summary className="cursor-pointer text-sky-700 underline dark:text-sky-400">Details</summary>
                      <div className="mt-2 flex flex-col gap-2">
                        <h3 className="text-xs font-semibold uppercase tracking-wide">Public</h3>
                        <Details values={entry.document?.details ?? {}} />
                        <h3 className="text-xs font-semibold uppercase tracking-wide">Private</h3>
                        {entry.privateDetails ? <Details values={entry.privateDetails} /> : <p className="text-slate-600 dark:text-slate-400">{entry.check.status === "erased" ? "Erased." : "None."}</p>}
                        {entry.document?.commitment ? <p className="font-mono text-xs [overflow-wrap:anywhere]">commitment {entry.document.commitment}</p> : null}
                      </div>
                    </details>
                  </td>
                  <td className="py-2">
                    <Actor entry={entry} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <nav aria-label="Pages of the trail" className="flex flex-wrap gap-4 text-sm">
          {page.newerThan !== null ? (
            <>
              <Link href={`${path}${query(values)}`} className="underline">
                Newest
              </Link>
              <Link href={`${path}${query(values, { after: String(page.newerThan) })}`} className="underline" rel="prev">
                Newer entries
              </Link>
            </>
          ) : null}
          {page.olderThan !== null ? (
            <Link href={`${path}${query(values, { before: String(page.olderThan) })}`} className="underline" rel="next">
              Older entries
            </Link>
          ) : null}
        </nav>
      </section>
    </div>
  );
}
