// GET /api/deployments — public: the contracts this portal writes to, on the chain it uses, in the
// deployments-file shape { "<chainId>": { deployedAt, contracts: { <name>: { address, blockNumber,
// txHash, codeHash } } } }. A verifier trusts a receipt's contract only when it is listed here (or
// given by the verifier's own --contract or deployments file): a receipt can name any contract.
// 503 while the chain cannot be read.
import { route } from "@/lib/handler";
import { publishedDeployments } from "@/lib/chain/service";

export const dynamic = "force-dynamic";

export const GET = route({ name: "deployments", access: "public" }, async () =>
  // 60 s: a redeployment is rare and announced; verifiers should not hammer the portal meanwhile.
  Response.json(await publishedDeployments(), { headers: { "cache-control": "public, max-age=60" } }),
);
