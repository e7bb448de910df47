import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { Card, PageTitle } from "@/app/_components/field";
import { CreateDatasetForm } from "@/app/(sponsor)/orgs/[slug]/datasets/create-dataset-form";
import { requirePageAccess } from "@/lib/auth/session";
import { listOrgDatasets } from "@/lib/datasets/data";
import { getOrgBySlug } from "@/lib/orgs/data";
import { listOrgTrials } from "@/lib/registry/data";
import { segmentOf, slug as slugValue } from "@/lib/schema/values";

export const metadata: Metadata = { title: "Datasets" };

const linkClass = "text-sky-700 underline dark:text-sky-400";

/** The organisation's datasets, each with its latest release's state, and the form that creates one. */
export default async function OrgDatasetsPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { slug } = await params;
  const session = await requirePageAccess(["sponsor"], `/orgs/${slug}/datasets`);
  const org = segmentOf(slugValue, slug) ? await getOrgBySlug(slug) : null;
  if (!org) notFound();
  if (!org.members.some((m) => m.user.id === session.id)) redirect("/forbidden");
  const [datasets, trials] = await Promise.all([listOrgDatasets(org.id), listOrgTrials(org.id)]);
  const wanted = (await searchParams).trial;
  return (
    <>
      <PageTitle lead={<>Datasets of {org.name}&apos;s trials. A release is kept as a draft here until you publish it; a published release never changes.</>}>
        Datasets
      </PageTitle>
      <div className="flex flex-col gap-6">
        <Card title="Your datasets">
          {datasets.length === 0 ? (
            <p>No datasets yet.</p>
          ) : (
            <ul className="flex flex-col gap-2">
              {datasets.map((d) => {
                const latest = d.releases[0];
                return (
                  <li key={d.number}>
                    <Link href={`/orgs/${org.slug}/datasets/${d.number}`} className={linkClass}>
                      {d.number}
                    </Link>{" "}
                    — {d.title} (trial {d.trial.registrationNumber}){" "}
                    {latest ? (
                      <span className="text-sm text-slate-600 dark:text-slate-400">
                        · release {latest.number}: {latest.status === "DRAFT" ? "draft" : `published ${latest.publishedAt?.toISOString().slice(0, 10)}`}
                      </span>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
        <Card title="Create a dataset">
          {trials.length === 0 ? (
            <p>
              Register a trial first: every dataset belongs to one of your trials. <Link href={`/orgs/${org.slug}/trials/new`} className={linkClass}>Register a trial</Link>
            </p>
          ) : (
            <CreateDatasetForm
              orgSlug={org.slug}
              trials={trials.map((t) => ({ registrationNumber: t.registrationNumber, title: t.publicTitle }))}
              initialTrial={typeof wanted === "string" ? wanted : undefined}
            />
          )}
        </Card>
      </div>
    </>
  );
}
