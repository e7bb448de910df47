import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { proxy } from "@/proxy";

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
    const request = new NextRequest("http://localhost:3000/orgs", { headers: { cookie: "authjs.session-token=abc" } });
    expect(proxy(request).headers.get("location")).toBeNull();
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
