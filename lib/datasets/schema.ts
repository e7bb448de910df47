import { z } from "zod";
import { mondoId } from "@/lib/duo/conditions";
import { multiLine, singleLine } from "@/lib/schema/text";

/**
 * What a dataset release says about itself besides its files, dictionary and DUO conditions
 * (DatasetRelease.metadata). Frozen into the release's manifest at publication.
 */

/** File formats the portal validates row by row; `other` (documents, archives) is kept as it is. */
export const FILE_FORMATS = ["csv", "tsv", "ndjson", "other"] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

/** SPDX identifiers people choose for clinical data, plus a custom licence (named in `licenceText`). */
export const LICENCES = ["CC-BY-4.0", "CC-BY-NC-4.0", "CC0-1.0", "custom"] as const;

export const releaseMetadata = z
  .object({
    /** What the data is: shown on the catalogue and the dataset's page (≤ 5,000 characters: a long abstract). */
    description: multiLine().trim().min(20, "Describe the data in at least 20 characters.").max(5000),
    /** Up to 20 keywords of ≤ 60 characters, the way catalogues (DataCite, schema.org) list them. */
    keywords: z.array(singleLine().trim().min(2).max(60)).max(20).default([]),
    licence: z.enum(LICENCES),
    /** A custom licence's name or URL; required when `licence` is custom. */
    licenceText: singleLine().trim().max(300).optional(),
    /** The diseases the data is about, Mondo-coded (at least one: the catalogue's condition facet). */
    conditions: z.array(mondoId).min(1, "Name at least one condition.").max(20),
    /** What changed since the previous release (required from release 2 on: checked when publishing). */
    releaseNotes: multiLine().trim().max(5000).default(""),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.licence === "custom" && !m.licenceText) {
      ctx.addIssue({ code: "custom", path: ["licenceText"], message: "Name the custom licence or give its address." });
    }
  });
export type ReleaseMetadata = z.infer<typeof releaseMetadata>;
