// Rate-limit counting. The concurrency tests matter on PostgreSQL, where parallel requests run on
// separate connections (PGlite serialises every query): run this file once with DATABASE_URL too.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { markEmailVerified } from "@/lib/auth/mutations";
import { signUp, verifyCredentials } from "@/lib/auth/service";
import { readCounter } from "@/lib/rate-limit/data";
import { bumpCounter } from "@/lib/rate-limit/mutations";
import { type Limit, SIGN_IN_LIMITS, assertUnderLimits, consume, reserve } from "@/lib/rate-limit/service";
import { uniqueEmail } from "@/scripts/test/support";

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
    for (let i = 0; i < 3; i++) await consume([limit, "subject"]);
    await expect(assertUnderLimits([[limit, "other subject"]])).resolves.toBeUndefined();
    const error = await assertUnderLimits([[limit, "subject"]]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "RATE_LIMITED", status: 429 });
    expect((error as { retryAfter: number }).retryAfter).toBeGreaterThan(50);
    expect((error as { retryAfter: number }).retryAfter).toBeLessThanOrEqual(60);
  });

  it("consume lets exactly max attempts through", async () => {
    const limit: Limit = { name: key(), max: 2, windowMs: 60_000 };
    await consume([limit, "s"]);
    await consume([limit, "s"]);
    await expect(consume([limit, "s"])).rejects.toMatchObject({ code: "RATE_LIMITED" });
  });

  it("lets exactly max of 30 parallel reservations through, and the refused ones count nowhere", async () => {
    const limit: Limit = { name: key(), max: 5, windowMs: 60_000 };
    const other: Limit = { name: key(), max: 1000, windowMs: 60_000 };
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => reserve([[limit, "s"], [other, "s"]])));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r.reason as { code: string }).code)).toEqual(Array(25).fill("RATE_LIMITED"));
    // The 25 refused attempts gave back what they took: the other limit counted only the 5.
    expect((await readCounter(`${limit.name}:s`, 60_000))?.count).toBe(5);
    expect((await readCounter(`${other.name}:s`, 60_000))?.count).toBe(5);
  });

  it("gives back a released attempt", async () => {
    const limit: Limit = { name: key(), max: 1, windowMs: 60_000 };
    const first = await reserve([[limit, "s"]]);
    await first.release();
    await first.release(); // twice is harmless: the count never goes below what others took
    const second = await reserve([[limit, "s"]]);
    await expect(reserve([[limit, "s"]])).rejects.toMatchObject({ code: "RATE_LIMITED" });
    await second.release();
    expect((await readCounter(`${limit.name}:s`, 60_000))?.count).toBe(0);
  });
});

describe("password attempts in parallel", () => {
  it("evaluates at most the per-account-and-client limit of 30 parallel wrong passwords", async () => {
    const email = uniqueEmail("parallel");
    const { id } = await signUp({ name: "Par Allel", email, password: "correct horse battery", accountType: "SPONSOR" });
    await markEmailVerified(id);
    const address = `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => verifyCredentials({ email, password: `wrong password ${i}`, address })),
    );
    const evaluated = results.filter((r) => r.status === "fulfilled");
    expect(evaluated).toHaveLength(SIGN_IN_LIMITS.accountClient.max);
    expect(evaluated.every((r) => r.value === null)).toBe(true);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(30 - SIGN_IN_LIMITS.accountClient.max);
    // The owner, elsewhere, is not locked out by them.
    expect(await verifyCredentials({ email, password: "correct horse battery", address: "198.19.0.1" })).toMatchObject({ id });
  });
});
