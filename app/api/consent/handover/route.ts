// POST /api/consent/handover — public: a participant's device answers a sponsor's one-time
// pseudonym challenge `{ challenge, proof }` with a proof in the trial's consent scope over that
// challenge. 410 for an unknown, expired or already answered challenge; 422 for a proof that fails.
import { handoverAnswerInput } from "@/lib/consent/schema";
import { answerPseudonymChallenge } from "@/lib/consent/service";
import { route } from "@/lib/handler";

export const dynamic = "force-dynamic";

export const POST = route(
  { name: "consent.handover.answer", access: "public", input: handoverAnswerInput },
  ({ input }) => answerPseudonymChallenge(input),
);
