import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { HSTS, config, proxy } from "@/proxy";

const original = process.env.APP_ENV;
afterEach(() => {
  process.env.APP_ENV = original;
});

describe("proxy", () => {
  it("sends visitors without a session cookie from signed-in areas to sign-in, keeping the way back", () => {
    const response = proxy(new NextRequest("http://localhost:3000/orgs/acme?tab=x"));
    expect(response.status).toBe(307);
    const target = new URL(response.headers.get("location") ?? "");
    expect(target.pathname).toBe("/sign-in");
    expect(target.searchParams.get("callbackUrl")).toBe("/orgs/acme?tab=x");
  });

  it("lets a request with a session cookie through: the page itself checks the session", () => {
    for (const cookie of ["authjs.session-token=abc", "__Host-authjs.session-token=abc", "__Host-authjs.session-token.0=abc"]) {
      const request = new NextRequest("https://localhost:3000/orgs", { headers: { cookie } });
      expect(proxy(request).headers.get("location"), cookie).toBeNull();
    }
  });

  it("runs on every path but uploads, route handlers and static files included, and sends them HSTS in production", () => {
    process.env.APP_ENV = "production";
    for (const path of ["/", "/trials/TLR-2026-00001", "/api/trials", "/api/auth/session", "/_next/static/chunks/app.js", "/favicon.ico"]) {
      expect(unstable_doesMiddlewareMatch({ config, url: path }), path).toBe(true);
      const response = proxy(new NextRequest(`https://trialledger.example${path}`));
      expect(response.headers.get("strict-transport-security"), path).toBe(HSTS);
    }
    // Uploads stream: with the proxy on them, Next would buffer each body (and cut it at 10 MB).
    for (const path of ["/api/uploads", "/api/uploads/tus", "/api/uploads/tus/0123abcd"]) expect(unstable_doesMiddlewareMatch({ config, url: path }), path).toBe(false);
    expect(unstable_doesMiddlewareMatch({ config, url: "/api/uploadsx" })).toBe(true);
    // A route handler needs no nonce; its response is left to the handler.
    expect(proxy(new NextRequest("https://trialledger.example/api/trials")).headers.get("content-security-policy")).toBeNull();
    // Also on the redirect to sign-in.
    expect(proxy(new NextRequest("https://trialledger.example/orgs")).headers.get("strict-transport-security")).toBe(HSTS);
  });

  it("sets a fresh CSP nonce on every page and HSTS only in production", () => {
    process.env.APP_ENV = "development";
    const a = proxy(new NextRequest("http://localhost:3000/"));
    const b = proxy(new NextRequest("http://localhost:3000/"));
    const nonce = (r: Response) => /'nonce-([^']+)'/.exec(r.headers.get("content-security-policy") ?? "")?.[1];
    expect(nonce(a)).toBeTruthy();
    expect(nonce(a)).not.toBe(nonce(b));
    expect(a.headers.get("strict-transport-security")).toBeNull();

    process.env.APP_ENV = "production";
    const c = proxy(new NextRequest("https://trialledger.example/"));
    expect(c.headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains; preload");
  });
  it("answers 404 for a path with a broken percent-escape, which Next's router would answer with 500", async () => {
    for (const path of ["/trials/%ED%A0%80", "/api/trials/%ED%A0%80", "/orgs/%/trials/new", "/participate/trials/%E0%A4%A"]) {
      const response = proxy(new NextRequest(`http://localhost:3000${path}`));
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
    }
    // A well-formed escape is left to the page, and API routes otherwise pass through untouched.
    expect(proxy(new NextRequest("http://localhost:3000/trials/TLR-2026-00001%20")).status).toBe(200);
    expect(proxy(new NextRequest("http://localhost:3000/api/trials")).headers.get("content-security-policy")).toBeNull();
  });
});
