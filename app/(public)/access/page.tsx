import type { Metadata } from "next";
import Link from "next/link";
import { ApprovedList, DeniedTable, MetricsView, RevocationList, logEntryHref } from "@/app/(public)/access/parts";
import { Field, PageTitle, Section } from "@/app/_components/field";
import { readAccessRegister } from "@/lib/access/register/data";
import { registerQuery } from "@/lib/access/register/schema";

export const metadata: Metadata = { title: "Access register" };
export const dynamic = "force-dynamic";

const link = "text-sky-700 underline dark:text-sky-400";
const empty = "rounded-md bg-slate-100 p-4 dark:bg-slate-900";

export default async function AccessRegisterPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  const typed = first(params.dataset);
  const parsed = registerQuery.safeParse({ dataset: typed, trial: first(params.trial) });
  const { dataset, trial } = parsed.success ? parsed.data : {};
  const problem = parsed.success ? undefined : (parsed.error.issues[0]?.message ?? "That is not a dataset number.");
  const register = await readAccessRegister({ ...(dataset ? { dataset } : {}), ...(trial ? { trial } : {}) });
  const { window } = register;
  const narrowed = dataset ? ` for ${dataset}` : trial ? ` for the datasets of ${trial}` : "";
  const query = new URLSearchParams({ ...(dataset ? { dataset } : {}), ...(trial ? { trial } : {}) }).toString();

  return (
    <div className="flex flex-col gap-10">
      <PageTitle lead="Who was given access to which data, for what, and until when; what was revoked; how many requests were denied; and how fast the committees decide. Everything here is computed from the public transparency log alone, so anyone can recompute it and nobody can rewrite it unnoticed.">
        Access register{narrowed}
      </PageTitle>

      <form method="get" action="/access" role="search" aria-label="Show one dataset's register" className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <Field
          name="dataset"
          id="register-dataset"
          label="Dataset"
          defaultValue={typed ?? ""}
          autoComplete="off"
          hint="A dataset number, like TLR-2026-00001.D1; leave blank for all."
          errors={problem ? [problem] : undefined}
        />
        <div className="flex items-center gap-3 sm:pb-6">
          <button type="submit" className="rounded-md bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800 dark:bg-sky-600 dark:hover:bg-sky-500">
            Show
          </button>
          {dataset || trial || problem ? (
            <Link href="/access" className="text-sm underline">
              All datasets
            </Link>
          ) : null}
        </div>
      </form>
      {dataset || trial ? (
        <p className="-mt-6 text-sm">
          <Link href={dataset ? `/datasets/${dataset}` : `/trials/${trial}`} className={link}>
            {dataset ? "The dataset's page" : "The trial's page"}
          </Link>
        </p>
      ) : null}

      <Section id="metrics-heading" title="How requests fare">
        {window.truncated ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Showing the latest {window.limit.toLocaleString("en")} requests; these figures are over them. The whole history is in the log.
          </p>
        ) : null}
        {register.metrics.submitted === 0 ? (
          <p className={empty}>{narrowed ? `No access request${narrowed} is in the log yet.` : "No access request is in the log yet."}</p>
        ) : (
          <MetricsView metrics={register.metrics} />
        )}
      </Section>

      <Section id="approved-heading" title="Approved requests">
        <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
          {register.approved.length === 0
            ? "No request has been approved yet."
            : `${register.approved.length.toLocaleString("en")} approved ${register.approved.length === 1 ? "request" : "requests"}, newest first. Each links to its log entry, where its receipt proves it is in the log.`}
        </p>
        {register.approved.length > 0 ? <ApprovedList approved={register.approved} /> : null}
      </Section>

      <Section id="revocations-heading" title="Revoked access">
        {register.revocations.length === 0 ? <p className={empty}>No grant has been revoked.</p> : <RevocationList revocations={register.revocations} />}
      </Section>

      <Section id="denied-heading" title="Denied requests">
        <p className="text-sm text-slate-600 dark:text-slate-400">Counted per dataset: who asked, and why they were refused, stay private.</p>
        {register.denied.length === 0 ? <p className={empty}>No request has been denied.</p> : <DeniedTable denied={register.denied} />}
      </Section>

      {register.anomalies.length > 0 ? (
        <Section id="anomalies-heading" title="Entries that do not fit">
          <p className="text-sm">These log entries do not fit their request&apos;s history, so the register does not apply them.</p>
          <ul className="list-disc pl-6 text-sm">
            {register.anomalies.map((a) => (
              <li key={a.logIndex}>
                <Link href={logEntryHref(a.logIndex)} className={link}>
                  Entry #{a.logIndex}
                </Link>{" "}
                ({a.kind}): {a.reason}.
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      <p className="text-sm text-slate-600 dark:text-slate-400">
        Machine-readable: <a href={`/api/access/register${query ? `?${query}` : ""}`} className={link}>/api/access/register</a>. To recompute it, read the log&apos;s <code>access.*</code> entries from{" "}
        <Link href="/transparency" className={link}>
          the transparency log
        </Link>
        .
      </p>
    </div>
  );
}
