import { z } from "zod";
import { parseRegistrationNumber } from "@/lib/registry/schema";

/**
 * Value types shared by route params, query strings and bodies: each is checked to its exact
 * spelling before it reaches a query, so a NUL byte or a broken escape in a URL is a 404 or a 422,
 * never a database error (PostgreSQL refuses U+0000 in text with 22021, which was a 500).
 */

/** A registration number as a person may type it ("tlr-2026-00001 "), given back canonical ("TLR-2026-00001"). */
export const registrationNumber = z
  .string({ error: "Give a registration number, like TLR-2026-00001." })
  // 32: "TLR-" + year + a 16-digit sequence is 25; anything longer is not a number.
  .max(32, "That is not a registration number.")
  .refine((value) => parseRegistrationNumber(value) !== null, "That is not a registration number, like TLR-2026-00001.")
  .transform((value) => value.trim().toUpperCase());

/** A SHA-256 digest as the portal stores and prints it: 0x and 64 lower-case hex digits. */
export const SHA256_DIGEST = /^0x[0-9a-f]{64}$/;

/** A SHA-256 digest as a person or program may send it (either case), given back lower-case. */
export const digest = z
  .string({ error: "Give a SHA-256 digest." })
  .regex(new RegExp(SHA256_DIGEST.source, "i"), "That is not a SHA-256 digest (0x and 64 hex digits).")
  .transform((value) => value.toLowerCase());

/** A version number as the API prints it: up to 9 digits without a leading zero, as a number. */
export const version = z
  .string({ error: "Give a version number." })
  .regex(/^[1-9]\d{0,8}$/, "That is not a version number.")
  .transform(Number);

/** A dataset's number as stored: its trial's registration number, ".D" and its sequence (TLR-2026-00001.D1). */
export const DATASET_NUMBER = /^TLR-\d{4}-\d{5,}\.D[1-9]\d{0,8}$/;

/** A dataset number as a person may type it ("tlr-2026-00001.d1"), given back canonical. */
export const datasetNumber = z
  .string({ error: "Give a dataset number, like TLR-2026-00001.D1." })
  // 40: a 25-character registration number, ".D" and 9 digits is 36.
  .max(40, "That is not a dataset number.")
  .transform((value) => value.trim().toUpperCase())
  .refine((value) => DATASET_NUMBER.test(value), "That is not a dataset number, like TLR-2026-00001.D1.");

/** A release number (1, 2, …) as the API prints it: up to 9 digits without a leading zero, as a number. */
export const releaseNumber = z
  .string({ error: "Give a release number." })
  .regex(/^[1-9]\d{0,8}$/, "That is not a release number.")
  .transform(Number);

/**
 * A database id: a cuid (25 characters) or a UUID (36), which the portal makes; 64 allows for
 * either with room, and the alphabet is theirs.
 */
export const recordId = z
  .string({ error: "Give an id." })
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "That is not an id.");

/** An organisation's URL slug as `slugify` makes it: lower-case ASCII and hyphens, 48 at most plus a "-n" suffix on a clash (64 leaves room). */
export const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "That is not an organisation's address.");

/**
 * A page's dynamic segment parsed by `schema`, or null, for which the page answers 404. The
 * segment may still be percent-encoded, and a broken escape such as %ED%A0%80 (a lone surrogate)
 * makes decodeURIComponent throw: that names nothing either, and is no 500.
 */
export function segmentOf<S extends z.ZodType<unknown, string>>(schema: S, segment: string): z.output<S> | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(decoded);
  return parsed.success ? parsed.data : null;
}

/** A page's `[number]` segment as a canonical registration number, or null (see `segmentOf`). */
export function registrationNumberSegment(segment: string): string | null {
  return segmentOf(registrationNumber, segment);
}

/** A page's `[dataset]` segment as a canonical dataset number, or null (see `segmentOf`). */
export function datasetNumberSegment(segment: string): string | null {
  return segmentOf(datasetNumber, segment);
}
