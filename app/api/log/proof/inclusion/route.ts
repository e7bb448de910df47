// GET /api/log/proof/inclusion?index=&size= — public: the RFC 9162 inclusion proof of entry `index`
// in the tree of `size` entries, as hex hashes, with the entry's leaf hash. 404 when the tree is
// smaller than `size`, 422 when index ≥ size.
import { route } from "@/lib/handler";
import { inclusionQuery } from "@/lib/log/schema";
import { inclusionProofFor } from "@/lib/log/service";

export const dynamic = "force-dynamic";

export const GET = route({ name: "log.proof.inclusion", access: "public", input: inclusionQuery }, async ({ input }) =>
  inclusionProofFor(input.index, input.size),
);
