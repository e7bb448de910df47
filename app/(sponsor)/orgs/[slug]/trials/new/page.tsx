import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { PageTitle } from "@/app/_components/field";
import { TrialForm } from "@/app/(sponsor)/orgs/[slug]/trials/trial-form";
import { requirePageAccess } from "@/lib/auth/session";
import { getOrgBySlug } from "@/lib/orgs/data";
import { segmentOf, slug as slugValue } from "@/lib/schema/values";
import type { TrialRecordInput } from "@/lib/registry/schema";

export const metadata: Metadata = { title: "Register a trial" };

/** A blank record: one empty row in each list that needs one, and the choices most trials make. */
function emptyRecord(sponsor: string): TrialRecordInput {
  const contact = { name: "", email: "", affiliation: "" };
  const outcome = { id: "", measure: "", timeFrame: "" };
  return {
    secondaryIds: [],
    fundingSources: [""],
    primarySponsor: sponsor,
    secondarySponsors: [],
    publicContact: contact,
    scientificContact: contact,
    publicTitle: "",
    scientificTitle: "",
    countries: [""],
    conditions: [{ name: "" }],
    interventions: [{ type: "drug", name: "", description: "" }],
    eligibility: { inclusion: "", exclusion: "", sex: "all" },
    studyType: { type: "interventional", phase: "not-applicable" },
    dateOfFirstEnrollment: { date: "", type: "anticipated" },
    targetSampleSize: 0,
    recruitmentStatus: "pending",
    primaryOutcomes: [outcome],
    secondaryOutcomes: [],
    ethicsReview: { status: "pending" },
    ipdSharingStatement: { plan: "undecided", description: "" },
  };
}

export default async function NewTrialPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const session = await requirePageAccess(["sponsor"], `/orgs/${slug}/trials/new`);
  const org = segmentOf(slugValue, slug) ? await getOrgBySlug(slug) : null;
  if (!org) notFound();
  if (!org.members.some((m) => m.user.id === session.id)) redirect("/forbidden");
  return (
    <>
      <PageTitle lead={`For ${org.name}. The record follows the WHO Trial Registration Data Set; once registered it is public and every change is versioned.`}>
        Register a trial
      </PageTitle>
      <TrialForm
        mode="register"
        orgId={org.id}
        orgName={org.name}
        signer={{ name: session.name, email: session.email }}
        initial={emptyRecord(org.name)}
      />
    </>
  );
}
