// GET /api/health — public: database kind and migration state, chain id, latest block, contract
// addresses and whether each part is reachable. 200 when everything is, 503 otherwise.
import { route } from "@/lib/handler";
import { health } from "@/lib/health/service";

export const dynamic = "force-dynamic";

export const GET = route({ name: "health", access: "public" }, async () => {
  const report = await health();
  return Response.json(report, { status: report.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
});
