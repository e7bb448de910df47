// GET /api/consent/handover/{id} — sponsors: the state of a challenge the signed-in member issued
// (open, expired, or answered with the verified pseudonym). Their page polls it.
import { getPseudonymChallenge } from "@/lib/consent/service";
import { route } from "@/lib/handler";

export const dynamic = "force-dynamic";

export const GET = route({ name: "consent.handover.get", access: ["sponsor"] }, ({ params, session }) =>
  getPseudonymChallenge({ id: typeof params.id === "string" ? params.id : "", user: session }),
);
