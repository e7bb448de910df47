// /api/access/requests/{number} — one request, for its team (anyone else: 404, as for none).
// - GET: the request as its page shows it: form, releases with their conditions, team, documents,
//   the explained match, the conversation, the decision and grants.
// - PATCH { …any fields of the form }: saves the draft (draft or returned only; 409 otherwise);
//   each field given must be valid (422 naming it), the others are kept.
import { z } from "zod";
import { requestDraft, requestNumber } from "@/lib/access/schema";
import { saveRequest } from "@/lib/access/service";
import { requestForResearcher } from "@/lib/access/views";
import { route } from "@/lib/handler";

export const dynamic = "force-dynamic";

const params = z.object({ number: requestNumber });

export const GET = route({ name: "access.api.get", access: ["researcher"], params }, async ({ session, params: { number } }) => requestForResearcher(session, number));

export const PATCH = route(
  // 256 KiB: the longest form (a 50,000-character plan and a 10,000-character abstract) with room.
  { name: "access.api.save", access: ["researcher"], params, input: requestDraft, body: { kind: "json", maxBytes: 256 * 1024 } },
  async ({ input, session, params: { number } }) => saveRequest({ user: session, number, form: input }),
);
