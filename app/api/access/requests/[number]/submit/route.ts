// POST /api/access/requests/{number}/submit — the applicant submits (or resubmits after a return).
// 422 listing what is missing (incomplete form, a member who has not accepted the agreement, a
// document a condition needs); 409 when the request is not a draft or returned.
import { z } from "zod";
import { requestNumber } from "@/lib/access/schema";
import { submitRequest } from "@/lib/access/service";
import { route } from "@/lib/handler";

export const dynamic = "force-dynamic";

export const POST = route(
  { name: "access.api.submit", access: ["researcher"], params: z.object({ number: requestNumber }), input: z.object({}).strict() },
  async ({ session, params: { number } }) => submitRequest({ user: session, number }),
);
