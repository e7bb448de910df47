import { describe, expect, it } from "vitest";
import { type DevRequestFacts, decideDevRequest, exposureWarning } from "@/lib/dev/access";

const local: DevRequestFacts = { appEnv: "development", listenHost: "127.0.0.1", peerFromSocket: true, client: "127.0.0.1", forwardedEntries: 1, hostHeader: "localhost:3000" };

describe("decideDevRequest", () => {
  it("answers a loopback request to a development portal listening on loopback", () => {
    expect(decideDevRequest(local)).toEqual({ ok: true });
    expect(decideDevRequest({ ...local, appEnv: "test", client: "::1", hostHeader: "[::1]:3000" })).toEqual({ ok: true });
  });

  it("refuses in production, on a network address, from elsewhere, and for a foreign Host", () => {
    expect(decideDevRequest({ ...local, appEnv: "production" })).toEqual({ ok: false, reason: "production" });
    expect(decideDevRequest({ ...local, listenHost: "0.0.0.0" })).toEqual({ ok: false, reason: "listening-on-network" });
    expect(decideDevRequest({ ...local, peerFromSocket: false })).toEqual({ ok: false, reason: "client-unknown" });
    expect(decideDevRequest({ ...local, client: "192.168.1.20" })).toEqual({ ok: false, reason: "remote-client" });
    expect(decideDevRequest({ ...local, client: "unknown" })).toEqual({ ok: false, reason: "remote-client" });
    // DNS rebinding: a page on another site whose name now resolves to 127.0.0.1.
    expect(decideDevRequest({ ...local, hostHeader: "rebind.evil.example:3000" })).toEqual({ ok: false, reason: "foreign-host" });
    expect(decideDevRequest({ ...local, hostHeader: null })).toEqual({ ok: false, reason: "foreign-host" });
  });
});

describe("decideDevRequest behind another proxy", () => {
  it("refuses a request whose x-forwarded-for has an entry besides the one scripts/serve.ts appended", () => {
    // nginx, Caddy or an ngrok agent on this machine connects from 127.0.0.1 and appends the real
    // visitor before scripts/serve.ts appends 127.0.0.1: the socket says loopback, the visitor is not.
    expect(decideDevRequest({ ...local, forwardedEntries: 2 })).toEqual({ ok: false, reason: "proxied" });
    // Also a client that wrote its own entry: it did not come straight from this machine's browser.
    expect(decideDevRequest({ ...local, forwardedEntries: 3 })).toEqual({ ok: false, reason: "proxied" });
    expect(decideDevRequest({ ...local, forwardedEntries: 0 })).toEqual({ ok: false, reason: "proxied" });
  });
});

describe("exposureWarning", () => {
  it("warns about a development portal on a network address, and only then", () => {
    const warning = exposureWarning({ APP_ENV: "development", host: "0.0.0.0", PORT: 3000 });
    expect(warning).toContain("WARNING");
    expect(warning).toContain("0.0.0.0:3000");
    expect(warning).toContain("mailbox (/api/dev/mailbox) is OFF");
    expect(exposureWarning({ APP_ENV: "development", host: "127.0.0.1", PORT: 3000 })).toBeUndefined();
    expect(exposureWarning({ APP_ENV: "production", host: "0.0.0.0", PORT: 3000 })).toBeUndefined();
  });
});
