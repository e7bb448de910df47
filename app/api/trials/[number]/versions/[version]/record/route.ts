// GET /api/trials/{number}/versions/{version}/record — public: that version's registration record
// exactly as it was frozen (RFC 8785 canonical JSON), as a file. Its SHA-256 is the version's
// digest, so the file and the version's receipt can be checked on /verify or with
// `npx trialledger verify`. 404 for an unknown or malformed trial or version.
import { frozenJsonResponse } from "@/lib/anchoring/response";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/handler";
import { getVersionCanonical } from "@/lib/registry/data";
import { registrationNumber, version } from "@/lib/schema/values";
import { z } from "zod";

export const dynamic = "force-dynamic";

export const GET = route({ name: "trials.record", access: "public", params: z.object({ number: registrationNumber, version }) }, async ({ params }) => {
  const { number, version } = params;
  const found = await getVersionCanonical(number, version);
  if (!found) throw new AppError("NOT_FOUND", "That trial has no such version.");
  return frozenJsonResponse(found.canonical, { digest: found.digest, filename: `${number}-v${version}.json` });
});
