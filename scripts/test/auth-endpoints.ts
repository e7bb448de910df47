// Auth.js's own endpoints (app/api/auth/[...nextauth]/route.ts) called as a browser or client
// would, through the route wrapper: CSRF token and cookie first, then the form post. NextRequest,
// as Next.js passes: with AUTH_URL set (production) next-auth reads `request.nextUrl`.
import { GET, POST } from "@/app/api/auth/[...nextauth]/route";
import { NextRequest } from "next/server";
import { handlerMeta } from "@/lib/handler";

export const AUTH_BASE = "http://localhost:3000";

function respond(handler: unknown, request: Request): Promise<Response> {
  const meta = handlerMeta(handler);
  if (!meta?.respondAs) throw new Error("not a declared route");
  return meta.respondAs(null, request, { params: Promise.resolve({ nextauth: new URL(request.url).pathname.split("/").slice(3) }) });
}

/** POSTs an Auth.js form (`/signin/email`, `/callback/credentials`) from `address`, with a fresh CSRF token. */
export async function postAuthForm(path: string, fields: Record<string, string>, address: string, base = AUTH_BASE): Promise<Response> {
  const csrf = await respond(GET, new NextRequest(`${base}/api/auth/csrf`, { headers: { "x-forwarded-for": address } }));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  return respond(
    POST,
    new NextRequest(`${base}/api/auth${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie, "x-forwarded-for": address },
      body: new URLSearchParams({ ...fields, csrfToken }),
      redirect: "manual",
    }),
  );
}

/** POST /api/auth/signin/email: asks for a magic link (or, inside sign-up, a confirmation link). */
export function requestLink(email: string, address: string, base = AUTH_BASE): Promise<Response> {
  return postAuthForm("/signin/email", { email, callbackUrl: "/dashboard" }, address, base);
}

/** Opens a mailed link (GET /api/auth/callback/email?…) as the mailbox's owner would. */
export function followLink(link: string, address = "127.0.0.1"): Promise<Response> {
  return respond(GET, new NextRequest(link, { headers: { "x-forwarded-for": address }, redirect: "manual" }));
}
