import type { Metadata } from "next";
import { AuditTrail } from "@/app/(admin)/admin/audit/trail";
import { PageTitle } from "@/app/_components/field";
import { listAuditEntries, listOrgsForAudit } from "@/lib/audit/data";
import { auditFilterFrom } from "@/lib/audit/schema";
import { requirePageAccess } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Audit trail" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The whole trail with private details, for site administrators. */
export default async function AdminAuditPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePageAccess(["site-admin"], "/admin/audit");
  const params = await searchParams;
  const { filter, errors } = auditFilterFrom(params);
  const [page, orgs] = await Promise.all([listAuditEntries({ scope: { kind: "site" }, filter }), listOrgsForAudit()]);
  const values = Object.fromEntries(Object.entries(params).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]));
  return (
    <>
      <PageTitle lead="Every event the portal records, with the private details only administrators see. Each entry's private details are checked against the commitment in the public log.">
        Audit trail
      </PageTitle>
      <AuditTrail path="/admin/audit" csvPath="/api/audit/export" values={values} errors={errors} page={page} orgs={orgs} />
    </>
  );
}
