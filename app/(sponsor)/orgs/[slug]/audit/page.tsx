import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { AuditTrail } from "@/app/(admin)/admin/audit/trail";
import { PageTitle } from "@/app/_components/field";
import { listAuditEntries } from "@/lib/audit/data";
import { auditFilterFrom } from "@/lib/audit/schema";
import { orgAuditScope } from "@/lib/audit/service";
import { requirePageAccess } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { segmentOf, slug as slugValue } from "@/lib/schema/values";

export const metadata: Metadata = { title: "Organisation audit trail" };

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The entries of the audit trail that name this organisation, for its administrators. */
export default async function OrgAuditPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const session = await requirePageAccess(["sponsor"], `/orgs/${slug}/audit`);
  const canonical = segmentOf(slugValue, slug);
  if (!canonical) notFound();
  let access: Awaited<ReturnType<typeof orgAuditScope>>;
  try {
    access = await orgAuditScope(session, canonical);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    if (error instanceof AppError && error.code === "FORBIDDEN") redirect("/forbidden");
    throw error;
  }
  const query = await searchParams;
  const { filter, errors } = auditFilterFrom({ ...query, org: undefined });
  const page = await listAuditEntries({ scope: access.scope, filter });
  const values = Object.fromEntries(Object.entries(query).flatMap(([key, value]) => (key === "org" ? [] : [[key, Array.isArray(value) ? value[0] : value]])));
  return (
    <>
      <PageTitle lead={`The events recorded about ${access.org.name}, with their private details. Only the organisation's administrators see this page.`}>
        Audit trail — {access.org.name}
      </PageTitle>
      <p className="mb-6">
        <Link href={`/orgs/${access.org.slug}`} className="text-sky-700 underline dark:text-sky-400">
          Back to {access.org.name}
        </Link>
      </p>
      <AuditTrail path={`/orgs/${access.org.slug}/audit`} csvPath={`/api/audit/orgs/${access.org.slug}/export`} values={values} errors={errors} page={page} />
    </>
  );
}
