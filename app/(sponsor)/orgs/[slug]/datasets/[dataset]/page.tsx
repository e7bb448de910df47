import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { AnchorCell } from "@/app/_components/anchor-cell";
import { Card, PageTitle } from "@/app/_components/field";
import { ValidationReport } from "@/app/_components/validation-report";
import { AddFiles, PseudonymsDownload, RemoveFileButton, ValidateAgainButton } from "@/app/(sponsor)/orgs/[slug]/datasets/[dataset]/files-section";
import { MetadataForm } from "@/app/(sponsor)/orgs/[slug]/datasets/[dataset]/metadata-form";
import { NewReleaseButton, PublishForm } from "@/app/(sponsor)/orgs/[slug]/datasets/[dataset]/publish-form";
import { SectionForm } from "@/app/(sponsor)/orgs/[slug]/datasets/[dataset]/section-form";
import { anchorState } from "@/lib/anchoring/service";
import { requirePageAccess } from "@/lib/auth/session";
import { dataDictionary } from "@/lib/datasets/dictionary";
import { validationReport } from "@/lib/datasets/report";
import { publicationMeaning, publicationProblems, requireOrgDataset } from "@/lib/datasets/service";
import { dataUseConditions } from "@/lib/duo/conditions";
import { termLabels } from "@/lib/duo/data";
import { AppError } from "@/lib/errors";
import { formatBytes } from "@/lib/format";
import { datasetNumberSegment, segmentOf, slug as slugValue } from "@/lib/schema/values";

export const metadata: Metadata = { title: "Dataset" };

const linkClass = "text-sky-700 underline dark:text-sky-400";

/**
 * The sponsor's page of one dataset: its published releases (anchoring state, receipts) and the
 * draft of the next one, edited section by section and kept on the server until it is published.
 */
export default async function OrgDatasetPage({ params }: { params: Promise<{ slug: string; dataset: string }> }) {
  const { slug, dataset: segment } = await params;
  const session = await requirePageAccess(["sponsor"], `/orgs/${slug}/datasets/${segment}`);
  const number = datasetNumberSegment(segment);
  if (!number || !segmentOf(slugValue, slug)) notFound();
  const dataset = await requireOrgDataset(session, number).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") return null;
    throw error;
  });
  if (!dataset) notFound();
  if (dataset.org.slug !== slug) redirect(`/orgs/${dataset.org.slug}/datasets/${dataset.number}`);

  const published = dataset.releases.filter((r) => r.status === "PUBLISHED");
  const draft = dataset.releases.find((r) => r.status === "DRAFT");
  const states = await Promise.all(published.map((r) => (r.anchorItemId ? anchorState(r.anchorItemId).catch(() => null) : Promise.resolve(null))));
  const metadataValue = (draft?.metadata ?? {}) as { conditions?: string[] };
  const labels = Object.fromEntries(await termLabels(metadataValue.conditions ?? []));
  const dictionary = draft ? dataDictionary.safeParse(draft.dictionary) : null;
  const conditions = draft ? dataUseConditions.safeParse(draft.conditions) : null;
  const problems = draft ? Object.values(publicationProblems(draft)).flat() : [];

  return (
    <>
      <PageTitle
        lead={
          <>
            {dataset.number}, a dataset of trial{" "}
            <Link href={`/trials/${dataset.trial.registrationNumber}`} className={linkClass}>
              {dataset.trial.registrationNumber}
            </Link>
            {published.length > 0 ? (
              <>
                {" · "}
                <Link href={`/datasets/${dataset.number}`} className={linkClass}>
                  Public page
                </Link>
              </>
            ) : null}
            {" · "}
            <Link href={`/orgs/${slug}/datasets`} className={linkClass}>
              All datasets
            </Link>
          </>
        }
      >
        {dataset.title}
      </PageTitle>
      <div className="flex flex-col gap-6">
        <Card title="Published releases">
          {published.length === 0 ? (
            <p>None yet. Release 1 is public once you publish it.</p>
          ) : (
            <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Published releases">
              <table className="w-full text-left text-sm">
                <thead>
                  <tr className="border-b border-slate-200 dark:border-slate-700">
                    <th scope="col" className="py-2 pr-4">Release</th>
                    <th scope="col" className="py-2 pr-4">Published</th>
                    <th scope="col" className="py-2 pr-4">Manifest digest</th>
                    <th scope="col" className="py-2">Anchoring</th>
                  </tr>
                </thead>
                <tbody>
                  {published.map((r, i) => (
                    <tr key={r.id} className="border-b border-slate-100 align-top dark:border-slate-800" data-testid={`release-${r.number}`}>
                      <td className="py-2 pr-4">{r.number}</td>
                      <td className="py-2 pr-4">{r.publishedAt?.toISOString().slice(0, 10)}</td>
                      <td className="py-2 pr-4 font-mono text-xs break-all">{r.manifestDigest}</td>
                      <td className="py-2">
                        <AnchorCell state={states[i] ?? null} receiptHref={`/api/datasets/${dataset.number}/releases/${r.number}/receipt`} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {!draft && published.length > 0 ? (
            <div className="mt-4">
              <NewReleaseButton datasetNumber={dataset.number} next={(published.at(-1)?.number ?? 0) + 1} />
            </div>
          ) : null}
        </Card>

        {draft ? (
          <>
            <h2 className="text-xl font-semibold">Draft of release {draft.number}</h2>
            <p className="-mt-4 text-sm text-slate-600 dark:text-slate-400">
              Saved on the server, last changed <time dateTime={draft.updatedAt.toISOString()}>{draft.updatedAt.toISOString().slice(0, 16).replace("T", " ")} UTC</time>. Nothing of it is public
              until you publish.
            </p>
            <Card title="1. Description">
              <MetadataForm datasetNumber={dataset.number} release={draft.number} initial={draft.metadata as never} conditionLabels={labels} />
            </Card>
            <Card title="2. Data dictionary">
              <SectionForm
                datasetNumber={dataset.number}
                section="dictionary"
                initial={dictionary?.success ? dictionary.data : undefined}
                submitLabel="Save the dictionary"
                savedMessage="Dictionary saved. Files are validated against it."
              />
            </Card>
            <Card title="3. Data-use conditions (DUO)">
              <SectionForm
                datasetNumber={dataset.number}
                section="conditions"
                initial={conditions?.success ? conditions.data : undefined}
                submitLabel="Save the conditions"
                savedMessage="Conditions saved."
              />
            </Card>
            <Card title="4. Files">
              <div className="flex flex-col gap-4">
                <p className="max-w-prose text-sm">
                  Key each row by the participant&apos;s pseudonym, proved through the handover (Verify pseudonym). Rows with any other value are listed as unknown
                  and stop publication.
                </p>
                <PseudonymsDownload datasetNumber={dataset.number} />
                {draft.files.length === 0 ? (
                  <p>No files yet.</p>
                ) : (
                  <ul className="flex flex-col gap-4" aria-label="Files of the draft">
                    {draft.files.map((f) => {
                      const report = f.report ? validationReport.safeParse(f.report) : null;
                      return (
                        <li key={f.id} className="flex flex-col gap-2 rounded-md border border-slate-200 p-3 dark:border-slate-700" data-testid={`file-${f.name}`}>
                          <div className="flex flex-wrap items-center gap-3">
                            <span className="font-medium">{f.name}</span>
                            <span className="text-sm text-slate-600 dark:text-slate-400">
                              {f.format.toUpperCase()} · {formatBytes(Number(f.size))}
                            </span>
                            <RemoveFileButton datasetNumber={dataset.number} fileId={f.id} name={f.name} />
                          </div>
                          <p className="font-mono text-xs break-all">{f.digest}</p>
                          {f.format === "other" ? (
                            <p className="text-sm">A document: kept as it is, not validated row by row.</p>
                          ) : report?.success ? (
                            <ValidationReport report={report.data} />
                          ) : (
                            <p className="text-sm">Not validated against the current dictionary yet{dictionary?.success ? "." : ": save the dictionary first."}</p>
                          )}
                        </li>
                      );
                    })}
                  </ul>
                )}
                {draft.files.some((f) => f.format !== "other") ? <ValidateAgainButton datasetNumber={dataset.number} /> : null}
                <AddFiles datasetNumber={dataset.number} orgId={dataset.orgId} />
              </div>
            </Card>
            <Card title="5. Publish">
              <PublishForm
                datasetNumber={dataset.number}
                release={draft.number}
                meaning={await publicationMeaning(dataset, draft.number)}
                basedOnUpdatedAt={draft.updatedAt.toISOString()}
                signer={{ name: session.name, email: session.email }}
                problems={problems}
              />
            </Card>
          </>
        ) : null}
      </div>
    </>
  );
}
