// POST /api/consent/trials/{number}/decisions — public: a participant's decision as a Semaphore
// proof `{ proof }`. Checked (scope, known root, SNARK, consent version and items), then recorded
// and queued for the relay in one transaction; it counts from that moment. 422 for a proof that
// fails a check, 409 for a sequence number not above the pseudonym's last. Nothing about the
// sender is stored or logged.
import { z } from "zod";
import { decisionInput } from "@/lib/consent/schema";
import { submitConsent } from "@/lib/consent/service";
import { route } from "@/lib/handler";
import { registrationNumber } from "@/lib/schema/values";

export const dynamic = "force-dynamic";

export const POST = route(
  { name: "consent.decide", access: "public", input: decisionInput, params: z.object({ number: registrationNumber }) },
  ({ input, params }) => submitConsent({ registrationNumber: params.number, proof: input.proof }),
);
