// POST /api/uploads?org=<organisation id> — sponsors, members of that organisation: the request
// body is one file (application/octet-stream, which no cross-site page can send without a CORS
// preflight), streamed into the content-addressed store while its SHA-256 is computed; never
// buffered whole. 200 { digest, size }; 403 for another organisation; 413 past 50 MB or past the
// organisation's quota of unattached uploads. Only that organisation can attach the file to a trial
// (by its digest, at registration); until then it is private, and it is removed after
// UPLOAD_MAX_AGE_HOURS.
import { route } from "@/lib/handler";
import { uploadQuery } from "@/lib/storage/schema";
import { UPLOAD_MAX_BYTES, uploadFile } from "@/lib/storage/uploads";

export const dynamic = "force-dynamic";

export const POST = route(
  // The wrapper refuses another content type and a declared length past 50 MB; uploadFile enforces
  // the limit and the quota while the body streams, whatever its Content-Length said.
  // The body is the file, so the organisation comes in the query string.
  {
    name: "uploads.create",
    access: ["sponsor"],
    body: { kind: "stream", contentType: "application/octet-stream", maxBytes: UPLOAD_MAX_BYTES },
    query: uploadQuery,
  },
  async ({ request, session, query: { org } }) => {
    const length = request.headers.get("content-length");
    return uploadFile({ orgId: org, user: session, body: request.body, declaredBytes: length === null ? undefined : Number(length) });
  },
);
