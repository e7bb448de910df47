// Auth.js endpoints (sign-in callbacks, magic-link verification, session, CSRF). Public by nature;
// password and magic-link posts are refused with 429 while the account or address is over its
// sign-in limit, before Auth.js sees them.
import { z } from "zod";
import { handlers } from "@/lib/auth/config";
import { email } from "@/lib/auth/schema";
import { clientAddress, signInChecks } from "@/lib/auth/service";
import { route } from "@/lib/handler";
import { assertMailTransport } from "@/lib/mail/service";
import { SIGN_IN_LIMITS, assertUnderLimits } from "@/lib/rate-limit/service";

export const dynamic = "force-dynamic";

export const GET = route({ name: "auth.endpoint.get", access: "public" }, async ({ request }) => handlers.GET(request as never));

const authPost = z.looseObject({ email: email.optional().catch(undefined) });

/**
 * Auth.js posts forms (its client and its pages send application/x-www-form-urlencoded) and
 * checks its own CSRF token on them. 4 KiB: an email, a password of at most 256 characters, the
 * CSRF token (about 100) and a callback URL fit many times over.
 */
const AUTH_FORM = { kind: "form", maxBytes: 4 * 1024 } as const;

export const POST = route({ name: "auth.endpoint.post", access: "public", input: authPost, body: AUTH_FORM }, async ({ request, input }) => {
  const path = new URL(request.url).pathname;
  const address = clientAddress(request.headers);
  if (path.endsWith("/callback/credentials") && input.email) {
    await assertUnderLimits(signInChecks(input.email, address));
  } else if (path.endsWith("/signin/email")) {
    // Every address alike (503) when no mail can be sent, before any limit or lookup.
    assertMailTransport();
    if (input.email) await assertUnderLimits([[SIGN_IN_LIMITS.magicLink, input.email]]);
  }
  return handlers.POST(request as never);
});
