import type { Metadata } from "next";
import Link from "next/link";
import { SearchForm, facetOptions } from "@/app/(public)/_search/search-form";
import { SearchResults } from "@/app/(public)/_search/results";
import { PageTitle } from "@/app/_components/field";
import { PHASE_CODES } from "@/lib/registry/fhir";
import { STATUS_LABELS } from "@/lib/registry/public/data";
import { PHASES, RECRUITMENT_STATUSES } from "@/lib/registry/schema";
import { searchCatalogue } from "@/lib/search/data";
import { isFiltered, parseSearchParams } from "@/lib/search/schema";

export const metadata: Metadata = { title: "Trial registry" };

const DAY = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

export default async function TrialsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { query, problems } = parseSearchParams(await searchParams);
  const result = await searchCatalogue("trial", query);
  const filtered = isFiltered(query);
  const { facets } = result;

  return (
    <div className="flex flex-col gap-6">
      <PageTitle lead="Every trial registered on TrialLedger, with its full version history. No sign-in needed.">Trial registry</PageTitle>

      <SearchForm
        action="/trials"
        label="Search the registry"
        query={query}
        problems={problems}
        filtered={filtered}
        hint="Words or parts of words of the registration number, titles, acronym, sponsors, conditions or interventions."
        facets={[
          { name: "phase", label: "Phase", any: "Any phase", options: facetOptions({ counts: facets.phase, selected: query.phase, values: PHASES, labelOf: (p) => PHASE_CODES[p as keyof typeof PHASE_CODES].display }) },
          {
            name: "status",
            label: "Recruitment status",
            any: "Any status",
            options: facetOptions({ counts: facets.status, selected: query.status, values: RECRUITMENT_STATUSES, labelOf: (s) => STATUS_LABELS[s as keyof typeof STATUS_LABELS] }),
          },
          { name: "country", label: "Country", any: "Any country", options: facetOptions({ counts: facets.country, selected: query.country }) },
          { name: "sponsor", label: "Sponsor", any: "Any sponsor", options: facetOptions({ counts: facets.sponsor, selected: query.sponsor }) },
        ]}
      />

      <SearchResults
        path="/trials"
        query={query}
        result={result}
        filtered={filtered}
        noun={{ one: "trial", many: "trials", listed: "registered" }}
        empty={filtered ? "No trial matches these filters. Try fewer or broader criteria." : "No trial has been registered yet."}
      >
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
              {result.results.map((trial) => (
                <tr key={trial.registrationNumber} className="border-b border-slate-200 align-top dark:border-slate-800">
                  <th scope="row" className="py-2 pr-3 font-mono font-normal whitespace-nowrap">
                    <Link href={`/trials/${trial.registrationNumber}`} className="text-sky-700 underline dark:text-sky-400">
                      {trial.registrationNumber}
                    </Link>
                  </th>
                  <td className="py-2 pr-3">{trial.publicTitle}</td>
                  <td className="py-2 pr-3">{trial.primarySponsor}</td>
                  <td className="py-2 pr-3 whitespace-nowrap">{PHASE_CODES[trial.phase].display}</td>
                  <td className="py-2 pr-3">{STATUS_LABELS[trial.recruitmentStatus]}</td>
                  <td className="py-2 pr-3">{trial.countries.join(", ")}</td>
                  <td className="py-2 whitespace-nowrap">
                    <time dateTime={trial.registeredAt}>{DAY.format(new Date(trial.registeredAt))}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </SearchResults>
    </div>
  );
}
