// /api/access/requests — the researcher's access requests (lib/access).
// - GET: the requests the caller made or is on the team of, newest first.
// - POST { releases: ["TLR-2026-00001.D1/1", …] }: a new draft for published releases of one
//   sponsor. 201 { number }. 422 naming `releases` for an unknown release or several sponsors.
import { z } from "zod";
import { releaseRef } from "@/lib/access/schema";
import { createRequest } from "@/lib/access/service";
import { listMyRequests } from "@/lib/access/views";
import { route } from "@/lib/handler";

export const dynamic = "force-dynamic";

export const GET = route({ name: "access.api.list", access: ["researcher"] }, async ({ session }) => ({ requests: await listMyRequests(session) }));

export const POST = route(
  { name: "access.api.create", access: ["researcher"], input: z.object({ releases: z.array(releaseRef).min(1, "Name at least one release.").max(50) }).strict() },
  async ({ input, session }) => Response.json(await createRequest({ user: session, releases: input.releases }), { status: 201, headers: { "cache-control": "no-store" } }),
);
