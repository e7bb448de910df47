// GET /api/log/entries/{index} — public: one log entry and its receipt, a C2SP tlog-proof of its
// inclusion in a signed checkpoint (the newest anchored on chain that holds it, with the anchor in
// `extra`; else the latest). 404 for an index the log does not have.
import { z } from "zod";
import { route } from "@/lib/handler";
import { logIndex } from "@/lib/log/schema";
import { entryWithReceipt } from "@/lib/log/service";

export const dynamic = "force-dynamic";

export const GET = route({ name: "log.entry", access: "public", params: z.object({ index: logIndex }) }, async ({ params }) =>
  entryWithReceipt(params.index),
);
