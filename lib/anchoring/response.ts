import "server-only";
import { anchorState } from "@/lib/anchoring/service";

/**
 * The HTTP answer for an anchoring item, shared by every receipt endpoint: 200 with the receipt
 * once anchored and confirmed (a receipt is final only then); until then 202 with where it stands.
 */
export async function anchorStateResponse(itemId: string): Promise<Response> {
  const state = await anchorState(itemId);
  const headers = { "cache-control": "no-store" };
  if (state.state === "anchored") return Response.json(state.receipt, { headers });
  const body =
    state.state === "pending"
      ? { state: state.state, since: state.since, ...(state.lastError ? { lastError: state.lastError } : {}) }
      : { state: state.state, since: state.since, transaction: state.transaction, ...(state.lastError ? { lastError: state.lastError } : {}) };
  return Response.json(body, { status: 202, headers });
}

/**
 * A frozen document served as a file — a trial version's canonical record, a release's manifest —
 * exactly as its digest was taken: the bytes never change once anchored, so caches keep them for a
 * year, and `x-content-sha256` names the digest its receipt proves.
 */
export function frozenJsonResponse(body: string, opts: { digest: string; filename: string }): Response {
  return new Response(body, {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${opts.filename}"`,
      "x-content-sha256": opts.digest,
      "cache-control": "public, max-age=31536000, immutable",
    },
  });
}
