// POST /api/uploads — sponsors: the request body is one file (application/octet-stream, which
// no cross-site page can send without a CORS preflight), streamed into the content-addressed store while its SHA-256 is computed; never buffered
// whole. 200 { digest, size }; 413 past 50 MB. The file is attached to a trial by its digest when
// the trial is registered; until then it only sits in the store.
import { AppError } from "@/lib/errors";
import { route } from "@/lib/handler";
import { storeStream } from "@/lib/storage/service";

export const dynamic = "force-dynamic";

/** 50 MB: protocols and analysis plans run to a few MB; datasets get their own upload path. */
const MAX_BYTES = 50 * 1024 * 1024;

export const POST = route(
  // The wrapper refuses another content type and a declared length past the limit; storeStream
  // enforces the limit while the body streams, whatever its Content-Length said.
  { name: "uploads.create", access: ["sponsor"], body: { kind: "stream", contentType: "application/octet-stream", maxBytes: MAX_BYTES } },
  async ({ request }) => {
    if (!request.body) throw new AppError("BAD_REQUEST", "The request has no file in its body.");
    const stored = await storeStream(request.body, { maxBytes: MAX_BYTES });
    return stored;
  },
);
