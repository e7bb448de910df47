// GET /api/ga4gh/passport — the signed-in researcher's GA4GH Passport: `{ ga4gh_passport_v1: [visa…] }`,
// the ControlledAccessGrants visas (Visa Document Tokens, docs/visas.md) of their grants active now.
import { activeVisas } from "@/lib/access/passport/data";
import { route } from "@/lib/handler";

export const dynamic = "force-dynamic";

export const GET = route({ name: "ga4gh.passport", access: ["researcher"] }, async ({ session }) => {
  // no-store (the wrapper's default for JSON): a revoked grant must not linger in a cache.
  return { ga4gh_passport_v1: await activeVisas({ userId: session.id }) };
});
