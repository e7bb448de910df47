import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { Card, PageTitle } from "@/app/_components/field";
import { PseudonymVerifier } from "@/app/(sponsor)/orgs/[slug]/trials/[number]/pseudonym/pseudonym-verifier";
import { requirePageAccess } from "@/lib/auth/session";
import { CHALLENGE_TTL_MS } from "@/lib/consent/service";
import { getOrgBySlug } from "@/lib/orgs/data";
import { registrationNumberSegment, segmentOf, slug as slugValue } from "@/lib/schema/values";
import { getTrialByNumber } from "@/lib/registry/data";

export const metadata: Metadata = { title: "Verify a participant pseudonym" };

const linkClass = "text-sky-700 underline dark:text-sky-400";

export default async function VerifyPseudonymPage({ params }: { params: Promise<{ slug: string; number: string }> }) {
  const { slug, number } = await params;
  const session = await requirePageAccess(["sponsor"], `/orgs/${slug}/trials/${number}/pseudonym`);
  const registration = registrationNumberSegment(number);
  const [org, trial] =
    segmentOf(slugValue, slug) && registration ? await Promise.all([getOrgBySlug(slug), getTrialByNumber(registration)]) : [null, null];
  // The trial must belong to this organisation: /orgs/a/trials/<b's trial>/pseudonym is not found.
  if (!org || !trial || trial.orgId !== org.id) notFound();
  if (!org.members.some((m) => m.user.id === session.id)) redirect("/forbidden");

  return (
    <>
      <PageTitle
        lead={
          <>
            For{" "}
            <Link href={`/trials/${trial.registrationNumber}`} className={linkClass}>
              {trial.registrationNumber}
            </Link>
            .{" "}
            <Link href={`/orgs/${org.slug}/trials/${trial.registrationNumber}/consent`} className={linkClass}>
              Consent and enrolment
            </Link>
          </>
        }
      >
        Verify a participant pseudonym
      </PageTitle>
      <div className="flex flex-col gap-6">
        <p className="max-w-prose">
          A participant&apos;s pseudonym is the key of their rows in this trial&apos;s datasets. When the participant is with you, issue a challenge and
          let their device answer it: the answer proves that the device holds the secret behind the pseudonym, and reveals nothing else. Key this
          subject&apos;s data by the pseudonym verified here. A pseudonym typed in or read out without a valid proof is never accepted, so nobody can
          claim another participant&apos;s pseudonym. A challenge works once, for {Math.round(CHALLENGE_TTL_MS / 60_000)} minutes, and only you see its
          result.
        </p>
        <Card title="Challenge">
          <PseudonymVerifier registrationNumber={trial.registrationNumber} />
        </Card>
      </div>
    </>
  );
}
