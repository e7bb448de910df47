import { type NextRequest, NextResponse } from "next/server";
import { hasSessionCookie } from "@/lib/auth/cookies";
import { AppError, toPublicError } from "@/lib/errors";
import { contentSecurityPolicy } from "@/lib/security/csp";

/**
 * Runs before every request. On every response in production: HSTS. On pages: the
 * Content-Security-Policy with a fresh nonce (Next puts the nonce on its own scripts), and a
 * redirect for visitors without a session cookie away from signed-in areas. It decides nothing
 * about access: every action, route and page checks the session itself (lib/handler.ts,
 * lib/auth/session.ts).
 */

const SIGNED_IN_AREAS = ["/dashboard", "/account", "/orgs", "/committee", "/admin", "/researcher", "/requests"];

/** Not pages: route handlers and static files get HSTS only (no nonce: they run no scripts). */
const NOT_PAGES = /^\/(?:api\/|\.well-known\/|_next\/static\/|_next\/image|favicon\.ico$)/;

/**
 * Two years with preload: the value hstspreload.org asks for. Sent on every response, API and
 * static files included: a client that only ever calls the API must learn it too, and a browser
 * keeps the latest value it saw.
 */
export const HSTS = "max-age=63072000; includeSubDomains; preload";

function withHsts(response: NextResponse): NextResponse {
  if (process.env.APP_ENV === "production") response.headers.set("strict-transport-security", HSTS);
  return response;
}

/**
 * A path with a broken percent-escape (%ED%A0%80 is a lone surrogate; "%" alone) names no page or
 * route. Next's router throws a DecodeError on it while matching a dynamic segment and looks for a
 * /400 page that the App Router does not have, answering a bare 500; answered here first, it is 404.
 */
function undecodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    return true;
  }
}

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (undecodable(pathname)) {
    const error = toPublicError(new AppError("NOT_FOUND", "Nothing has that address: it holds a broken percent-escape."));
    return withHsts(NextResponse.json({ error }, { status: 404, headers: { "cache-control": "no-store" } }));
  }
  if (NOT_PAGES.test(pathname)) return withHsts(NextResponse.next());

  const signedInArea = SIGNED_IN_AREAS.some((area) => pathname === area || pathname.startsWith(`${area}/`));
  if (signedInArea && !hasSessionCookie(request.cookies.getAll().map((c) => c.name))) {
    const target = new URL("/sign-in", request.url);
    target.searchParams.set("callbackUrl", `${pathname}${search}`);
    return withHsts(NextResponse.redirect(target));
  }

  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce, { chainRpc: process.env.CHAIN_PUBLIC_RPC_URL || process.env.CHAIN_RPC_URL });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  return withHsts(response);
}

// Every path but uploads: HSTS belongs on every response (issue 8: it was missing on /api/*).
// Uploads are left out because a proxy makes Next buffer the whole request body in memory (to let
// both the proxy and the handler read it) and cut it at 10 MB (`proxyClientMaxBodySize`): a
// 50 MiB tus chunk would arrive truncated, and a file would never stream. Only the portal's own
// pages call these routes, and those pages' responses carry HSTS.
export const config = {
  matcher: [{ source: "/((?!api/uploads(?:/|$)).*)" }],
};
