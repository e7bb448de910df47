import { z } from "zod";
import { datasetNumber, registrationNumber } from "@/lib/schema/values";

/**
 * The latest 1,000 requests (by their first entry in the log). A request is typically 5–30 entries
 * here: its submissions, a return, the decision and revocations, and one per committee vote, note
 * or message (a conversation is the long part). Those are about 350 bytes each; an approval is
 * ~1.5 KB typically and ~11 KB at most (a 5,000-character lay summary and 5,000 of conditions).
 * So the read is at most some 30,000 rows and ~10 MB, usually a tenth of that, parsed in well under
 * a second. The cap counts requests, not entries, so every request shown is folded from its whole
 * history; the metrics are over the requests shown, and the page and `window` say so.
 */
export const REGISTER_REQUEST_LIMIT = 1000;

const blank = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

/**
 * The register's query (GET /api/access/register and the /access page): an optional dataset and an
 * optional trial (its datasets), as a person may type them; a blank one (an emptied form field)
 * means all.
 */
export const registerQuery = z
  .object({
    dataset: z.preprocess(blank, datasetNumber.optional()),
    trial: z.preprocess(blank, registrationNumber.optional()),
  })
  .strict();
export type RegisterQuery = z.output<typeof registerQuery>;
