import { z } from "zod";

/** POST /api/uploads?org=<organisation id>: the organisation the file is uploaded for. */
export const uploadQuery = z.object({
  // 64: organisation ids are cuids of 25 characters (as in POST /api/trials).
  org: z.string({ error: "Say which organisation the file is for (?org=<organisation id>)." }).min(1).max(64),
});
