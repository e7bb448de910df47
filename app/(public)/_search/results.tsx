import Link from "next/link";
import type { ReactNode } from "react";
import { type SearchQuery, searchHref } from "@/lib/search/schema";

/**
 * The results half of a catalogue page: the count (a live region, so a screen reader hears the
 * outcome of a search), the empty state or the results, and the pagination.
 */

type Counted = { total: number; totalIsExact: boolean; page: number; pageSize: number };

/** "1 trial matches your search.", "1,000+ datasets match your search.", "3 trials registered." */
export function countSentence(result: Pick<Counted, "total" | "totalIsExact">, noun: { one: string; many: string; listed: string }, filtered: boolean): string {
  const figure = `${result.total.toLocaleString("en")}${result.totalIsExact ? "" : "+"}`;
  const one = result.total === 1 && result.totalIsExact;
  if (filtered) return `${figure} ${one ? `${noun.one} matches` : `${noun.many} match`} your search.`;
  return `${figure} ${one ? noun.one : noun.many} ${noun.listed}.`;
}

/**
 * Previous / next links and where the page is. The last page is bounded by the count, which stops
 * at 1,000 (lib/search/schema.ts RESULT_WINDOW): past it there is no "Next", only a narrower search.
 */
export function Pagination({ path, query, result }: { path: string; query: SearchQuery; result: Counted }) {
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  if (pages <= 1 && result.page === 1) return null;
  const link = "rounded-md border border-slate-300 px-3 py-1 underline dark:border-slate-600";
  return (
    <nav aria-label="Pagination" className="flex flex-wrap items-center gap-3 text-sm">
      {result.page > 1 ? (
        <Link href={searchHref(path, query, { page: result.page - 1 })} rel="prev" className={link}>
          Previous page
        </Link>
      ) : null}
      <span aria-current="page">
        Page {result.page.toLocaleString("en")} of {pages.toLocaleString("en")}
        {result.totalIsExact ? "" : "+"}
      </span>
      {result.page < pages ? (
        <Link href={searchHref(path, query, { page: result.page + 1 })} rel="next" className={link}>
          Next page
        </Link>
      ) : null}
    </nav>
  );
}

export function SearchResults(props: {
  path: string;
  query: SearchQuery;
  result: Counted & { results: unknown[] };
  noun: { one: string; many: string; listed: string };
  filtered: boolean;
  /** Shown when nothing matches. */
  empty: ReactNode;
  /** The results themselves (a table, a list). */
  children: ReactNode;
}) {
  const { result } = props;
  return (
    <section aria-labelledby="results-heading" className="flex flex-col gap-3">
      <h2 id="results-heading" className="text-lg font-semibold">
        Results
      </h2>
      <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
        {countSentence(result, props.noun, props.filtered)}
      </p>
      {result.results.length === 0 ? <p className="rounded-md bg-slate-100 p-4 dark:bg-slate-900">{props.empty}</p> : props.children}
      <Pagination path={props.path} query={props.query} result={result} />
    </section>
  );
}
