// GET /api/committee/requests — the caller's committee queues: per organisation whose data-access
// committee they sit on, the requests new, in review, waiting for the researcher and decided, each
// with its days since submission against the committee's target.
import { committeeInbox } from "@/lib/access/views";
import { route } from "@/lib/handler";

export const dynamic = "force-dynamic";

export const GET = route({ name: "committee.api.inbox", access: ["committee"] }, async ({ session }) => ({ committees: await committeeInbox(session) }));
