// GET /api/consent/trials/{number}/events — public: every consent decision of the trial in arrival
// order, with its pseudonym, decoded message, proof and relay state (pending, sent, recorded with
// the transaction and block, or rejected with the reason). Devices read their own history from
// here without telling the portal which pseudonym is theirs.
import { getConsentEvents } from "@/lib/consent/service";
import { route } from "@/lib/handler";
import { registrationNumber } from "@/lib/schema/values";
import { z } from "zod";

export const dynamic = "force-dynamic";

export const GET = route({ name: "consent.events", access: "public", params: z.object({ number: registrationNumber }) }, async ({ params }) => ({
  events: await getConsentEvents(params.number),
}));
