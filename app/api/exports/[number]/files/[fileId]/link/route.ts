// POST /api/exports/{number}/files/{fileId}/link — a download link for one file, valid 10 minutes,
// bound to the file and the caller; made only while the caller's grant is active (403 otherwise).
import { z } from "zod";
import { exportFileId, exportNumber } from "@/lib/exports/schema";
import { createDownloadLink } from "@/lib/exports/service";
import { route } from "@/lib/handler";

export const dynamic = "force-dynamic";

export const POST = route(
  { name: "access.export.link", access: ["researcher"], params: z.object({ number: exportNumber, fileId: exportFileId }), input: z.object({}).strict() },
  async ({ session, params: { number, fileId } }) => createDownloadLink({ user: session, number, fileId }),
);
