import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AnchorCell } from "@/app/_components/anchor-cell";
import { Section } from "@/app/_components/field";
import { RequestAccessForm } from "@/app/(public)/datasets/[number]/request-access";
import { releaseRefOf } from "@/lib/access/schema";
import { anchorState } from "@/lib/anchoring/service";
import { currentSession } from "@/lib/auth/session";
import { getDataset } from "@/lib/datasets/data";
import { type PublicDataset, type PublicRelease, publicDataset } from "@/lib/datasets/view";
import { describeConditions } from "@/lib/duo/describe";
import { termLabels } from "@/lib/duo/data";
import { env } from "@/lib/env";
import { formatBytes } from "@/lib/format";
import { datasetNumberSegment } from "@/lib/schema/values";

type Props = { params: Promise<{ number: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const linkClass = "text-sky-700 underline dark:text-sky-400";

async function load(segment: string) {
  const number = datasetNumberSegment(segment);
  const row = number ? await getDataset(number, { publishedOnly: true }) : null;
  const view = row ? publicDataset(row) : null;
  return row && view ? { row, view } : null;
}

const stateOf = (itemId: string | null) => (itemId ? anchorState(itemId).catch(() => null) : Promise.resolve(null));

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const dataset = (await load((await params).number))?.view;
  return { title: dataset ? `${dataset.title} (${dataset.number})` : "Dataset not found" };
}

/** A plain-text citation in the DataCite order: creator (year). title (version). publisher. identifier. */
function citation(d: PublicDataset, r: PublicRelease, url: string): string {
  return `${d.sponsor} (${r.publishedAt.slice(0, 4)}). ${d.title} (release ${r.number}) [Data set]. TrialLedger. ${d.number}. ${url}`;
}

/**
 * schema.org Dataset, for catalogues and search engines. Access is controlled: no content URL, and
 * `conditionsOfAccess` says in words what the DUO conditions allow (the data is requested, never downloaded here).
 */
function jsonLd(d: PublicDataset, r: PublicRelease, url: string, conditionsText: string[], conditionNames: Array<{ id: string; label: string }>): string {
  const data = {
    "@context": "https://schema.org",
    "@type": "Dataset",
    "@id": url,
    url,
    name: d.title,
    identifier: d.number,
    description: r.metadata.description,
    keywords: r.metadata.keywords,
    license: r.metadata.licence === "custom" ? r.metadata.licenceText : `https://spdx.org/licenses/${r.metadata.licence}.html`,
    version: String(r.number),
    datePublished: r.publishedAt.slice(0, 10),
    dateCreated: d.createdAt.slice(0, 10),
    isAccessibleForFree: false,
    conditionsOfAccess: conditionsText.join(" "),
    creator: { "@type": "Organization", name: d.sponsor },
    publisher: { "@type": "Organization", name: "TrialLedger" },
    isBasedOn: `${new URL(url).origin}/trials/${d.trial}`,
    about: conditionNames.map((c) => ({ "@type": "MedicalCondition", name: c.label, code: { "@type": "MedicalCode", codeValue: c.id, codingSystem: "MONDO" } })),
    variableMeasured: r.dictionary.columns.map((c) => ({ "@type": "PropertyValue", name: c.name, description: c.label, ...(c.unit ? { unitText: c.unit } : {}) })),
    citation: citation(d, r, url),
  };
  return JSON.stringify(data).replaceAll("<", "\\u003c");
}

export default async function DatasetPage({ params, searchParams }: Props) {
  const loaded = await load((await params).number);
  if (!loaded) notFound();
  const { row, view: dataset } = loaded;
  const wanted = Number((await searchParams).release);
  const latest = dataset.releases.at(-1) as PublicRelease;
  const release = dataset.releases.find((r) => r.number === wanted) ?? latest;
  const mondoIds = [...release.metadata.conditions, ...(release.conditions.permission.code === "DS" ? release.conditions.permission.diseases : [])];
  const labels = await termLabels(mondoIds);
  const described = describeConditions(release.conditions, labels);
  const conditionNames = release.metadata.conditions.map((id) => ({ id, label: labels.get(id) ?? id }));
  const url = `${env().authUrl}/datasets/${dataset.number}`;
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  const session = await currentSession();
  const shownRow = row.releases.find((r) => r.number === release.number);
  const [releaseStates, fileStates] = await Promise.all([
    Promise.all(dataset.releases.map((r) => stateOf(row.releases.find((x) => x.number === r.number)?.anchorItemId ?? null))),
    Promise.all(release.files.map((f) => stateOf(shownRow?.files.find((x) => x.name === f.name)?.anchorItemId ?? null))),
  ]);

  return (
    <article className="flex flex-col gap-10">
      <script type="application/ld+json" nonce={nonce} dangerouslySetInnerHTML={{ __html: jsonLd(dataset, release, url, described.map((c) => c.text), conditionNames) }} />
      <header className="flex flex-col gap-2">
        <p className="font-mono text-sm text-slate-600 dark:text-slate-400">{dataset.number}</p>
        <h1 className="text-2xl font-semibold tracking-tight">{dataset.title}</h1>
        <p>
          A dataset of trial{" "}
          <Link href={`/trials/${dataset.trial}`} className={linkClass}>
            {dataset.trial}
          </Link>
          , shared by {dataset.sponsor}. Release {release.number}
          {release.number === latest.number ? " (the latest)" : ` (the latest is ${latest.number})`}, published <time dateTime={release.publishedAt}>{release.publishedAt.slice(0, 10)}</time>.
        </p>
        <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
          Controlled access: the data is not downloadable here. Researchers request access; the sponsor&apos;s data-access committee decides under the conditions below.
        </p>
        {session?.roles.includes("researcher") ? (
          <RequestAccessForm release={releaseRefOf(dataset.number, latest.number)} />
        ) : (
          <p className="text-sm">
            Researchers{" "}
            <Link href={`/sign-in?callbackUrl=${encodeURIComponent(`/datasets/${dataset.number}`)}`} className={linkClass}>
              sign in
            </Link>{" "}
            to request access.
          </p>
        )}
        <p><Link href={`/access?dataset=${dataset.number}`} className={linkClass}>Access register for this dataset</Link>: who was given access, for what, and how requests fared.</p>
      </header>

      <Section id="about" title="About the data">
        <p className="max-w-prose whitespace-pre-line">{release.metadata.description}</p>
        <dl className="grid gap-2 sm:grid-cols-[12rem_1fr]">
          <dt className="font-medium">Conditions</dt>
          <dd>{conditionNames.map((c) => `${c.label} (${c.id})`).join("; ")}</dd>
          <dt className="font-medium">Keywords</dt>
          <dd>{release.metadata.keywords.join(", ") || "—"}</dd>
          <dt className="font-medium">Licence</dt>
          <dd>{release.metadata.licence === "custom" ? release.metadata.licenceText : release.metadata.licence}</dd>
          {release.metadata.releaseNotes ? (
            <>
              <dt className="font-medium">Release notes</dt>
              <dd className="whitespace-pre-line">{release.metadata.releaseNotes}</dd>
            </>
          ) : null}
        </dl>
      </Section>

      <Section id="conditions" title="Conditions of use (DUO)">
        <ul className="list-disc pl-6" data-testid="duo-conditions">
          {described.map((c) => (
            <li key={c.code}>
              {c.text} <span className="font-mono text-xs text-slate-600 dark:text-slate-400">({c.code}, {c.id})</span>
            </li>
          ))}
        </ul>
      </Section>

      <Section id="files" title="Files">
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Files of this release">
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="border-b border-slate-200 dark:border-slate-700">
                <th scope="col" className="py-2 pr-3">Name</th>
                <th scope="col" className="py-2 pr-3">Format</th>
                <th scope="col" className="py-2 pr-3">Size</th>
                <th scope="col" className="py-2 pr-3">Rows</th>
                <th scope="col" className="py-2 pr-3">SHA-256</th>
                <th scope="col" className="py-2">Anchoring</th>
              </tr>
            </thead>
            <tbody>
              {release.files.map((f, i) => (
                <tr key={f.digest + f.name} className="border-b border-slate-100 align-top dark:border-slate-800">
                  <td className="py-2 pr-3">{f.name}</td>
                  <td className="py-2 pr-3">{f.format.toUpperCase()}</td>
                  <td className="py-2 pr-3">{formatBytes(f.size)}</td>
                  <td className="py-2 pr-3">{f.rows?.toLocaleString("en-GB") ?? "—"}</td>
                  <td className="py-2 pr-3 font-mono text-xs break-all">{f.digest}</td>
                  <td className="py-2">
                    <AnchorCell state={fileStates[i] ?? null} receiptHref={`/api/datasets/${dataset.number}/releases/${release.number}/files/${f.digest}/receipt`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>

      <Section id="dictionary" title="Data dictionary">
        <p>
          <a href={`/api/datasets/${dataset.number}/releases/${release.number}/dictionary?format=csv`} className={linkClass} download>
            Download as CSV
          </a>{" "}
          ·{" "}
          <a href={`/api/datasets/${dataset.number}/releases/${release.number}/dictionary`} className={linkClass} download>
            as JSON
          </a>
        </p>
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Data dictionary">
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="border-b border-slate-200 dark:border-slate-700">
                <th scope="col" className="py-2 pr-3">Column</th>
                <th scope="col" className="py-2 pr-3">Label</th>
                <th scope="col" className="py-2 pr-3">Type</th>
                <th scope="col" className="py-2 pr-3">Unit</th>
                <th scope="col" className="py-2 pr-3">Required</th>
                <th scope="col" className="py-2">Codes</th>
              </tr>
            </thead>
            <tbody>
              {release.dictionary.columns.map((c) => (
                <tr key={c.name} className="border-b border-slate-100 align-top dark:border-slate-800">
                  <td className="py-2 pr-3 font-mono">{c.name}</td>
                  <td className="py-2 pr-3">
                    {c.label}
                    {c.pseudonym ? <span className="block text-xs text-slate-600 dark:text-slate-400">Participant pseudonym</span> : null}
                  </td>
                  <td className="py-2 pr-3">{c.type}</td>
                  <td className="py-2 pr-3">{c.unit ?? "—"}</td>
                  <td className="py-2 pr-3">{c.required ? "yes" : "no"}</td>
                  <td className="py-2">{c.codes?.map((k) => `${k.code} = ${k.label}`).join("; ") ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>

      <Section id="releases" title="Releases">
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Releases">
          <table className="w-full text-left text-sm">
            <thead>
              <tr className="border-b border-slate-200 dark:border-slate-700">
                <th scope="col" className="py-2 pr-3">Release</th>
                <th scope="col" className="py-2 pr-3">Published</th>
                <th scope="col" className="py-2 pr-3">Manifest</th>
                <th scope="col" className="py-2">Anchoring</th>
              </tr>
            </thead>
            <tbody>
              {dataset.releases.map((r, i) => (
                <tr key={r.number} className="border-b border-slate-100 align-top dark:border-slate-800" data-testid={`release-${r.number}`}>
                  <td className="py-2 pr-3">
                    {r.number === release.number ? (
                      <span aria-current="true">{r.number} (shown)</span>
                    ) : (
                      <Link href={`/datasets/${dataset.number}?release=${r.number}`} className={linkClass}>
                        {r.number}
                      </Link>
                    )}
                  </td>
                  <td className="py-2 pr-3">{r.publishedAt.slice(0, 10)}</td>
                  <td className="py-2 pr-3">
                    <a href={`/api/datasets/${dataset.number}/releases/${r.number}/manifest`} className={`${linkClass} font-mono text-xs break-all`}>
                      {r.manifestDigest}
                    </a>
                  </td>
                  <td className="py-2">
                    <AnchorCell state={releaseStates[i] ?? null} receiptHref={`/api/datasets/${dataset.number}/releases/${r.number}/receipt`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>

      <Section id="cite" title="Cite this dataset">
        <p className="max-w-prose rounded-md bg-slate-100 p-3 text-sm dark:bg-slate-800" data-testid="citation">
          {citation(dataset, release, url)}
        </p>
      </Section>
    </article>
  );
}
