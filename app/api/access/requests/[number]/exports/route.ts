// /api/access/requests/{number}/exports — the exports of an approved request, for its team.
// - GET: every export, with its status, files and consent block.
// - POST { release }: builds an export of one of the request's releases for the caller, who must hold
//   an active grant to it (403 otherwise; 409 when the request is not approved; 422 naming `release`
//   when it is not one of the request's). 201 with the export's number; the files are in the blob
//   store and the manifest signed, logged and anchored (docs/exports.md).
import { z } from "zod";
import { requestNumber } from "@/lib/access/schema";
import { exportInput } from "@/lib/exports/schema";
import { buildExport, listExports, showExport } from "@/lib/exports/service";
import { route } from "@/lib/handler";

export const dynamic = "force-dynamic";

const params = z.object({ number: requestNumber });

export const GET = route({ name: "access.export.list", access: ["researcher"], params }, async ({ session, params: { number } }) => listExports({ user: session, number }));

export const POST = route({ name: "access.export.create", access: ["researcher"], params, input: exportInput }, async ({ session, params: { number }, input }) => {
  const built = await buildExport({ user: session, number, release: input.release });
  return Response.json(await showExport({ user: session, number: built.number }), { status: 201, headers: { "cache-control": "no-store" } });
});
