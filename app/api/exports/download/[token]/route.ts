// GET /api/exports/download/{token} — the file a download link names. The token is the authority
// (so `curl` works), and every request re-checks it and then the grant: an expired link answers 410,
// a revoked or expired grant 403, at once. Each download is logged: who, which file, how many bytes.
import { Readable } from "node:stream";
import { z } from "zod";
import { downloadToken } from "@/lib/exports/schema";
import { openDownload } from "@/lib/exports/service";
import { route } from "@/lib/handler";

export const dynamic = "force-dynamic";

export const GET = route({ name: "access.export.download", access: "public", params: z.object({ token: downloadToken }) }, async ({ params: { token } }) => {
  const file = await openDownload(token);
  return new Response(Readable.toWeb(file.stream) as ReadableStream<Uint8Array>, {
    headers: {
      "content-type": "application/octet-stream",
      "content-length": String(file.bytes),
      "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      "cache-control": "private, no-store",
    },
  });
});
