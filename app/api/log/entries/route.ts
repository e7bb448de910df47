// GET /api/log/entries?from=&limit= — public: sequenced log entries from index `from` (default 0),
// at most `limit` (default 100, at most 1,000), each with its index, kind, time, the entry as
// parsed JSON and its leaf hash (hex). `size` is the tree's size, so a client knows where it ends.
import { route } from "@/lib/handler";
import { entriesQuery } from "@/lib/log/schema";
import { listEntries } from "@/lib/log/service";

export const dynamic = "force-dynamic";

export const GET = route({ name: "log.entries", access: "public", input: entriesQuery }, async ({ input }) => listEntries(input.from, input.limit));
