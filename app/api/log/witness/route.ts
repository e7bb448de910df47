// GET /api/log/witness — public: where the log is witnessed on chain (chain id, LogWitness address,
// an RPC URL for browsers, the deployment block) and the checkpoint the portal last anchored there.
// A verifier reads LogWitness.latest() itself; this only says where.
import { route } from "@/lib/handler";
import { witnessInfo } from "@/lib/log/witness";

export const dynamic = "force-dynamic";

export const GET = route({ name: "log.witness", access: "public" }, async () =>
  // 10 s: an anchor lands every few minutes at most; the browser verifier reads the chain itself.
  Response.json(await witnessInfo(), { headers: { "cache-control": "public, max-age=10" } }),
);
