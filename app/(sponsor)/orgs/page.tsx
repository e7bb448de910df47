import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageTitle } from "@/app/_components/field";
import { CreateOrgForm } from "@/app/(sponsor)/orgs/create-org-form";
import { requirePageAccess } from "@/lib/auth/session";
import { listMyOrgs } from "@/lib/orgs/data";

export const metadata: Metadata = { title: "Organisations" };

export default async function OrgsPage() {
  const session = await requirePageAccess(["sponsor"], "/orgs");
  const orgs = await listMyOrgs(session.id);
  return (
    <>
      <PageTitle lead="Sponsor organisations register trials, publish datasets and run a data-access committee.">
        Organisations
      </PageTitle>
      <div className="flex flex-col gap-6">
        <Card title="Yours">
          {orgs.length === 0 ? (
            <p>None yet.</p>
          ) : (
            <ul className="list-disc pl-5">
              {orgs.map(({ org, role }) => (
                <li key={org.id}>
                  <Link href={`/orgs/${org.slug}`} className="underline">{org.name}</Link> — {role === "ADMIN" ? "administrator" : "member"}
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Create an organisation">
          <CreateOrgForm />
        </Card>
      </div>
    </>
  );
}
