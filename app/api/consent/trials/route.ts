// GET /api/consent/trials — public: every trial participants can enrol in, with its chain id,
// ConsentRegistry address, chain trial id and consent scope. A device restored from its recovery
// phrase reads this and each group to find its own trials locally.
import { listEnrollableTrials } from "@/lib/consent/service";
import { route } from "@/lib/handler";

export const dynamic = "force-dynamic";

export const GET = route({ name: "consent.trials", access: "public" }, async () => ({ trials: await listEnrollableTrials() }));
