// GET /api/files/{digest} — public: a file attached to a registered trial, by its SHA-256, so
// anyone can fetch it and check it against its receipt. 404 for files not attached to a trial
// (an upload that was never registered stays private).
import { AppError } from "@/lib/errors";
import { route } from "@/lib/handler";
import { digest as digestValue } from "@/lib/schema/values";
import { z } from "zod";
import { findAttachedFile } from "@/lib/registry/data";
import { blobStore } from "@/lib/blobs/store";
import { Readable } from "node:stream";

export const dynamic = "force-dynamic";

export const GET = route({ name: "files.get", access: "public", params: z.object({ digest: digestValue }) }, async ({ params }) => {
  const { digest } = params;
  const file = await findAttachedFile(digest);
  if (!file) throw new AppError("NOT_FOUND", "No registered trial has a file with that digest.");
  const stream = Readable.toWeb(await blobStore().open(digest)) as ReadableStream<Uint8Array>;
  return new Response(stream, {
    headers: {
      "content-type": "application/octet-stream",
      "content-length": String(file.size),
      "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      "x-content-sha256": digest,
      "cache-control": "public, max-age=31536000, immutable",
    },
  });
});
