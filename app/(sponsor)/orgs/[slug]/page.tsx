import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { Card, PageTitle } from "@/app/_components/field";
import { CommitteeToggle } from "@/app/(sponsor)/orgs/[slug]/committee-toggle";
import { InviteForm } from "@/app/(sponsor)/orgs/[slug]/invite-form";
import { requirePageAccess } from "@/lib/auth/session";
import { getOrgBySlug } from "@/lib/orgs/data";
import { segmentOf, slug as slugValue } from "@/lib/schema/values";
import { listOrgTrials } from "@/lib/registry/data";

export const metadata: Metadata = { title: "Organisation" };

export default async function OrgPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const session = await requirePageAccess(["sponsor"], `/orgs/${slug}`);
  const org = segmentOf(slugValue, slug) ? await getOrgBySlug(slug) : null;
  if (!org) notFound();
  const me = org.members.find((m) => m.user.id === session.id);
  if (!me) redirect("/forbidden");
  const isAdmin = me.role === "ADMIN";
  const trials = await listOrgTrials(org.id);
  const seated = new Set(org.committee.map((c) => c.userId));
  return (
    <>
      <PageTitle lead={`You are ${isAdmin ? "an administrator" : "a member"} of this organisation.`}>{org.name}</PageTitle>
      <p className="mb-6">
        <Link href={`/orgs/${org.slug}/trials/new`} className="text-sky-700 underline dark:text-sky-400">
          Register a trial
        </Link>
        {" · "}
        <Link href={`/orgs/${org.slug}/datasets`} className="text-sky-700 underline dark:text-sky-400">
          Datasets
        </Link>
        {" · "}
        <Link href={`/orgs/${org.slug}/committee`} className="text-sky-700 underline dark:text-sky-400">
          Data-access committee
        </Link>
        {isAdmin ? (
          <>
            {" · "}
            <Link href={`/orgs/${org.slug}/audit`} className="text-sky-700 underline dark:text-sky-400">
              Audit trail
            </Link>
          </>
        ) : null}
      </p>
      <div className="flex flex-col gap-6">
        <Card title="Trials">
          {trials.length === 0 ? (
            <p>No trials registered yet.</p>
          ) : (
            <ul className="flex flex-col gap-2">
              {trials.map((t) => (
                <li key={t.registrationNumber}>
                  <Link href={`/trials/${t.registrationNumber}`} className="underline">
                    {t.registrationNumber}
                  </Link>{" "}
                  — {t.publicTitle} (version {t.version}) ·{" "}
                  <Link href={`/orgs/${org.slug}/trials/${t.registrationNumber}/amend`} className="text-sky-700 underline dark:text-sky-400" aria-label={`Amend ${t.registrationNumber}`}>
                    Amend
                  </Link>{" "}
                  ·{" "}
                  <Link
                    href={`/orgs/${org.slug}/trials/${t.registrationNumber}/consent`}
                    className="text-sky-700 underline dark:text-sky-400"
                    aria-label={`Consent & enrolment ${t.registrationNumber}`}
                  >
                    Consent &amp; enrolment
                  </Link>{" "}
                  ·{" "}
                  <Link
                    href={`/orgs/${org.slug}/trials/${t.registrationNumber}/pseudonym`}
                    className="text-sky-700 underline dark:text-sky-400"
                    aria-label={`Verify pseudonym ${t.registrationNumber}`}
                  >
                    Verify pseudonym
                  </Link>{" "}
                  ·{" "}
                  <Link
                    href={`/orgs/${org.slug}/datasets?trial=${t.registrationNumber}`}
                    className="text-sky-700 underline dark:text-sky-400"
                    aria-label={`Datasets of ${t.registrationNumber}`}
                  >
                    Datasets
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Members">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Members of {org.name}</caption>
            <thead>
              <tr className="border-b border-slate-200 dark:border-slate-700">
                <th scope="col" className="py-2">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Data-access committee</th>
              </tr>
            </thead>
            <tbody>
              {org.members.map((m) => (
                <tr key={m.user.id} className="border-b border-slate-100 dark:border-slate-800">
                  <td className="py-2">{m.user.name}</td>
                  <td>{m.user.email}</td>
                  <td>{m.role === "ADMIN" ? "Administrator" : "Member"}</td>
                  <td>
                    {seated.has(m.user.id) ? "Seated" : "—"}{" "}
                    {isAdmin ? <CommitteeToggle orgId={org.id} userId={m.user.id} seated={seated.has(m.user.id)} name={m.user.name} /> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
        {isAdmin ? (
          <>
            <Card title="Invite someone">
              <InviteForm orgId={org.id} />
            </Card>
            <Card title="Open invitations">
              {org.invitations.length === 0 ? (
                <p>None.</p>
              ) : (
                <ul className="list-disc pl-5 text-sm">
                  {org.invitations.map((i) => (
                    <li key={i.id}>
                      {i.email} — {i.role === "ADMIN" ? "administrator" : "member"}
                      {i.committee ? ", committee seat" : ""} — expires {i.expiresAt.toISOString().slice(0, 10)}
                    </li>
                  ))}
                </ul>
              )}
            </Card>
          </>
        ) : null}
      </div>
    </>
  );
}
