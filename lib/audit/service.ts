import "server-only";
import { type AuditEntry, type AuditScope, auditEntriesForExport, findOrgForAudit } from "@/lib/audit/data";
import type { AuditFilter } from "@/lib/audit/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { canonicalize } from "@/lib/canonical-json";
import { type CsvValue, csvStream } from "@/lib/csv";
import { AppError } from "@/lib/errors";
import { LOG_KINDS, isLogKind } from "@/lib/log/kinds";

/**
 * The organisation administrator's scope of the trail: the entries naming organisation `slug`.
 * @throws AppError NOT_FOUND when there is no such organisation, FORBIDDEN unless `session`
 *   administers it (a plain member sees the organisation's page, not its audit trail)
 */
export async function orgAuditScope(session: SessionUser, slug: string): Promise<{ scope: AuditScope; org: { id: string; name: string; slug: string } }> {
  const org = await findOrgForAudit(slug, session.id);
  if (!org) throw new AppError("NOT_FOUND", "There is no organisation at that address.");
  if (org.role !== "ADMIN") throw new AppError("FORBIDDEN", "Only an administrator of this organisation can read its audit trail.");
  return { scope: { kind: "org", orgId: org.id }, org: { id: org.id, name: org.name, slug: org.slug } };
}

/** How the trail names an entry's kind: its label, or the kind itself for one no longer declared. */
export function kindLabel(kind: string): string {
  return isLogKind(kind) ? LOG_KINDS[kind].label : kind;
}

export const AUDIT_CSV_HEADER = [
  "row_id",
  "log_index",
  "time_utc",
  "kind",
  "event",
  "actor_type",
  "actor_id",
  "actor_name",
  "actor_email",
  "subject_type",
  "subject_id",
  "organisation",
  "public_details",
  "private_details",
  "private_salt",
  "commitment",
  "commitment_check",
] as const;

/** One entry as a CSV row under AUDIT_CSV_HEADER; details as canonical JSON, so a row can be re-checked. */
export function auditCsvRow(entry: AuditEntry): CsvValue[] {
  return [
    entry.id,
    entry.index,
    entry.createdAt.toISOString(),
    entry.kind,
    kindLabel(entry.kind),
    entry.actorType,
    entry.actorId,
    entry.actorUser?.name,
    entry.actorUser?.email,
    entry.subjectType,
    entry.subjectId,
    entry.org?.slug,
    entry.document ? canonicalize(entry.document.details ?? {}) : null,
    entry.privateDetails ? canonicalize(entry.privateDetails) : null,
    entry.privateSalt,
    entry.document?.commitment,
    entry.check.status === "mismatch" ? `mismatch: ${entry.check.reason}` : entry.check.status,
  ];
}

async function* csvRows(scope: AuditScope, filter: AuditFilter): AsyncGenerator<CsvValue[]> {
  for await (const entry of auditEntriesForExport({ scope, filter })) yield auditCsvRow(entry);
}

/** The trail within `scope` matching `filter`, as a streamed CSV file (newest first). */
export function auditCsv(scope: AuditScope, filter: AuditFilter): ReadableStream<Uint8Array> {
  return csvStream(AUDIT_CSV_HEADER, csvRows(scope, filter));
}

/** The file name of an export made at `now`: audit-trail[-<org>]-2026-12-02T0426Z.csv */
export function auditCsvFileName(now: Date, orgSlug?: string): string {
  const stamp = now.toISOString().slice(0, 16).replace(":", "");
  return `audit-trail${orgSlug ? `-${orgSlug}` : ""}-${stamp}Z.csv`;
}

/** The CSV response: streamed, never cached (it holds private details). */
export function auditCsvResponse(stream: ReadableStream<Uint8Array>, fileName: string): Response {
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
