// POST /api/committee/requests/{number}/decision — a signed decision: { decision: "approve", end,
// signature } | { decision: "approve-with-conditions", end, conditions, signature } |
// { decision: "return" | "deny", reason, signature }, where signature is { password, meaning } and
// the meaning is exactly the sentence GET …/{number} gives in decisionMeanings. 422 naming the
// field (a denial without a reason, an end past a TS cap, a wrong password); 409 when the
// organisation's rule is not met yet or the request was decided meanwhile.
import { z } from "zod";
import { decisionInput, requestNumber } from "@/lib/access/schema";
import { decide } from "@/lib/access/service";
import { mintVisa } from "@/lib/access/visa";
import { route } from "@/lib/handler";

export const dynamic = "force-dynamic";

export const POST = route(
  { name: "committee.api.decide", access: ["committee"], params: z.object({ number: requestNumber }), input: decisionInput },
  async ({ input, session, params: { number } }) => decide({ user: session, number, input, mintVisa }),
);
