// Auth.js's own endpoints, called as a client would: POST /api/auth/signin/email directly (not
// through the sign-in form's server action) must count every mail against the recipient's limit.
import { describe, expect, it } from "vitest";
import { markEmailVerified } from "@/lib/auth/mutations";
import { signUp } from "@/lib/auth/service";
import { listDevMail } from "@/lib/mail/data";
import { SIGN_IN_LIMITS } from "@/lib/rate-limit/service";
import { postAuthForm, requestLink } from "@/scripts/test/auth-endpoints";
import { uniqueEmail } from "@/scripts/test/support";

describe("POST /api/auth/signin/email", () => {
  it("sends at most the recipient's limit of mails, from any number of addresses", async () => {
    const email = uniqueEmail("direct");
    const { id } = await signUp({ name: "Di Rect", email, password: "correct horse battery", accountType: "SPONSOR" });
    await markEmailVerified(id);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await requestLink(email, `192.0.2.${i + 1}`)).status);
    expect(await listDevMail(email, 50)).toHaveLength(SIGN_IN_LIMITS.magicLink.max);
    // The first ones are sent (Auth.js redirects to check-your-email); the rest are refused.
    expect(statuses.slice(0, SIGN_IN_LIMITS.magicLink.max).every((s) => s === 302)).toBe(true);
    expect(statuses.slice(SIGN_IN_LIMITS.magicLink.max).every((s) => s === 429)).toBe(true);
  });
});

describe("POST /api/auth/callback/credentials from IPv6", () => {
  it("counts failures from two addresses in one /64 together", async () => {
    const email = uniqueEmail("ipv6");
    const password = "correct horse battery";
    const { id } = await signUp({ name: "Six Net", email, password, accountType: "SPONSOR" });
    await markEmailVerified(id);
    // One /64 of the documentation prefix; every attempt from another of its 2^64 addresses.
    const inPrefix = (i: number) => `2001:db8:64:1:${i.toString(16)}:0:0:1`;
    for (let i = 0; i < SIGN_IN_LIMITS.accountClient.max; i++) {
      const wrong = await postAuthForm("/callback/credentials", { email, password: `wrong guess ${i}`, callbackUrl: "/" }, inPrefix(i + 1));
      expect(wrong.status).not.toBe(429);
    }
    // The right password from yet another address of that /64 is refused: the /64 is one client.
    const next = await postAuthForm("/callback/credentials", { email, password, callbackUrl: "/" }, inPrefix(0xffff));
    expect(next.status).toBe(429);
    // The owner, from another network, still signs in.
    const owner = await postAuthForm("/callback/credentials", { email, password, callbackUrl: "/" }, "2001:db8:65:1::1");
    expect(owner.status).toBe(302);
    expect(owner.headers.get("location")).not.toContain("error");
  });
});
