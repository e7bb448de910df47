// POST /api/consent/enrolment/check — public: which trial an unspent enrolment code enrols into,
// with what the participant's device needs to derive its identity for that trial (chain id,
// ConsentRegistry address, the trial's chain id and consent scope). Spends nothing; 410 for an
// unknown or spent code, 422 for something that cannot be a code. The request is not logged.
import { enrolmentCheckInput } from "@/lib/consent/schema";
import { checkEnrolmentCode } from "@/lib/consent/service";
import { route } from "@/lib/handler";

export const dynamic = "force-dynamic";

export const POST = route({ name: "consent.enrolment.check", access: "public", input: enrolmentCheckInput }, ({ input }) =>
  checkEnrolmentCode(input.code),
);
