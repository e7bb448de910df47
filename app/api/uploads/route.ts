// POST /api/uploads — sponsors: the request body is one file (any content type but JSON or a
// form), streamed into the content-addressed store while its SHA-256 is computed; never buffered
// whole. 200 { digest, size }; 413 past 50 MB. The file is attached to a trial by its digest when
// the trial is registered; until then it only sits in the store.
import { AppError } from "@/lib/errors";
import { route } from "@/lib/handler";
import { storeStream } from "@/lib/storage/service";

export const dynamic = "force-dynamic";

/** 50 MB: protocols and analysis plans run to a few MB; datasets get their own upload path. */
const MAX_BYTES = 50 * 1024 * 1024;

export const POST = route({ name: "uploads.create", access: ["sponsor"] }, async ({ request }) => {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BYTES) throw new AppError("PAYLOAD_TOO_LARGE", "The file is larger than 50 MB.");
  if (!request.body) throw new AppError("BAD_REQUEST", "The request has no file in its body.");
  const stored = await storeStream(request.body, { maxBytes: MAX_BYTES });
  return stored;
});
