// GET /api/committee/requests/{number} — a submitted request, for the deciding organisation's
// committee: as the researcher sees it, plus internal notes, votes, the decision rule, the latest
// end a decision may give (a TS cap) and the meaning each decision signs. 404 for anyone else.
import { z } from "zod";
import { requestNumber } from "@/lib/access/schema";
import { requestForCommittee } from "@/lib/access/views";
import { route } from "@/lib/handler";

export const dynamic = "force-dynamic";

export const GET = route({ name: "committee.api.get", access: ["committee"], params: z.object({ number: requestNumber }) }, async ({ session, params: { number } }) =>
  requestForCommittee(session, number),
);
