import "server-only";
import { prisma } from "@/lib/db";

export type WindowCount = { count: number; windowStart: Date };

/**
 * Adds `by` to the fixed-window counter `key` in one statement (so concurrent requests on any
 * instance cannot lose a count) and returns the count in the current window. A window older than
 * `windowMs` starts over. Database time is used throughout, so instances need not agree on clocks.
 */
export async function bumpCounter(key: string, windowMs: number, by = 1): Promise<WindowCount> {
  const rows = await prisma().$queryRaw<WindowCount[]>`
    INSERT INTO "RateLimit" ("key", "windowStart", "count") VALUES (${key}, now(), ${by})
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimit"."windowStart" <= now() - ${windowMs} * interval '1 millisecond'
                     THEN ${by} ELSE "RateLimit"."count" + ${by} END,
      "windowStart" = CASE WHEN "RateLimit"."windowStart" <= now() - ${windowMs} * interval '1 millisecond'
                     THEN now() ELSE "RateLimit"."windowStart" END
    RETURNING "count", "windowStart"`;
  const row = rows[0];
  if (!row) throw new Error(`rate-limit upsert for ${key} returned no row`);
  return row;
}

/**
 * Gives back `by` attempts taken in the window that started at `windowStart` (an attempt that
 * turned out not to count: a correct password, or one refused by another limit). A window that
 * has been replaced since is left alone, and a count never goes below zero.
 */
export async function releaseCounter(key: string, windowStart: Date, by = 1): Promise<void> {
  await prisma().$executeRaw`
    UPDATE "RateLimit" SET "count" = GREATEST("count" - ${by}, 0)
    WHERE "key" = ${key} AND "windowStart" = ${windowStart}`;
}

export async function clearCounter(key: string): Promise<void> {
  await prisma().rateLimit.deleteMany({ where: { key } });
}
