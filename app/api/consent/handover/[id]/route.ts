// GET /api/consent/handover/{id} — sponsors: the state of a challenge the signed-in member issued
// (open, expired, or answered with the verified pseudonym). Their page polls it.
import { getPseudonymChallenge } from "@/lib/consent/service";
import { route } from "@/lib/handler";
import { recordId } from "@/lib/schema/values";
import { z } from "zod";

export const dynamic = "force-dynamic";

export const GET = route({ name: "consent.handover.get", access: ["sponsor"], params: z.object({ id: recordId }) }, ({ params, session }) =>
  getPseudonymChallenge({ id: params.id, user: session }),
);
