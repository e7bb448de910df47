import type { Metadata } from "next";
import Link from "next/link";
import { PageTitle } from "@/app/_components/field";
import { PHASE_CODES } from "@/lib/registry/fhir";
import { STATUS_LABELS, searchTrials, trialSearchFrom } from "@/lib/registry/public/data";
import { PHASES, RECRUITMENT_STATUSES } from "@/lib/registry/schema";

export const metadata: Metadata = { title: "Trial registry" };


const INPUT =
  "rounded-md border border-slate-300 bg-white px-3 py-2 text-slate-900 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100";
const DAY = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

export default async function TrialsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const search = trialSearchFrom(await searchParams);
  const trials = await searchTrials(search);
  const filtered = Object.values(search).some((value) => value !== undefined);

  return (
    <div className="flex flex-col gap-6">
      <PageTitle lead="Every trial registered on TrialLedger, with its full version history. No sign-in needed.">Trial registry</PageTitle>

      <form method="get" action="/trials" role="search" aria-label="Search the registry" className="grid gap-4 rounded-lg border border-slate-200 p-5 sm:grid-cols-2 lg:grid-cols-3 dark:border-slate-700">
        <div className="flex flex-col gap-1 sm:col-span-2 lg:col-span-3">
          <label htmlFor="search-q" className="text-sm font-medium">
            Search
          </label>
          <input id="search-q" name="q" type="search" defaultValue={search.q ?? ""} aria-describedby="search-q-hint" className={INPUT} />
          <p id="search-q-hint" className="text-xs text-slate-600 dark:text-slate-400">
            Registration number, title, acronym, sponsor, condition or intervention.
          </p>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="search-condition" className="text-sm font-medium">
            Condition
          </label>
          <input id="search-condition" name="condition" defaultValue={search.condition ?? ""} className={INPUT} />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="search-phase" className="text-sm font-medium">
            Phase
          </label>
          <select id="search-phase" name="phase" defaultValue={search.phase ?? ""} className={INPUT}>
            <option value="">Any phase</option>
            {PHASES.map((phase) => (
              <option key={phase} value={phase}>
                {PHASE_CODES[phase].display}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="search-status" className="text-sm font-medium">
            Recruitment status
          </label>
          <select id="search-status" name="status" defaultValue={search.status ?? ""} className={INPUT}>
            <option value="">Any status</option>
            {RECRUITMENT_STATUSES.map((status) => (
              <option key={status} value={status}>
                {STATUS_LABELS[status]}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="search-country" className="text-sm font-medium">
            Country
          </label>
          <input
            id="search-country"
            name="country"
            defaultValue={search.country ?? ""}
            maxLength={2}
            autoComplete="off"
            aria-describedby="search-country-hint"
            className={`${INPUT} uppercase`}
          />
          <p id="search-country-hint" className="text-xs text-slate-600 dark:text-slate-400">
            Two-letter ISO code, like GB or US.
          </p>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor="search-sponsor" className="text-sm font-medium">
            Sponsor
          </label>
          <input id="search-sponsor" name="sponsor" defaultValue={search.sponsor ?? ""} className={INPUT} />
        </div>
        <div className="flex items-end gap-3">
          <button type="submit" className="rounded-md bg-sky-700 px-4 py-2 font-medium text-white hover:bg-sky-800 dark:bg-sky-600 dark:hover:bg-sky-500">
            Search
          </button>
          {filtered ? (
            <Link href="/trials" className="py-2 text-sm underline">
              Clear filters
            </Link>
          ) : null}
        </div>
      </form>

      <section aria-labelledby="results-heading" className="flex flex-col gap-3">
        <h2 id="results-heading" className="text-lg font-semibold">
          Results
        </h2>
        <p role="status" className="text-sm text-slate-600 dark:text-slate-400">
          {trials.length === 1 ? "1 trial" : `${trials.length} trials`}
          {filtered ? " match your search." : " registered."}
        </p>
        {trials.length === 0 ? (
          <p className="rounded-md bg-slate-100 p-4 dark:bg-slate-900">
            {filtered ? "No trial matches these filters. Try fewer or broader criteria." : "No trial has been registered yet."}
          </p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full border-collapse text-left text-sm">
              <caption className="sr-only">Registered trials{filtered ? " matching your search" : ""}</caption>
              <thead>
                <tr className="border-b border-slate-300 dark:border-slate-600">
                  <th scope="col" className="py-2 pr-3">Registration number</th>
                  <th scope="col" className="py-2 pr-3">Public title</th>
                  <th scope="col" className="py-2 pr-3">Sponsor</th>
                  <th scope="col" className="py-2 pr-3">Phase</th>
                  <th scope="col" className="py-2 pr-3">Status</th>
                  <th scope="col" className="py-2 pr-3">Countries</th>
                  <th scope="col" className="py-2">Registered on</th>
                </tr>
              </thead>
              <tbody>
                {trials.map((trial) => (
                  <tr key={trial.registrationNumber} className="border-b border-slate-200 align-top dark:border-slate-800">
                    <th scope="row" className="py-2 pr-3 font-mono font-normal whitespace-nowrap">
                      <Link href={`/trials/${trial.registrationNumber}`} className="text-sky-700 underline dark:text-sky-400">
                        {trial.registrationNumber}
                      </Link>
                    </th>
                    <td className="py-2 pr-3">{trial.record.publicTitle}</td>
                    <td className="py-2 pr-3">{trial.record.primarySponsor}</td>
                    <td className="py-2 pr-3 whitespace-nowrap">{PHASE_CODES[trial.record.studyType.phase].display}</td>
                    <td className="py-2 pr-3">{STATUS_LABELS[trial.record.recruitmentStatus]}</td>
                    <td className="py-2 pr-3">{trial.record.countries.join(", ")}</td>
                    <td className="py-2 whitespace-nowrap">
                      <time dateTime={trial.registeredOn.toISOString()}>{DAY.format(trial.registeredOn)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
