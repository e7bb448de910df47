import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { PageTitle } from "@/app/_components/field";
import { TrialForm } from "@/app/(sponsor)/orgs/[slug]/trials/trial-form";
import { requirePageAccess } from "@/lib/auth/session";
import { getOrgBySlug } from "@/lib/orgs/data";
import { registrationNumberSegment, segmentOf, slug as slugValue } from "@/lib/schema/values";
import { getTrialByNumber } from "@/lib/registry/data";
import { trialRecordInput } from "@/lib/registry/schema";

export const metadata: Metadata = { title: "Amend a trial" };

export default async function AmendTrialPage({ params }: { params: Promise<{ slug: string; number: string }> }) {
  const { slug, number } = await params;
  const session = await requirePageAccess(["sponsor"], `/orgs/${slug}/trials/${number}/amend`);
  const registration = registrationNumberSegment(number);
  const [org, trial] =
    segmentOf(slugValue, slug) && registration ? await Promise.all([getOrgBySlug(slug), getTrialByNumber(registration)]) : [null, null];
  const current = trial?.versions.at(-1);
  // The trial must belong to this organisation: /orgs/a/trials/<b's trial>/amend is not found.
  if (!org || !trial || !current || trial.orgId !== org.id) notFound();
  if (!org.members.some((m) => m.user.id === session.id)) redirect("/forbidden");
  const record = trialRecordInput.parse(current.record);
  return (
    <>
      <PageTitle
        lead={
          <>
            Amending version {current.version} of{" "}
            <Link href={`/trials/${trial.registrationNumber}`} className="text-sky-700 underline dark:text-sky-400">
              {trial.registrationNumber}
            </Link>
            . The amendment becomes version {current.version + 1}; changes to outcomes are shown on the public page.
          </>
        }
      >
        Amend {record.acronym ?? trial.registrationNumber}
      </PageTitle>
      <TrialForm
        mode="amend"
        registrationNumber={trial.registrationNumber}
        basedOnVersion={current.version}
        orgName={org.name}
        signer={{ name: session.name, email: session.email }}
        initial={record}
      />
    </>
  );
}
