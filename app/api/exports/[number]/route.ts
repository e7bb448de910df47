// GET /api/exports/{number} — one export for its request's team: status, files, and the signed
// manifest ({ manifest, signature }) that `npx trialledger verify-export` checks. Anyone else: 404.
import { z } from "zod";
import { exportNumber } from "@/lib/exports/schema";
import { showExport } from "@/lib/exports/service";
import { route } from "@/lib/handler";

export const dynamic = "force-dynamic";

export const GET = route({ name: "access.export.show", access: ["researcher"], params: z.object({ number: exportNumber }) }, async ({ session, params: { number } }) =>
  showExport({ user: session, number }),
);
