import type { Metadata } from "next";
import Link from "next/link";
import { PageTitle } from "@/app/_components/field";
import { RequestRow } from "@/app/(committee)/committee/request-row";
import { QUEUES, daysText, queueOf, ruleText } from "@/app/(committee)/committee/words";
import { committeeInbox } from "@/lib/access/views";
import { requirePageAccess } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Committee inbox" };

/**
 * The data-access committee's inbox: per organisation whose committee the member sits on, the
 * four queues with their counts, the chosen one (`?queue=`, the same for every organisation)
 * listed with each request's clock against the organisation's target.
 */
export default async function CommitteeInboxPage({ searchParams }: { searchParams: Promise<{ queue?: string | string[] }> }) {
  const session = await requirePageAccess(["committee"], "/committee");
  const queue = queueOf((await searchParams).queue);
  const inbox = await committeeInbox(session);
  return (
    <>
      <PageTitle lead="Researchers' requests for your organisations' datasets. The clock runs from submission to decision, against each organisation's target.">
        Committee inbox
      </PageTitle>
      {inbox.length === 0 ? <p>You sit on no data-access committee. An organisation administrator gives committee seats.</p> : null}
      <div className="flex flex-col gap-10">
        {inbox.map(({ org, rule, targetDays, queues }) => {
          const rows = queues[queue.key];
          const headingId = `org-${org.slug}`;
          return (
            <section key={org.slug} aria-labelledby={headingId} className="flex flex-col gap-4" data-testid={`inbox-${org.slug}`}>
              <div>
                <h2 id={headingId} className="text-xl font-semibold">
                  {org.name}
                </h2>
                <p className="text-sm text-slate-600 dark:text-slate-400">
                  {ruleText(rule)} Target: a decision within {daysText(targetDays)} of submission.
                </p>
              </div>
              <nav aria-label={`Queues of ${org.name}`}>
                <ul className="flex flex-wrap gap-x-1 gap-y-2 border-b border-slate-200 dark:border-slate-700">
                  {QUEUES.map((q) => (
                    <li key={q.key}>
                      <Link
                        href={`/committee?queue=${q.param}`}
                        aria-current={q.key === queue.key ? "page" : undefined}
                        className="-mb-px inline-block border-b-4 border-transparent px-3 py-2 text-sky-700 underline-offset-4 hover:underline aria-[current=page]:border-sky-700 aria-[current=page]:font-semibold aria-[current=page]:text-slate-900 dark:text-sky-400 dark:aria-[current=page]:border-sky-400 dark:aria-[current=page]:text-slate-100"
                      >
                        {q.label} ({queues[q.key].length})
                      </Link>
                    </li>
                  ))}
                </ul>
              </nav>
              <h3 className="text-lg font-semibold">
                {queue.label} ({rows.length})
              </h3>
              {rows.length === 0 ? (
                <p>No requests in this queue.</p>
              ) : (
                <ol className="flex flex-col gap-3" aria-label={`${queue.label}, ${org.name}`}>
                  {rows.map((row) => (
                    <RequestRow key={row.number} row={row} targetDays={targetDays} decided={queue.key === "decided"} />
                  ))}
                </ol>
              )}
            </section>
          );
        })}
      </div>
    </>
  );
}
