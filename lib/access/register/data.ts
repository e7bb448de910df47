import "server-only";
import { type Anomaly, type LoggedEntry, REGISTER_KINDS, type Register, buildRegister, registerDiseaseIds } from "@/lib/access/register";
import { documentOf } from "@/lib/audit/check";
import { prisma } from "@/lib/db";
import { REGISTER_REQUEST_LIMIT } from "@/lib/access/register/schema";
import { termLabels } from "@/lib/duo/data";

/**
 * The public access register's read: the transparency log's access entries, exactly as anyone
 * downloads them (the entry bodies), folded by lib/access/register.ts. Never the access tables:
 * what the register says must be what the log says, so anyone can recompute it (docs/access.md).
 *
 * Only entries the sequencer has integrated (idx not null) are read. An entry without an index is
 * not yet in the log: it has no inclusion proof and no /api/log/entries/<index> to link to, and a
 * reader recomputing from the tiles would not see it. The sequencer integrates within a second or
 * two (lib/log/sequencer.ts polls every 500 ms), so a decision shows up here almost at once.
 *
 * The kind filter is the exact list the fold reads (REGISTER_KINDS, all `access.*`) rather than the
 * `access.` prefix: invitations, agreement acceptances and grant issues are most of a request's
 * entries (one grant per member per release) and change nothing in the register.
 */

export { REGISTER_REQUEST_LIMIT };

export type AccessRegister = Register & {
  window: { limit: number; requests: number; truncated: boolean };
};

type RequestRow = { id: string };

/**
 * The newest requests' numbers, at most `limit + 1` (one more says the window is truncated).
 * `prefix`: a dataset's (`"TLR-…D1/`) or a trial's (`"TLR-…D`) beginning of a release reference.
 */
function latestRequests(limit: number, prefix: string | undefined): Promise<RequestRow[]> {
  const kinds = [...REGISTER_KINDS];
  if (prefix === undefined) {
    return prisma().$queryRaw<RequestRow[]>`
      SELECT "subjectId" AS "id" FROM "LogEntry"
      WHERE "idx" IS NOT NULL AND "kind" = ANY(${kinds}::text[]) AND "subjectType" = 'access-request' AND "subjectId" IS NOT NULL
      GROUP BY "subjectId" ORDER BY min("idx") DESC LIMIT ${limit + 1}`;
  }
  // A pre-filter only: the requests whose submission or decision names a release of the dataset,
  // as the bytes `"TLR-…D1/` in the canonical body (the slash keeps D1 from matching D10), or of
  // the trial (`"TLR-…D`). The fold decides exactly, from the parsed releases of the latest revision.
  const needle = prefix;
  return prisma().$queryRaw<RequestRow[]>`
    SELECT "subjectId" AS "id" FROM "LogEntry"
    WHERE "idx" IS NOT NULL AND "kind" = ANY(${kinds}::text[]) AND "subjectType" = 'access-request'
      AND "subjectId" IN (
        SELECT "subjectId" FROM "LogEntry"
        WHERE "idx" IS NOT NULL AND "subjectType" = 'access-request'
          AND "kind" IN ('access.request-submitted', 'access.approved', 'access.denied')
          AND position(convert_to(${needle}, 'UTF8') IN "body") > 0
      )
    GROUP BY "subjectId" ORDER BY min("idx") DESC LIMIT ${limit + 1}`;
}

/**
 * The register as of `now`, optionally for one dataset (canonical number, TLR-2026-00001.D1) or
 * one trial's datasets (TLR-2026-00001); with both, the dataset must be the trial's.
 * An entry whose body is not a log entry at all (an edited row) is an anomaly, like one the fold
 * cannot place.
 */
export async function readAccessRegister(opts: { dataset?: string; trial?: string; now?: Date; limit?: number } = {}): Promise<AccessRegister> {
  const limit = opts.limit ?? REGISTER_REQUEST_LIMIT;
  const prefix = opts.dataset ? `"${opts.dataset}/` : opts.trial ? `"${opts.trial}.D` : undefined;
  const requests = await latestRequests(limit, prefix);
  const ids = requests.slice(0, limit).map((r) => r.id);
  const rows = ids.length
    ? await prisma().logEntry.findMany({
        where: { idx: { not: null }, subjectType: "access-request", subjectId: { in: ids }, kind: { in: [...REGISTER_KINDS] } },
        orderBy: { idx: "asc" },
        select: { idx: true, kind: true, body: true },
      })
    : [];
  const entries: LoggedEntry[] = [];
  const unreadable: Anomaly[] = [];
  for (const row of rows) {
    const index = Number(row.idx);
    const document = documentOf(new Uint8Array(row.body));
    if (document) entries.push({ index, document });
    else unreadable.push({ logIndex: index, kind: row.kind, reason: "its body is not a log entry" });
  }
  const labels = await termLabels(registerDiseaseIds(entries));
  const register = buildRegister(entries, opts.now ?? new Date(), { labels, ...(opts.dataset ? { dataset: opts.dataset } : {}), ...(opts.trial ? { trial: opts.trial } : {}) });
  return {
    ...register,
    anomalies: [...unreadable, ...register.anomalies].sort((a, b) => a.logIndex - b.logIndex),
    window: { limit, requests: ids.length, truncated: requests.length > limit },
  };
}
