// A production portal has no mail transport in this release (lib/mail/service.ts). Asking for a
// magic link, or signing up, must then be refused identically for every address: before the fix
// a confirmed address got 429 (its mail failed, and every failure was reported as a limit) and an
// unknown one "check your email", which told anyone which addresses have accounts.
import { vi } from "vitest";

// Before lib/env.ts is first read (it caches): this file's worker runs as a production portal.
vi.hoisted(() => {
  process.env.APP_ENV = "production";
  process.env.AUTH_URL = "https://trialledger.example";
  process.env.RELAYER_PRIVATE_KEY = `0x${"5a".repeat(32)}`;
  // A throwaway log key made for this test (`npx trialledger log keygen trialledger.example/log`).
  process.env.LOG_ORIGIN = "trialledger.example/log";
  process.env.LOG_SIGNING_KEY = "PRIVATE+KEY+trialledger.example/log+4b9991eb+Ab7kKl9+NSgFNP08INNlAYUU3tzjkbjGGY8SOiC5QzRH";
  process.env.EXPORT_SECRET = Buffer.alloc(32, 0x5c).toString("base64");
  process.env.VISA_SIGNING_KEY = '{"kty":"EC","crv":"P-256","x":"P25iwTDaWbEjCBoO_LOjFfVDmUPZHK1P7VK_Y7NuVf8","y":"5XL0qk7aD9TSI0ufaYUGIy8N8RK9n3Ci0ARcdHnRXLs","d":"7vlK1vhyQYSBY7A9Qh2RV2Th4Y_SOG6upvu92n8DYnI"}';
});

import { describe, expect, it } from "vitest";
import { requestMagicLinkAction, signUpAction } from "@/lib/auth/actions";
import { markEmailVerified } from "@/lib/auth/mutations";
import { signUp } from "@/lib/auth/service";
import { env } from "@/lib/env";
import { handlerMeta } from "@/lib/handler";
import { requestLink } from "@/scripts/test/auth-endpoints";
import { uniqueEmail } from "@/scripts/test/support";

const PRODUCTION = "https://trialledger.example";

async function knownAccount(): Promise<string> {
  const email = uniqueEmail("known");
  const { id } = await signUp({ name: "Kno Wn", email, password: "correct horse battery", accountType: "SPONSOR" });
  await markEmailVerified(id);
  return email;
}

async function answer(response: Response) {
  return { status: response.status, location: response.headers.get("location"), body: await response.text() };
}

describe("without a mail transport (production)", () => {
  it("runs as production", () => {
    expect(env().APP_ENV).toBe("production");
  });

  it("POST /api/auth/signin/email answers a known and an unknown address identically (503)", async () => {
    const known = await answer(await requestLink(await knownAccount(), "198.51.100.1", PRODUCTION));
    const unknown = await answer(await requestLink(uniqueEmail("unknown"), "198.51.100.2", PRODUCTION));
    expect(known).toEqual(unknown);
    expect(known.status).toBe(503);
  });

  it("the magic-link and sign-up actions answer a known and an unknown address identically (503)", async () => {
    const magicLink = handlerMeta(requestMagicLinkAction);
    const signUpMeta = handlerMeta(signUpAction);
    if (!magicLink || !signUpMeta) throw new Error("not declared actions");
    const known = await knownAccount();
    const unknown = uniqueEmail("unknown");
    const link = [await magicLink.invokeAs(null, { email: known }), await magicLink.invokeAs(null, { email: unknown })];
    expect(link[0]).toEqual(link[1]);
    expect(link[0]?.status).toBe(503);
    const form = (email: string) => ({ name: "Some One", email, password: "a long enough new password", accountType: "SPONSOR" });
    const signUps = [await signUpMeta.invokeAs(null, form(known)), await signUpMeta.invokeAs(null, form(unknown))];
    expect(signUps[0]).toEqual(signUps[1]);
    expect(signUps[0]?.status).toBe(503);
  });
});
