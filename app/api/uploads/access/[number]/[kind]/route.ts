// /api/uploads/access/{number}/{kind} — a document of an access request (kind: sap, irb,
// collaboration). Under /api/uploads because the proxy (proxy.ts) leaves these routes alone: Next
// buffers a proxied body in memory and cuts it at 10 MB, and a document may be 50 MB.
// - POST (the applicant, while a draft or returned): the body is the file, application/octet-stream
//   (no cross-site page can send that without a CORS preflight), its name in X-File-Name
//   (percent-encoded UTF-8); streamed into the blob store while hashed. 201 { kind, name, digest, size }.
// - GET (the team; the deciding committee once submitted): the file.
// - DELETE (the applicant, while a draft or returned).
// Anyone else gets 404, as for a request that does not exist.
import { Readable } from "node:stream";
import { z } from "zod";
import { MAX_DOCUMENT_BYTES, documentKind, requestNumber } from "@/lib/access/schema";
import { openDocument, removeDocument, uploadDocument } from "@/lib/access/service";
import { AppError } from "@/lib/errors";
import { route } from "@/lib/handler";
import { singleLine } from "@/lib/schema/text";

export const dynamic = "force-dynamic";

const params = z.object({ number: requestNumber, kind: documentKind });
// 255: the longest file name common file systems allow.
const fileName = singleLine().trim().min(1).max(255);

function nameOf(request: Request): string {
  const raw = request.headers.get("x-file-name");
  if (raw === null) throw new AppError("VALIDATION", "Name the file in the X-File-Name header.", { fieldErrors: { "X-File-Name": ["Name the file."] } });
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw new AppError("VALIDATION", "X-File-Name is not valid percent-encoded UTF-8.", { fieldErrors: { "X-File-Name": ["Not valid percent-encoding."] } });
  }
  const parsed = fileName.safeParse(decoded);
  if (!parsed.success) throw new AppError("VALIDATION", "X-File-Name must be a file name of 1 to 255 characters on one line.", { fieldErrors: { "X-File-Name": ["Give a file name of 1 to 255 characters."] } });
  return parsed.data;
}

export const POST = route(
  { name: "access.document.upload", access: ["researcher"], params, body: { kind: "stream", contentType: "application/octet-stream", maxBytes: MAX_DOCUMENT_BYTES } },
  async ({ request, session, params: { number, kind } }) => {
    const length = request.headers.get("content-length");
    const stored = await uploadDocument({ user: session, number, kind, name: nameOf(request), body: request.body, declaredBytes: length === null ? undefined : Number(length) });
    return Response.json(stored, { status: 201, headers: { "cache-control": "no-store" } });
  },
);

export const GET = route({ name: "access.document.get", access: ["researcher", "committee"], params }, async ({ session, params: { number, kind } }) => {
  const document = await openDocument({ user: session, number, kind });
  return new Response(Readable.toWeb(document.stream) as ReadableStream<Uint8Array>, {
    headers: {
      "content-type": "application/octet-stream",
      "content-length": String(document.size),
      "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(document.name)}`,
      "x-content-sha256": document.digest,
      "cache-control": "private, no-store",
    },
  });
});

export const DELETE = route({ name: "access.document.remove", access: ["researcher"], params }, async ({ session, params: { number, kind } }) =>
  removeDocument({ user: session, number, kind }),
);
