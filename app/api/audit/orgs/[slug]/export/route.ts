// GET /api/audit/orgs/{slug}/export?actor=&kind=&subject=&from=&to= — an organisation's
// administrators: the entries of the audit trail that name their organisation, with private
// details, as a streamed CSV file. 404 for an unknown organisation, 403 for anyone but its admins.
import { z } from "zod";
import { auditFilterInput } from "@/lib/audit/schema";
import { auditCsv, auditCsvFileName, auditCsvResponse, orgAuditScope } from "@/lib/audit/service";
import { route } from "@/lib/handler";
import { slug } from "@/lib/schema/values";

export const dynamic = "force-dynamic";

export const GET = route(
  { name: "audit.org.export", access: ["sponsor"], params: z.object({ slug }), input: auditFilterInput.omit({ org: true }) },
  async ({ input, params, session }) => {
    const { scope, org } = await orgAuditScope(session, params.slug);
    return auditCsvResponse(auditCsv(scope, input), auditCsvFileName(new Date(), org.slug));
  },
);
