import { type NextRequest, NextResponse } from "next/server";
import { AppError, toPublicError } from "@/lib/errors";
import { contentSecurityPolicy } from "@/lib/security/csp";

/**
 * Runs before every page: sets the Content-Security-Policy with a fresh nonce (Next puts the nonce
 * on its own scripts), HSTS in production, and redirects visitors without a session cookie away
 * from signed-in areas. It decides nothing about access: every action, route and page checks the
 * session itself (lib/handler.ts, lib/auth/session.ts).
 */

const SIGNED_IN_AREAS = ["/dashboard", "/account", "/orgs", "/committee", "/admin", "/researcher"];
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];

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
    return NextResponse.json({ error }, { status: 404, headers: { "cache-control": "no-store" } });
  }
  // API routes pass through the proxy only for the check above (see the matcher).
  if (pathname.startsWith("/api/")) return NextResponse.next();
  const signedInArea = SIGNED_IN_AREAS.some((area) => pathname === area || pathname.startsWith(`${area}/`));
  if (signedInArea && !SESSION_COOKIES.some((name) => request.cookies.has(name))) {
    const target = new URL("/sign-in", request.url);
    target.searchParams.set("callbackUrl", `${pathname}${search}`);
    return NextResponse.redirect(target);
  }

  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce, { chainRpc: process.env.CHAIN_PUBLIC_RPC_URL || process.env.CHAIN_RPC_URL });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  if (process.env.APP_ENV === "production") {
    // Two years with preload: the value hstspreload.org asks for.
    response.headers.set("strict-transport-security", "max-age=63072000; includeSubDomains; preload");
  }
  return response;
}

export const config = {
  matcher: [{ source: "/((?!api/|_next/static|_next/image|favicon.ico).*)" }, { source: "/api/:path*" }],
};
