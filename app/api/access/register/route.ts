// GET /api/access/register?dataset=&trial= — public: the access register, folded from the transparency
// log's public access entries only (lib/access/register.ts), so anyone can recompute it from
// /api/log/entries: approved requests (researcher, institution, title, lay summary, releases,
// purpose, dates, the approval's log index), revocations, denied requests counted per dataset, and
// the metrics (requests by state, median days to decision, approval rate), over the latest 1,000
// requests (`window`). `dataset` (TLR-2026-00001.D1) narrows every part to that dataset, `trial`
// (TLR-2026-00001) to that trial's datasets.
import { readAccessRegister } from "@/lib/access/register/data";
import { registerQuery } from "@/lib/access/register/schema";
import { route } from "@/lib/handler";

export const dynamic = "force-dynamic";

export const GET = route({ name: "access.register", access: "public", input: registerQuery }, ({ input }) =>
  readAccessRegister({ ...(input.dataset ? { dataset: input.dataset } : {}), ...(input.trial ? { trial: input.trial } : {}) }),
);
