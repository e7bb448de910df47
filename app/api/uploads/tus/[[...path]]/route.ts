// /api/uploads/tus[/<id>] — sponsors: resumable uploads of dataset files with the tus protocol
// (v1.0.0; creation, creation-with-upload, termination). POST creates an upload for the
// organisation named in Upload-Metadata (`orgId`, `filename`; members only; Upload-Length up to
// 20 GiB and within the organisation's dataset quota); HEAD gives the offset to resume from; PATCH
// (application/offset+octet-stream) appends at Upload-Offset; DELETE abandons it. HEAD, PATCH and
// DELETE are for the upload's creator only (403 for anyone else). The last PATCH answers
// 200 { digest, size }: the file is in the blob store and recorded as the organisation's upload,
// private and removed after UPLOAD_MAX_AGE_HOURS unless a dataset release takes it.
// Any instance serves any upload: the bytes in flight are in the shared datastore (lib/storage/tus.ts).
import { route } from "@/lib/handler";
import { handleTus } from "@/lib/storage/tus";
import { DATASET_FILE_MAX_BYTES } from "@/lib/storage/uploads";

export const dynamic = "force-dynamic";

// tus's own media type for bytes with an offset; a cross-site page cannot send it without a preflight.
const body = { kind: "stream", contentType: "application/offset+octet-stream", maxBytes: DATASET_FILE_MAX_BYTES } as const;

/** POST with no bytes yet still declares tus's media type (tus-js-client does with uploadDataDuringCreation). */
export const POST = route({ name: "uploads.tus.create", access: ["sponsor"], body }, async ({ request, session }) => handleTus(request, session));
export const PATCH = route({ name: "uploads.tus.append", access: ["sponsor"], body }, async ({ request, session }) => handleTus(request, session));
export const HEAD = route({ name: "uploads.tus.offset", access: ["sponsor"] }, async ({ request, session }) => handleTus(request, session));
export const DELETE = route({ name: "uploads.tus.abandon", access: ["sponsor"] }, async ({ request, session }) => handleTus(request, session));
