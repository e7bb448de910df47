// Auth.js's own endpoints, called as a client would: POST /api/auth/signin/email directly (not
// through the sign-in form's server action) must count every mail against the recipient's limit.
import { describe, expect, it } from "vitest";
import { GET, POST } from "@/app/api/auth/[...nextauth]/route";
import { markEmailVerified } from "@/lib/auth/mutations";
import { signUp } from "@/lib/auth/service";
import { handlerMeta } from "@/lib/handler";
import { listDevMail } from "@/lib/mail/data";
import { SIGN_IN_LIMITS } from "@/lib/rate-limit/service";
import { uniqueEmail } from "@/scripts/test/support";

const BASE = "http://localhost:3000";

function respond(handler: unknown, request: Request): Promise<Response> {
  const meta = handlerMeta(handler);
  if (!meta?.respondAs) throw new Error("not a declared route");
  return meta.respondAs(null, request, { params: Promise.resolve({ nextauth: new URL(request.url).pathname.split("/").slice(3) }) });
}

async function requestLink(email: string, address: string): Promise<Response> {
  const csrf = await respond(GET, new Request(`${BASE}/api/auth/csrf`, { headers: { "x-forwarded-for": address } }));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return respond(
    POST,
    new Request(`${BASE}/api/auth/signin/email`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie, "x-forwarded-for": address },
      body: new URLSearchParams({ email, csrfToken, callbackUrl: "/dashboard" }),
      redirect: "manual",
    }),
  );
}

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
