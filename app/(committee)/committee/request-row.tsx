import Link from "next/link";
import { clockText, stateText, votesText } from "@/app/(committee)/committee/words";
import type { InboxRow as Row } from "@/lib/access/views";

/**
 * One request of a queue, stacked so it reads at 390 px: a linked heading (its number and
 * title, the name a screen reader lists), then who asks, for what, the clock and the votes.
 * An overdue request says so in words and carries a thick red edge, not colour alone.
 */
export function RequestRow({ row, targetDays, decided }: { row: Row; targetDays: number; decided: boolean }) {
  const overdue = !decided && row.overdue;
  return (
    <li
      data-testid={`request-${row.number}`}
      className={`rounded-md border p-4 ${overdue ? "border-l-8 border-red-700 dark:border-red-500" : "border-slate-200 dark:border-slate-700"}`}
    >
      <h4 className="font-semibold">
        <Link href={`/committee/requests/${row.number}`} className="text-sky-700 underline dark:text-sky-400">
          {row.number} — {row.title}
        </Link>
      </h4>
      <dl className="mt-2 grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[9rem_1fr]">
        <dt className="font-medium text-slate-600 dark:text-slate-400">Researcher</dt>
        <dd>
          {row.researcher.name} ({row.researcher.email}){row.institution ? `, ${row.institution}` : ""}
        </dd>
        <dt className="font-medium text-slate-600 dark:text-slate-400">{row.releases.length === 1 ? "Release" : "Releases"}</dt>
        <dd className="break-words">{row.releases.join(", ")}</dd>
        <dt className="font-medium text-slate-600 dark:text-slate-400">{decided ? "Outcome" : "Clock"}</dt>
        <dd className={overdue ? "font-semibold text-red-800 dark:text-red-300" : undefined}>
          {decided ? stateText(row.state) : clockText(row.daysOpen, targetDays, row.overdue)}
        </dd>
        <dt className="font-medium text-slate-600 dark:text-slate-400">Votes</dt>
        <dd>{votesText(row.votes)}</dd>
      </dl>
    </li>
  );
}
