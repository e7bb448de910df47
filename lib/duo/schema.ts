import { z } from "zod";
import { MONDO_ID } from "@/lib/duo/conditions";
import { singleLine } from "@/lib/schema/text";

/**
 * GET /api/ontology/terms: a search (`q`) or the labels of given ids (`ids`, comma-separated, as a
 * query string holds one value per name). 100 characters: the longest Mondo label of the
 * 2022-09-06 release is 183, but nobody types more than a few words to find one. 50 ids: the
 * most a release form shows at once (20 conditions and 20 diseases of a DS permission).
 */
export const termSearchInput = z.strictObject({
  q: singleLine()
    .trim()
    .max(100, "Use at most 100 characters.")
    .optional(),
  ids: z
    .string()
    .max(50 * 14, "Ask for at most 50 ids.")
    .transform((value) => value.split(",").map((id) => id.trim()).filter((id) => id !== ""))
    .pipe(z.array(z.string().regex(MONDO_ID, "Use Mondo ids like MONDO:0005105, separated by commas.")).max(50, "Ask for at most 50 ids."))
    .optional(),
});

export type TermSearchInput = z.infer<typeof termSearchInput>;
