import "server-only";
import { prisma } from "@/lib/db";
import type { WindowCount } from "@/lib/rate-limit/mutations";

/** The counter `key` in its current window, or null when it has none (or its window has passed). */
export async function readCounter(key: string, windowMs: number): Promise<WindowCount | null> {
  const rows = await prisma().$queryRaw<WindowCount[]>`
    SELECT "count", "windowStart" FROM "RateLimit"
    WHERE "key" = ${key} AND "windowStart" > now() - ${windowMs} * interval '1 millisecond'`;
  return rows[0] ?? null;
}
