import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { Card, PageTitle } from "@/app/_components/field";
import { daysText, ruleText } from "@/app/(committee)/committee/words";
import { CommitteeRuleForm } from "@/app/(sponsor)/orgs/[slug]/committee/committee-rule-form";
import { requirePageAccess } from "@/lib/auth/session";
import { getOrgBySlug } from "@/lib/orgs/data";
import { segmentOf, slug as slugValue } from "@/lib/schema/values";

export const metadata: Metadata = { title: "Data-access committee" };

/**
 * The organisation's data-access committee: who sits on it (seats are given on the organisation
 * page), how it decides and its target. Administrators change the rule and the target.
 */
export default async function OrgCommitteePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const session = await requirePageAccess(["sponsor"], `/orgs/${slug}/committee`);
  const org = segmentOf(slugValue, slug) ? await getOrgBySlug(slug) : null;
  if (!org) notFound();
  const me = org.members.find((m) => m.user.id === session.id);
  if (!me) redirect("/forbidden");
  const seated = new Set(org.committee.map((c) => c.userId));
  const members = org.members.filter((m) => seated.has(m.user.id));
  return (
    <>
      <PageTitle
        lead={
          <>
            The committee decides researchers&apos; requests for {org.name}&apos;s datasets ·{" "}
            <Link href={`/orgs/${org.slug}`} className="text-sky-700 underline dark:text-sky-400">
              {org.name}
            </Link>
          </>
        }
      >
        Data-access committee
      </PageTitle>
      <div className="flex flex-col gap-6">
        <Card title="How it decides">
          <p data-testid="committee-rule">
            {ruleText(org.decisionRule, members.length)} Target: a decision within {daysText(org.decisionTargetDays)} of submission.
          </p>
        </Card>
        <Card title="Members">
          {members.length === 0 ? (
            <p>No one sits on the committee yet. Give seats on the organisation page.</p>
          ) : (
            <ul className="list-disc pl-5">
              {members.map((m) => (
                <li key={m.user.id}>
                  {m.user.name} ({m.user.email})
                </li>
              ))}
            </ul>
          )}
        </Card>
        {me.role === "ADMIN" ? (
          <Card title="Change the settings">
            <CommitteeRuleForm orgSlug={org.slug} rule={org.decisionRule} targetDays={org.decisionTargetDays} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
