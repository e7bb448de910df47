import type { Metadata } from "next";
import { Card, PageTitle } from "@/app/_components/field";
import { requirePageAccess } from "@/lib/auth/session";
import { listMyCommittees } from "@/lib/orgs/data";

export const metadata: Metadata = { title: "Committee" };

export default async function CommitteePage() {
  const session = await requirePageAccess(["committee"], "/committee");
  const committees = await listMyCommittees(session.id);
  return (
    <>
      <PageTitle lead="Data-access committees decide researchers' requests for their organisation's datasets.">
        Your committees
      </PageTitle>
      <Card>
        <ul className="list-disc pl-5">
          {committees.map(({ org }) => (
            <li key={org.id}>{org.name}</li>
          ))}
        </ul>
      </Card>
    </>
  );
}
