import { z } from "zod";
import { multiLine, singleLine } from "@/lib/schema/text";

/**
 * The data-use conditions of a dataset release, in GA4GH DUO (STANDARDS.md §1.1): one permission
 * and any modifiers, some with a value. Pinned to the DUO release they were chosen from, so a
 * release's conditions keep their meaning when DUO changes. Shared by datasets (what a release
 * allows), access requests (what a purpose is matched against) and exports.
 *
 * Modifiers are an object keyed by DUO code, not a list: in RFC 8785 canonical JSON the keys sort,
 * so the same conditions always freeze to the same bytes in a manifest.
 */

/** The DUO release the terms are taken from (EBISPOT/DUO `releases/2021-02-23`). */
export const DUO_RELEASE = "2021-02-23";

/** A Mondo disease id, e.g. MONDO:0005105 (melanoma). */
export const MONDO_ID = /^MONDO:\d{7}$/;
export const mondoId = z.string().regex(MONDO_ID, "That is not a Mondo disease id, like MONDO:0005105.");

export const PERMISSION_CODES = ["GRU", "HMB", "DS", "POA"] as const;
export type PermissionCode = (typeof PERMISSION_CODES)[number];

export const permission = z.discriminatedUnion("code", [
  z.object({ code: z.literal("GRU") }).strict(),
  z.object({ code: z.literal("HMB") }).strict(),
  z
    .object({
      code: z.literal("DS"),
      /** One or more Mondo ids: research on these diseases (and their subclasses) only. */
      diseases: z.array(mondoId).min(1, "Disease-specific research names at least one disease.").max(20),
    })
    .strict(),
  z.object({ code: z.literal("POA") }).strict(),
]);

const flag = z.literal(true);
/** ISO 3166-1 alpha-2 country codes, or a region name the committee reads. */
const region = singleLine().trim().min(2).max(64);

export const modifiers = z
  .object({
    NPU: flag,
    NCU: flag,
    IRB: flag,
    PUB: flag,
    COL: flag,
    RTN: flag,
    /** Time limit on use, in months from the access decision. */
    TS: z.object({ months: z.int().min(1).max(600) }).strict(),
    /** Geographical restriction: where the data may be used. */
    GS: z.object({ regions: z.array(region).min(1).max(50) }).strict(),
    /** Publication moratorium: no publication before this date (YYYY-MM-DD). */
    MOR: z.object({ date: z.iso.date() }).strict(),
    /** User-specific restriction: portal account e-mail addresses or ORCID iDs. */
    US: z.object({ users: z.array(singleLine().trim().min(1).max(254)).min(1).max(100) }).strict(),
    /** Project-specific restriction. */
    PS: z.object({ project: multiLine().trim().min(1).max(2000) }).strict(),
    /** Institution-specific restriction: institution names or ROR ids. */
    IS: z.object({ institutions: z.array(singleLine().trim().min(1).max(200)).min(1).max(100) }).strict(),
    NPOA: flag,
    NMDS: flag,
    GSO: flag,
    CC: flag,
    /** Research-specific restrictions, in words. */
    RS: z.object({ topic: multiLine().trim().min(1).max(2000) }).strict(),
  })
  .partial()
  .strict();

export const MODIFIER_CODES = Object.keys(modifiers.shape) as Array<keyof typeof modifiers.shape>;
export type ModifierCode = (typeof MODIFIER_CODES)[number];

export const dataUseConditions = z
  .object({
    duoRelease: z.literal(DUO_RELEASE),
    permission,
    modifiers,
  })
  .strict();

export type DataUseConditions = z.infer<typeof dataUseConditions>;
