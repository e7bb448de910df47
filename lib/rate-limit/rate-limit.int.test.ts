import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { readCounter } from "@/lib/rate-limit/data";
import { bumpCounter } from "@/lib/rate-limit/mutations";
import { type Limit, assertUnderLimits, consume, countAttempt } from "@/lib/rate-limit/service";

const key = () => `test:${randomBytes(6).toString("hex")}`;

describe("rate-limit counters", () => {
  it("loses no count under concurrent bumps", async () => {
    const k = key();
    await Promise.all(Array.from({ length: 20 }, () => bumpCounter(k, 60_000)));
    expect((await readCounter(k, 60_000))?.count).toBe(20);
  });

  it("starts a new window once the old one has passed", async () => {
    const k = key();
    await bumpCounter(k, 60_000, 5);
    await new Promise((r) => setTimeout(r, 30));
    expect(await readCounter(k, 10)).toBeNull(); // a 10 ms window has passed
    expect((await bumpCounter(k, 10)).count).toBe(1);
  });

  it("refuses with 429 and a retry time once a limit is used up", async () => {
    const limit: Limit = { name: key(), max: 3, windowMs: 60_000 };
    for (let i = 0; i < 3; i++) await countAttempt([[limit, "subject"]]);
    await expect(assertUnderLimits([[limit, "other subject"]])).resolves.toBeUndefined();
    const error = await assertUnderLimits([[limit, "subject"]]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "RATE_LIMITED", status: 429 });
    expect((error as { retryAfter: number }).retryAfter).toBeGreaterThan(50);
    expect((error as { retryAfter: number }).retryAfter).toBeLessThanOrEqual(60);
  });

  it("consume lets exactly max attempts through", async () => {
    const limit: Limit = { name: key(), max: 2, windowMs: 60_000 };
    await consume(limit, "s");
    await consume(limit, "s");
    await expect(consume(limit, "s")).rejects.toMatchObject({ code: "RATE_LIMITED" });
  });
});
