// GET /log/checkpoint — public: the log's latest checkpoint, a C2SP tlog-checkpoint signed note
// (C2SP tlog-tiles). 404 before anything has been logged.
import { route } from "@/lib/handler";
import { latestCheckpoint } from "@/lib/log/service";

export const dynamic = "force-dynamic";

export const GET = route({ name: "log.checkpoint", access: "public" }, async () => {
  const checkpoint = await latestCheckpoint();
  return new Response(checkpoint.note, {
    // 5 s: the sequencer signs a new checkpoint about every half second under load; clients that
    // poll should see new ones soon, while a burst of readers is served from caches (tlog-tiles:
    // "cacheable for seconds only").
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "public, max-age=5" },
  });
});
