import type { Metadata } from "next";
import Link from "next/link";
import { SearchResults } from "@/app/(public)/_search/results";
import { SearchForm, facetOptions } from "@/app/(public)/_search/search-form";
import { Field, PageTitle } from "@/app/_components/field";
import { DUO_TERMS } from "@/lib/consent/duo";
import { FILE_FORMATS } from "@/lib/datasets/schema";
import { PERMISSION_CODES } from "@/lib/duo/conditions";
import { termLabels } from "@/lib/duo/data";
import { PHASE_CODES } from "@/lib/registry/fhir";
import { PHASES } from "@/lib/registry/schema";
import { searchCatalogue } from "@/lib/search/data";
import { isFiltered, parseSearchParams } from "@/lib/search/schema";

export const metadata: Metadata = { title: "Dataset catalogue" };

const PERMISSION_LABELS: Record<string, string> = Object.fromEntries(
  Object.values(DUO_TERMS)
    .filter((term) => term.kind === "permission")
    .map((term) => [term.code, term.label]),
);
const FORMAT_LABELS: Record<string, string> = { csv: "CSV", tsv: "TSV", ndjson: "NDJSON", other: "Other files" };
const DAY = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

export default async function DatasetsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { query, problems } = parseSearchParams(await searchParams);
  const [result, labels] = await Promise.all([searchCatalogue("dataset", query), termLabels(query.condition ? [query.condition] : [])]);
  const filtered = isFiltered(query);
  const { facets } = result;
  const conditionLabel = query.condition ? labels.get(query.condition) : undefined;

  return (
    <div className="flex flex-col gap-6">
      <PageTitle lead="Participant-level data released by the sponsors of registered trials, with the conditions of use of each release. Access is requested per dataset; browsing needs no sign-in.">
        Dataset catalogue
      </PageTitle>

      <SearchForm
        action="/datasets"
        label="Search the dataset catalogue"
        query={query}
        problems={problems}
        filtered={filtered}
        hint="Words or parts of words of the title, description, keywords, conditions, sponsor or trial."
        facets={[
          {
            name: "permission",
            label: "Permitted use (DUO)",
            any: "Any permitted use",
            options: facetOptions({ counts: facets.permission, selected: query.permission, values: PERMISSION_CODES, labelOf: (code) => PERMISSION_LABELS[code] ?? code }),
          },
          { name: "phase", label: "Phase", any: "Any phase", options: facetOptions({ counts: facets.phase, selected: query.phase, values: PHASES, labelOf: (p) => PHASE_CODES[p as keyof typeof PHASE_CODES].display }) },
          { name: "country", label: "Country", any: "Any country", options: facetOptions({ counts: facets.country, selected: query.country }) },
          { name: "sponsor", label: "Sponsor", any: "Any sponsor", options: facetOptions({ counts: facets.sponsor, selected: query.sponsor }) },
          { name: "fileType", label: "File type", any: "Any file type", options: facetOptions({ counts: facets.fileType, selected: query.fileType, values: FILE_FORMATS, labelOf: (f) => FORMAT_LABELS[f] ?? f }) },
        ]}
      >
        <Field
          name="condition"
          id="search-condition"
          label="Condition"
          defaultValue={query.condition ?? ""}
          autoComplete="off"
          errors={problems.condition ? [problems.condition] : undefined}
          hint={
            query.condition ? (
              <>
                {conditionLabel ? `${query.condition}: ${conditionLabel}` : `${query.condition} is not in the loaded ontology.`} Its subclasses match too.
              </>
            ) : (
              "A Mondo disease id, like MONDO:0005015 (diabetes mellitus): datasets about it or any of its subclasses match."
            )
          }
        />
      </SearchForm>

      <SearchResults
        path="/datasets"
        query={query}
        result={result}
        filtered={filtered}
        noun={{ one: "dataset", many: "datasets", listed: "published" }}
        empty={filtered ? "No dataset matches these filters. Try fewer or broader criteria." : "No dataset has been published yet."}
      >
        <ul aria-label={`Datasets${filtered ? " matching your search" : ""}`} className="flex flex-col gap-3">
          {result.results.map((dataset) => (
            <li key={dataset.number} className="rounded-lg border border-slate-200 p-4 dark:border-slate-700">
              <article aria-labelledby={`dataset-${dataset.number}`} className="flex flex-col gap-2">
                <h3 id={`dataset-${dataset.number}`} className="font-semibold">
                  <Link href={`/datasets/${dataset.number}`} className="text-sky-700 underline dark:text-sky-400">
                    {dataset.title}
                  </Link>{" "}
                  <span className="font-mono text-sm font-normal text-slate-600 dark:text-slate-400">{dataset.number}</span>
                </h3>
                <p className="text-sm">{dataset.description}</p>
                <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
                  <dt className="font-medium">Sponsor</dt>
                  <dd>{dataset.sponsor}</dd>
                  <dt className="font-medium">Trial</dt>
                  <dd>
                    <Link href={`/trials/${dataset.trial.registrationNumber}`} className="underline">
                      {dataset.trial.publicTitle}
                    </Link>{" "}
                    <span className="font-mono">({dataset.trial.registrationNumber})</span>
                  </dd>
                  <dt className="font-medium">Conditions</dt>
                  <dd>{dataset.conditions.map((c) => c.label).join(", ")}</dd>
                  <dt className="font-medium">Permitted use</dt>
                  <dd>{PERMISSION_LABELS[dataset.permission] ?? dataset.permission} ({dataset.permission})</dd>
                  <dt className="font-medium">Files</dt>
                  <dd>{dataset.fileTypes.map((f) => FORMAT_LABELS[f] ?? f).join(", ") || "None"}</dd>
                  <dt className="font-medium">Latest release</dt>
                  <dd>
                    Release {dataset.release}, published <time dateTime={dataset.publishedAt}>{DAY.format(new Date(dataset.publishedAt))}</time>
                  </dd>
                </dl>
              </article>
            </li>
          ))}
        </ul>
      </SearchResults>
    </div>
  );
}
