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
