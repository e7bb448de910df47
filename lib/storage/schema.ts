import { z } from "zod";
import { recordId } from "@/lib/schema/values";

/** What an upload is for (the Upload row's `purpose`): it sets the size limit and the quota (lib/storage/uploads.ts). */
export type UploadPurpose = "TRIAL_DOCUMENT" | "DATASET_FILE";

/** POST /api/uploads?org=<organisation id>: the organisation the file is uploaded for. */
export const uploadQuery = z.object({
  org: recordId.meta({ description: "The id of the organisation the file is uploaded for (its members only)." }),
});
