// GET /api/audit/export?actor=&kind=&subject=&from=&to=&org= — site administrators: the whole audit
// trail (every log entry with its private details and their commitment check) matching the
// filters, as a CSV file streamed newest first. Same filters as /admin/audit.
import { auditFilterInput } from "@/lib/audit/schema";
import { auditCsv, auditCsvFileName, auditCsvResponse } from "@/lib/audit/service";
import { route } from "@/lib/handler";

export const dynamic = "force-dynamic";

export const GET = route({ name: "audit.export", access: ["site-admin"], input: auditFilterInput }, async ({ input }) =>
  auditCsvResponse(auditCsv({ kind: "site" }, input), auditCsvFileName(new Date())),
);
