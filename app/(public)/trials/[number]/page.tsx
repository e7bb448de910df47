import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { anchorState } from "@/lib/anchoring/service";
import { diffRecords } from "@/lib/registry/diff";
import { PHASE_CODES } from "@/lib/registry/fhir";
import { listTrialDatasets } from "@/lib/datasets/data";
import { listTrialFiles } from "@/lib/registry/data";
import { STATUS_LABELS, getPublicTrial } from "@/lib/registry/public/data";
import type { TrialRecord } from "@/lib/registry/schema";
import { registrationNumberSegment } from "@/lib/schema/values";
import { AnchorCell } from "@/app/_components/anchor-cell";
import { formatBytes } from "@/lib/format";
import { Section } from "@/app/_components/field";

type Props = { params: Promise<{ number: string }> };

const WHEN = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const when = (date: Date) => `${WHEN.format(date)} UTC`;

const CHAIN_STATUS = { PENDING: "Waiting to be sent", SENT: "Sent, awaiting confirmation", CONFIRMED: "Registered on chain" } as const;

function humane(code: string): string {
  const text = code.replaceAll("-", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const number = registrationNumberSegment((await params).number);
  const trial = number ? await getPublicTrial(number) : null;
  const current = trial?.versions.at(-1);
  return { title: current ? `${number}: ${current.record.acronym ?? current.record.publicTitle}` : "Trial not found" };
}

/**
 * schema.org MedicalTrial, for search engines. `<` is escaped so that no text in the record can
 * close the script element early.
 */
function jsonLd(registrationNumber: string, record: TrialRecord): string {
  const design = record.studyType.allocation === "randomized" ? ["https://schema.org/RandomizedTrial"] : [];
  if (record.studyType.masking === "none") design.push("https://schema.org/OpenTrial");
  if (record.studyType.masking === "single") design.push("https://schema.org/SingleBlindedTrial");
  if (record.studyType.masking === "double") design.push("https://schema.org/DoubleBlindedTrial");
  if (record.studyType.masking === "triple") design.push("https://schema.org/TripleBlindedTrial");
  const status = {
    pending: "https://schema.org/NotYetRecruiting",
    recruiting: "https://schema.org/Recruiting",
    suspended: "https://schema.org/Suspended",
    complete: "https://schema.org/ActiveNotRecruiting",
    other: undefined,
  }[record.recruitmentStatus];
  const data = {
    "@context": "https://schema.org",
    "@type": "MedicalTrial",
    name: record.publicTitle,
    alternateName: record.acronym,
    identifier: registrationNumber,
    description: record.scientificTitle,
    trialDesign: design.length ? design : undefined,
    phase: PHASE_CODES[record.studyType.phase].display,
    healthCondition: record.conditions.map((c) => ({ "@type": "MedicalCondition", name: c.name, ...(c.code ? { code: { "@type": "MedicalCode", codeValue: c.code } } : {}) })),
    sponsor: [record.primarySponsor, ...record.secondarySponsors].map((name) => ({ "@type": "Organization", name })),
    funder: record.fundingSources.map((name) => ({ "@type": "Organization", name })),
    status,
  };
  return JSON.stringify(data).replaceAll("<", "\\u003c");
}

function show(value: unknown): string {
  if (value === undefined) return "—";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 py-2 sm:grid-cols-[14rem_1fr] sm:gap-4">
      <dt className="font-medium text-slate-700 dark:text-slate-300">{term}</dt>
      <dd className="whitespace-pre-line">{children}</dd>
    </div>
  );
}

function Outcomes({ title, outcomes }: { title: string; outcomes: TrialRecord["primaryOutcomes"] }) {
  return (
    <>
      <h3 className="mt-2 font-semibold">{title}</h3>
      {outcomes.length === 0 ? (
        <p>None registered.</p>
      ) : (
        <ol className="list-decimal space-y-2 pl-6">
          {outcomes.map((o) => (
            <li key={o.id}>
              <span className="font-medium">{o.measure}</span> — <span>{o.timeFrame}</span>
              {o.description ? <span className="block text-sm text-slate-600 dark:text-slate-400">{o.description}</span> : null}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

export default async function TrialPage({ params }: Props) {
  const number = registrationNumberSegment((await params).number);
  const trial = number ? await getPublicTrial(number) : null;
  const current = trial?.versions.at(-1);
  if (!trial || !current) notFound();
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  const [files, datasets] = await Promise.all([listTrialFiles(trial.registrationNumber), listTrialDatasets(trial.registrationNumber, { publishedOnly: true })]);
  const fileStates = await Promise.all(files.map((f) => (f.anchorItemId ? anchorState(f.anchorItemId).catch(() => null) : Promise.resolve(null))));
  const states = await Promise.all(
    trial.versions.map((v) => (v.anchorItemId ? anchorState(v.anchorItemId).catch(() => null) : Promise.resolve(null))),
  );
  const r = current.record;
  const base = `/trials/${trial.registrationNumber}`;
  const flagged = trial.versions.filter((v) => v.outcomeFlags.length > 0);
  const age = (limit: TrialRecord["eligibility"]["minAge"]) => (limit ? `${limit.value} ${limit.unit}` : "no limit");

  return (
    <article className="flex flex-col gap-10">
      <script type="application/ld+json" nonce={nonce} dangerouslySetInnerHTML={{ __html: jsonLd(trial.registrationNumber, r) }} />
      <header className="flex flex-col gap-2">
        <p className="font-mono text-sm text-slate-600 dark:text-slate-400">
          {trial.registrationNumber}
          {r.acronym ? ` · ${r.acronym}` : ""}
        </p>
        <h1 className="text-2xl font-semibold tracking-tight">{r.publicTitle}</h1>
        <p className="text-slate-600 dark:text-slate-400">
          Version {current.version}, registered <time dateTime={current.createdAt.toISOString()}>{when(current.createdAt)}</time>.{" "}
          <a href={`${base}/fhir`} className="text-sky-700 underline dark:text-sky-400">
            FHIR R4 ResearchStudy (JSON)
          </a>{" "}
          · <Link href={`${base}/consent`} className="text-sky-700 underline dark:text-sky-400">Consent and participation</Link>{" "}
          · <Link href="/trials" className="text-sky-700 underline dark:text-sky-400">Back to the registry</Link>
        </p>
      </header>

      <Section id="outcome-changes" title="Outcome changes">
        <div className="rounded-lg border-2 border-amber-500 bg-amber-50 p-5 dark:bg-amber-950">
          <p className="mb-3 text-sm text-slate-700 dark:text-slate-300">
            Changes to pre-specified outcomes after registration (outcome switching) are listed here as each amendment is registered.
          </p>
          {flagged.length === 0 ? (
            <p className="font-medium">No outcome changes: the outcomes are as first registered.</p>
          ) : (
            <ul className="flex flex-col gap-3">
              {flagged.map((v) => (
                <li key={v.version}>
                  <p className="font-medium">
                    Version {v.version}, <time dateTime={v.createdAt.toISOString()}>{when(v.createdAt)}</time>
                  </p>
                  <ul className="list-disc pl-6">
                    {v.outcomeFlags.map((flag, index) => (
                      <li key={`${flag.type}-${flag.outcomeId}-${index}`}>{flag.message}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
        </div>
      </Section>

      <Section id="current-record" title="Current record">
        <dl className="divide-y divide-slate-200 dark:divide-slate-800">
          <Fact term="Scientific title">{r.scientificTitle}</Fact>
          <Fact term="Primary sponsor">{r.primarySponsor}</Fact>
          {r.secondarySponsors.length ? <Fact term="Secondary sponsors">{r.secondarySponsors.join("\n")}</Fact> : null}
          <Fact term="Funding">{r.fundingSources.join("\n")}</Fact>
          {r.secondaryIds.length ? <Fact term="Other identifiers">{r.secondaryIds.map((s) => `${s.id} (${s.issuer})`).join("\n")}</Fact> : null}
          <Fact term="Conditions">{r.conditions.map((c) => (c.code ? `${c.name} (${c.code})` : c.name)).join("\n")}</Fact>
          <Fact term="Study type">
            {[humane(r.studyType.type), r.studyType.allocation, r.studyType.masking ? `masking: ${r.studyType.masking}` : undefined, r.studyType.primaryPurpose ? `purpose: ${r.studyType.primaryPurpose.replaceAll("-", " ")}` : undefined]
              .filter(Boolean)
              .join(", ")}
          </Fact>
          <Fact term="Phase">{PHASE_CODES[r.studyType.phase].display}</Fact>
          <Fact term="Recruitment status">{STATUS_LABELS[r.recruitmentStatus]}</Fact>
          <Fact term="First enrolment">
            {r.dateOfFirstEnrollment.date} ({r.dateOfFirstEnrollment.type})
          </Fact>
          {r.completionDate ? (
            <Fact term="Completion">
              {r.completionDate.date} ({r.completionDate.type})
            </Fact>
          ) : null}
          <Fact term="Target sample size">{r.targetSampleSize.toLocaleString("en-GB")} participants</Fact>
          <Fact term="Countries of recruitment">{r.countries.join(", ")}</Fact>
          <Fact term="Ethics review">
            {[humane(r.ethicsReview.status), r.ethicsReview.committee, r.ethicsReview.approvalDate ? `approved ${r.ethicsReview.approvalDate}` : undefined].filter(Boolean).join(", ")}
          </Fact>
          <Fact term="Public contact">{`${r.publicContact.name}, ${r.publicContact.affiliation}\n${r.publicContact.email}`}</Fact>
          <Fact term="Scientific contact">{`${r.scientificContact.name}, ${r.scientificContact.affiliation}\n${r.scientificContact.email}`}</Fact>
        </dl>

        <h3 className="mt-2 font-semibold">Interventions</h3>
        {r.interventions.length === 0 ? (
          <p>None (observational study).</p>
        ) : (
          <ul className="list-disc space-y-2 pl-6">
            {r.interventions.map((i, index) => (
              <li key={`${i.name}-${index}`}>
                <span className="font-medium">{i.name}</span> ({i.type.replaceAll("-", " ")}): {i.description}
              </li>
            ))}
          </ul>
        )}

        <h3 className="mt-2 font-semibold">Eligibility</h3>
        <dl className="divide-y divide-slate-200 dark:divide-slate-800">
          <Fact term="Inclusion criteria">{r.eligibility.inclusion}</Fact>
          <Fact term="Exclusion criteria">{r.eligibility.exclusion}</Fact>
          <Fact term="Ages">
            From {age(r.eligibility.minAge)} to {age(r.eligibility.maxAge)}
          </Fact>
          <Fact term="Sexes">{humane(r.eligibility.sex)}</Fact>
        </dl>

        <Outcomes title="Primary outcomes" outcomes={r.primaryOutcomes} />
        <Outcomes title="Secondary outcomes" outcomes={r.secondaryOutcomes} />

        <h3 className="mt-2 font-semibold">Individual participant data sharing</h3>
        <p>
          <span className="font-medium">{humane(r.ipdSharingStatement.plan)}.</span> {r.ipdSharingStatement.description}
        </p>
        {r.summaryResults ? (
          <>
            <h3 className="mt-2 font-semibold">Summary results</h3>
            <p className="whitespace-pre-line">{r.summaryResults}</p>
          </>
        ) : null}
      </Section>

      <Section id="version-history" title="Version history">
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Each version&apos;s digest is the SHA-256 of its canonical JSON and names the digest of the version before it. Digests are anchored on chain in
          batches; a receipt lets anyone check the anchoring without trusting the portal.
        </p>
        <div className="overflow-x-auto">
          <table className="w-full border-collapse text-left text-sm">
            <caption className="sr-only">Versions of {trial.registrationNumber}, oldest first</caption>
            <thead>
              <tr className="border-b border-slate-300 dark:border-slate-600">
                <th scope="col" className="py-2 pr-3">Version</th>
                <th scope="col" className="py-2 pr-3">Registered</th>
                <th scope="col" className="py-2 pr-3">Digest</th>
                <th scope="col" className="py-2 pr-3">Previous digest</th>
                <th scope="col" className="py-2 pr-3">On-chain registration</th>
                <th scope="col" className="py-2">Anchoring</th>
              </tr>
            </thead>
            <tbody>
              {trial.versions.map((v, index) => (
                <tr key={v.version} className="border-b border-slate-200 align-top dark:border-slate-800">
                  <th scope="row" className="py-2 pr-3">
                    {v.version}
                  </th>
                  <td className="py-2 pr-3">
                    <time dateTime={v.createdAt.toISOString()}>{when(v.createdAt)}</time>
                  </td>
                  <td className="max-w-[16rem] py-2 pr-3 font-mono text-xs break-all">{v.digest}</td>
                  <td className="max-w-[16rem] py-2 pr-3 font-mono text-xs break-all">{v.previousDigest ?? "— (first version)"}</td>
                  <td className="py-2 pr-3">
                    {CHAIN_STATUS[v.chainStatus]}
                    {v.chainTxHash ? <span className="block font-mono text-xs break-all">tx {v.chainTxHash}</span> : null}
                  </td>
                  <td className="py-2">
                    <AnchorCell state={states[index] ?? null} receiptHref={`/api/trials/${trial.registrationNumber}/versions/${v.version}/receipt`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>

      <Section id="files" title="Files">
        {files.length === 0 ? (
          <p>No files are attached.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full border-collapse text-left text-sm">
              <caption className="sr-only">Files attached to {trial.registrationNumber}</caption>
              <thead>
                <tr className="border-b border-slate-300 dark:border-slate-600">
                  <th scope="col" className="py-2 pr-3">File</th>
                  <th scope="col" className="py-2 pr-3">Kind</th>
                  <th scope="col" className="py-2 pr-3">Size</th>
                  <th scope="col" className="py-2 pr-3">SHA-256</th>
                  <th scope="col" className="py-2">Anchoring</th>
                </tr>
              </thead>
              <tbody>
                {files.map((f, index) => (
                  <tr key={f.digest} className="border-b border-slate-200 align-top dark:border-slate-800">
                    <th scope="row" className="py-2 pr-3 font-normal">
                      <a href={`/api/files/${f.digest}`} className="text-sky-700 underline dark:text-sky-400">
                        {f.name}
                      </a>
                    </th>
                    <td className="py-2 pr-3">{f.kind === "analysis-plan" ? "Statistical analysis plan" : f.kind === "protocol" ? "Protocol" : "Other"}</td>
                    <td className="py-2 pr-3">{formatBytes(f.size)}</td>
                    <td className="max-w-[16rem] py-2 pr-3 font-mono text-xs break-all">{f.digest}</td>
                    <td className="py-2">
                      <AnchorCell state={fileStates[index] ?? null} receiptHref={`/api/trials/${trial.registrationNumber}/files/${f.digest}/receipt`} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>

      <Section id="datasets" title="Datasets">
        <p><Link href={`/access?trial=${trial.registrationNumber}`} className="text-sky-700 underline dark:text-sky-400">Access register for this trial&apos;s data</Link>: who was given access, for what, and how requests fared.</p>
        {datasets.length === 0 ? (
          <p>No dataset of this trial is published yet.</p>
        ) : (
          <ul className="flex flex-col gap-1" data-testid="trial-datasets">
            {datasets.map((d) => (
              <li key={d.number}>
                <Link href={`/datasets/${d.number}`} className="text-sky-700 underline dark:text-sky-400">
                  {d.title}
                </Link>{" "}
                <span className="text-sm text-slate-600 dark:text-slate-400">
                  ({d.number}, release {d.releases[0]?.number}, published {d.releases[0]?.publishedAt?.toISOString().slice(0, 10)})
                </span>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="amendments" title="Amendments">
        {trial.versions.length === 1 ? (
          <p>No amendments: the record is as first registered.</p>
        ) : (
          trial.versions.slice(1).map((v, index) => {
            const previous = trial.versions[index];
            const changes = previous ? diffRecords(previous.record, v.record) : [];
            return (
              <details key={v.version} className="rounded-md border border-slate-200 p-3 dark:border-slate-700">
                <summary className="cursor-pointer font-medium">
                  Version {v.version} (<time dateTime={v.createdAt.toISOString()}>{when(v.createdAt)}</time>): {changes.length}{" "}
                  {changes.length === 1 ? "change" : "changes"}
                </summary>
                <div className="mt-3 overflow-x-auto">
                  <table className="w-full border-collapse text-left text-sm">
                    <caption className="sr-only">
                      Changes from version {v.version - 1} to version {v.version}
                    </caption>
                    <thead>
                      <tr className="border-b border-slate-300 dark:border-slate-600">
                        <th scope="col" className="py-2 pr-3">Field</th>
                        <th scope="col" className="py-2 pr-3">Change</th>
                        <th scope="col" className="py-2 pr-3">Before</th>
                        <th scope="col" className="py-2">After</th>
                      </tr>
                    </thead>
                    <tbody>
                      {changes.map((c, i) => (
                        <tr key={`${c.path}-${i}`} className="border-b border-slate-200 align-top dark:border-slate-800">
                          <th scope="row" className="py-2 pr-3 font-mono text-xs font-normal break-all">
                            {c.path}
                          </th>
                          <td className="py-2 pr-3">{c.kind}</td>
                          <td className="py-2 pr-3 break-words whitespace-pre-line">{show(c.before)}</td>
                          <td className="py-2 break-words whitespace-pre-line">{show(c.after)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </details>
            );
          })
        )}
      </Section>
    </article>
  );
}
