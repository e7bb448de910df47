// POST /api/consent/enrolment — public: spends an enrolment code and queues the device's identity
// commitment for the trial's Semaphore group, in one transaction. 410 when the code is unknown or
// already spent (also for the losers of a race on one code), 409 when the commitment is already
// enrolled (the code is then kept). No session, no log line, no stored address.
import { enrolmentRedeemInput } from "@/lib/consent/schema";
import { redeemEnrolmentCode } from "@/lib/consent/service";
import { route } from "@/lib/handler";

export const dynamic = "force-dynamic";

export const POST = route(
  { name: "consent.enrolment.redeem", access: "public", input: enrolmentRedeemInput },
  ({ input }) => redeemEnrolmentCode(input),
);
