import { z } from "zod";

/**
 * Query and path values of the log's API. Sizes and indexes are decimal without leading zeros (as
 * in a checkpoint), up to 2^53 − 1: lib/merkle counts in JavaScript numbers, exact that far.
 */
const count = (what: string) =>
  z
    .string({ error: `Give ${what}.` })
    .regex(/^(0|[1-9]\d{0,15})$/, `That is not ${what} (a decimal number without leading zeros).`)
    .transform(Number)
    .refine(Number.isSafeInteger, `That is not ${what} (at most 2^53 − 1).`);

export const logIndex = count("an entry index");
export const treeSize = count("a tree size");

/** 1,000 entries a page: typical entries are about 300 bytes, so a page is near 0.5 MB of JSON. */
export const MAX_ENTRIES_PAGE = 1000;

export const entriesQuery = z
  .object({
    from: logIndex.optional().default(0),
    limit: count("a page size").refine((n) => n >= 1 && n <= MAX_ENTRIES_PAGE, `Give a page size from 1 to ${MAX_ENTRIES_PAGE}.`).optional().default(100),
  })
  .strict();

export const inclusionQuery = z.object({ index: logIndex, size: treeSize.refine((n) => n >= 1, "A tree with an entry has size 1 or more.") }).strict();
export const consistencyQuery = z.object({ from: treeSize, to: treeSize }).strict();
