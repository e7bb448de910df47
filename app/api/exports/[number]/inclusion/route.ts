// GET /api/exports/{number}/inclusion — the export's inclusion tags (public): a participant's device
// fetches the whole list and checks its own tag locally (lib/exports/inclusion.ts), so the request
// says nothing about who asks.
import { z } from "zod";
import { exportNumber } from "@/lib/exports/schema";
import { exportInclusion } from "@/lib/exports/service";
import { route } from "@/lib/handler";

export const dynamic = "force-dynamic";

export const GET = route({ name: "access.export.inclusion", access: "public", params: z.object({ number: exportNumber }) }, async ({ params: { number } }) => exportInclusion(number));
