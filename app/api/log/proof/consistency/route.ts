// GET /api/log/proof/consistency?from=&to= — public: the RFC 9162 consistency proof from the tree of
// `from` entries to the tree of `to`, as hex hashes (empty when from is 0 or equals to). 404 when
// the tree is smaller than `to`, 422 when from > to.
import { route } from "@/lib/handler";
import { consistencyQuery } from "@/lib/log/schema";
import { consistencyProofFor } from "@/lib/log/service";

export const dynamic = "force-dynamic";

export const GET = route({ name: "log.proof.consistency", access: "public", input: consistencyQuery }, async ({ input }) =>
  consistencyProofFor(input.from, input.to),
);
