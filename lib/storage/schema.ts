import { z } from "zod";
import { recordId } from "@/lib/schema/values";

/** POST /api/uploads?org=<organisation id>: the organisation the file is uploaded for. */
export const uploadQuery = z.object({
  org: recordId.meta({ description: "The id of the organisation the file is uploaded for (its members only)." }),
});
