// GET /api/consent/trials/{number}/group — public: what a device proves membership of — the
// group's commitments on chain in leaf order, its root, the chain id, the ConsentRegistry address
// and the trial's consent scope. 503 when the chain is unreachable.
import { getConsentGroup } from "@/lib/consent/service";
import { route } from "@/lib/handler";
import { registrationNumber } from "@/lib/schema/values";
import { z } from "zod";

export const dynamic = "force-dynamic";

export const GET = route({ name: "consent.group", access: "public", params: z.object({ number: registrationNumber }) }, ({ params }) =>
  getConsentGroup(params.number),
);
