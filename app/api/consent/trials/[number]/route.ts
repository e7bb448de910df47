// GET /api/consent/trials/{number} — public: the trial's consent items (every version), the
// group's size and root, and the tally per current item (granted, withdrawn, not yet answered).
import { getConsentOverview } from "@/lib/consent/service";
import { route } from "@/lib/handler";
import { registrationNumber } from "@/lib/schema/values";
import { z } from "zod";

export const dynamic = "force-dynamic";

export const GET = route({ name: "consent.overview", access: "public", params: z.object({ number: registrationNumber }) }, ({ params }) =>
  getConsentOverview(params.number),
);
