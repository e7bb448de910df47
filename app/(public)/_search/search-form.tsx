import Link from "next/link";
import type { ReactNode } from "react";
import { Field } from "@/app/_components/field";
import { SORTS, type Sort, type SearchQuery } from "@/lib/search/schema";

/**
 * The catalogues' search form (/trials, /datasets): a GET form, so every search is a link. Text
 * search first, then one select per facet (each option with its count among the matches), the
 * sort, and Search. Shared so that both catalogues read and behave the same.
 */

const SELECT =
  "rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 aria-[invalid=true]:border-red-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100";

export type FacetOption = { value: string; label: string; count?: number | undefined };

/** One facet as a select: `name` is the query field, `any` the label of "no filter". */
export type FacetSelect = { name: Exclude<keyof SearchQuery, "page" | "pageSize">; label: string; any: string; options: FacetOption[] };

const SORT_LABELS: Record<Sort, string> = { relevance: "Relevance", newest: "Newest first", oldest: "Oldest first", title: "Title (A–Z)" };

/**
 * The options of a facet select: every value of a closed list (`values`) or, for an open one
 * (sponsors, countries), the values the matches have; the selected value is always offered.
 */
export function facetOptions(opts: {
  counts: Record<string, number>;
  selected: string | undefined;
  values?: readonly string[];
  labelOf?: (value: string) => string;
}): FacetOption[] {
  const values = opts.values ? [...opts.values] : Object.keys(opts.counts);
  if (opts.selected && !values.some((v) => v.toLowerCase() === opts.selected?.toLowerCase())) values.unshift(opts.selected);
  return values.map((value) => ({ value, label: opts.labelOf?.(value) ?? value, count: opts.counts[value] ?? 0 }));
}

function FacetField({ facet, selected, problem }: { facet: FacetSelect; selected: string | undefined; problem: string | undefined }) {
  const id = `search-${facet.name}`;
  const chosen = facet.options.find((o) => o.value.toLowerCase() === selected?.toLowerCase())?.value ?? "";
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {facet.label}
      </label>
      <select id={id} name={facet.name} defaultValue={chosen} aria-invalid={problem ? true : undefined} aria-describedby={problem ? `${id}-error` : undefined} className={SELECT}>
        <option value="">{facet.any}</option>
        {facet.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.count === undefined ? option.label : `${option.label} (${option.count.toLocaleString("en")})`}
          </option>
        ))}
      </select>
      {problem ? (
        <p id={`${id}-error`} className="text-sm text-red-700 dark:text-red-400">
          {problem}
        </p>
      ) : null}
    </div>
  );
}

export function SearchForm(props: {
  /** The page the form submits to, e.g. "/trials". */
  action: string;
  /** The form's accessible name, e.g. "Search the registry". */
  label: string;
  query: SearchQuery;
  /** What the text search looks in, shown under it. */
  hint: ReactNode;
  facets: FacetSelect[];
  /** Fields between the text search and the facets (the dataset catalogue's condition). */
  children?: ReactNode;
  /** Problems of the query string's fields (parseSearchParams), shown at their fields. */
  problems: Record<string, string>;
  filtered: boolean;
}) {
  const { query, problems } = props;
  const sortProblem = problems.sort;
  return (
    <form method="get" action={props.action} role="search" aria-label={props.label} className="grid gap-4 rounded-lg border border-slate-200 p-5 sm:grid-cols-2 lg:grid-cols-3 dark:border-slate-700">
      <div className="sm:col-span-2 lg:col-span-3">
        <Field name="q" id="search-q" label="Search" type="search" defaultValue={query.q ?? ""} hint={props.hint} errors={problems.q ? [problems.q] : undefined} />
      </div>
      {props.children}
      {props.facets.map((facet) => (
        <FacetField key={facet.name} facet={facet} selected={query[facet.name]?.toString()} problem={problems[facet.name]} />
      ))}
      <FacetField
        facet={{ name: "sort", label: "Sort by", any: `Default (${query.q ? "relevance" : "newest first"})`, options: SORTS.map((s) => ({ value: s, label: SORT_LABELS[s] })) }}
        selected={query.sort}
        problem={sortProblem}
      />
      {query.pageSize !== 20 ? <input type="hidden" name="pageSize" value={query.pageSize} /> : null}
      <div className="flex items-end gap-3">
        <button type="submit" className="rounded-md bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800 dark:bg-sky-600 dark:hover:bg-sky-500">
          Search
        </button>
        {props.filtered ? (
          <Link href={props.action} className="py-2 text-sm underline">
            Clear filters
          </Link>
        ) : null}
      </div>
    </form>
  );
}
