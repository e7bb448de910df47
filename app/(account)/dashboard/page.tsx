import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageTitle } from "@/app/_components/field";
import { requirePageAccess } from "@/lib/auth/session";
import { listMyCommittees, listMyOrgs } from "@/lib/orgs/data";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const session = await requirePageAccess("signed-in", "/dashboard");
  const [orgs, committees] = await Promise.all([listMyOrgs(session.id), listMyCommittees(session.id)]);
  return (
    <>
      <PageTitle lead={`Signed in as ${session.email} · roles: ${session.roles.join(", ")}`}>Welcome, {session.name}</PageTitle>
      <div className="grid gap-4 md:grid-cols-2">
        {session.roles.includes("sponsor") ? (
          <Card title="Your organisations">
            {orgs.length === 0 ? (
              <p>
                You are not in a sponsor organisation yet. <Link href="/orgs" className="underline">Create one</Link> or ask an
                administrator for an invitation.
              </p>
            ) : (
              <ul className="list-disc pl-5">
                {orgs.map(({ org, role }) => (
                  <li key={org.id}>
                    <Link href={`/orgs/${org.slug}`} className="underline">{org.name}</Link> ({role.toLowerCase()})
                  </li>
                ))}
              </ul>
            )}
          </Card>
        ) : null}
        {session.roles.includes("committee") ? (
          <Card title="Data-access committees">
            <ul className="list-disc pl-5">
              {committees.map(({ org }) => (
                <li key={org.id}>{org.name}</li>
              ))}
            </ul>
          </Card>
        ) : null}
        {session.roles.includes("researcher") ? (
          <Card title="Research">
            <ul className="list-disc pl-5">
              <li>
                <Link href="/requests" className="text-sky-700 underline dark:text-sky-400">
                  My access requests and grants
                </Link>
              </li>
              <li>
                <Link href="/datasets" className="text-sky-700 underline dark:text-sky-400">
                  Browse the dataset catalogue
                </Link>
                : each dataset lists its conditions of use (DUO); “Request access” on its page starts a request for a stated purpose.
              </li>
            </ul>
          </Card>
        ) : null}
      </div>
    </>
  );
}
