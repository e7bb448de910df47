// `trialledger verify-visa` end to end: the portal's JWKS served over HTTP by its own route handler
// (app/.well-known/jwks.json), visas minted with the portal's key, and the CLI run as a child
// process. A good visa verifies (exit 0); one signed by another key, an expired one and one whose
// jku points off the portal do not (exit 1) — the last without the CLI ever asking that address.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as jwksRoute from "@/app/.well-known/jwks.json/route";
import { mintVisa, type VisaGrant } from "@/lib/access/visa";
import { generateVisaKey, parseVisaKey, visaSigningKey, type VisaKey } from "@/lib/access/visa-key";
import { handlerMeta } from "@/lib/handler";
import { cli } from "@/scripts/test/cli";

type Server = { url: string; requests: string[]; close(): Promise<void> };

/** An HTTP server answering `/.well-known/jwks.json` with `answer`, recording every path asked. */
function listen(answer: (request: Request) => Promise<Response>): Promise<Server> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push(url.pathname);
    const response = url.pathname === "/.well-known/jwks.json" ? answer(new Request(url)) : Promise.resolve(new Response("not found", { status: 404 }));
    void response.then(async (r) => {
      res.writeHead(r.status, Object.fromEntries(r.headers));
      res.end(Buffer.from(await r.arrayBuffer()));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => new Promise((done) => server.close(() => done())) }),
    ),
  );
}

let portal: Server;
/** Another party's server with a key set of its own, where a forged visa's jku points. */
let elsewhere: Server;
let stranger: VisaKey;

const grant = (): VisaGrant => ({
  id: `grant-${Math.random().toString(36).slice(2, 10)}`,
  userId: "researcher-1",
  datasetNumber: "TLR-2026-00042.D1",
  release: 1,
  orgSlug: "acme-pharma",
  decidedAt: new Date(Date.now() - 86_400_000),
  end: new Date(Date.now() + 365 * 86_400_000),
});

/** A token with the claims of a good visa and the given header, signed by `key`. */
async function forge(header: { kid: string; jku: string }, key: VisaKey): Promise<string> {
  const claims = decodeJwt(await mintVisa(grant(), { portal: portal.url }));
  return new SignJWT(claims).setProtectedHeader({ typ: "vnd.ga4gh.visa+jwt", alg: "ES256", ...header }).sign(key.privateKey);
}

beforeAll(async () => {
  const respond = handlerMeta(jwksRoute.GET)?.respondAs;
  if (!respond) throw new Error("the JWKS route is not declared through lib/handler.ts");
  portal = await listen((request) => respond(null, request));
  stranger = await parseVisaKey((await generateVisaKey()).signingKey);
  elsewhere = await listen(async () => Response.json({ keys: [stranger.publicJwk] }));
});

afterAll(async () => {
  await portal.close();
  await elsewhere.close();
});

describe("npx trialledger verify-visa", () => {
  it("verifies a visa the portal minted, and says what it grants", async () => {
    const g = grant();
    const result = await cli("verify-visa", await mintVisa(g, { portal: portal.url }), "--portal", portal.url);
    expect(result.out).toContain("VERIFIED");
    expect(result.code).toBe(0);
    expect(result.out).toContain(`account researcher-1 access to ${portal.url}/datasets/TLR-2026-00042.D1/releases/1`);
    expect(result.out).toContain(`the data-access committee ${portal.url}/dacs/acme-pharma (by: dac)`);
    expect(result.out).toContain(`until ${new Date(Math.floor(g.end.getTime() / 1000) * 1000).toISOString()}`);
    expect(result.out).toContain(`key ${(await visaSigningKey()).kid}`);
    expect(portal.requests).toContain("/.well-known/jwks.json");
  });

  it("refuses a visa signed by another key, under its own kid or the portal's", async () => {
    const own = await cli("verify-visa", await mintVisa(grant(), { portal: portal.url, key: stranger }), "--portal", portal.url);
    expect(own.code).toBe(1);
    expect(own.out).toMatch(/NOT VERIFIED: the key set at .* has no key/);
    const borrowed = await cli("verify-visa", await forge({ kid: (await visaSigningKey()).kid, jku: `${portal.url}/.well-known/jwks.json` }, stranger), "--portal", portal.url);
    expect(borrowed.code).toBe(1);
    expect(borrowed.out).toMatch(/NOT VERIFIED: the signature does not verify/);
  });

  it("refuses an expired visa", async () => {
    const minted = new Date(Date.now() - 30 * 86_400_000);
    const expired = await mintVisa({ ...grant(), decidedAt: minted, end: new Date(Date.now() - 86_400_000) }, { portal: portal.url, now: minted });
    const result = await cli("verify-visa", expired, "--portal", portal.url);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/NOT VERIFIED: the visa expired at/);
  });

  it("refuses a visa whose jku points off the portal, without fetching it", async () => {
    const jwt = await forge({ kid: stranger.kid, jku: `${elsewhere.url}/.well-known/jwks.json` }, stranger);
    const result = await cli("verify-visa", jwt, "--portal", portal.url);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/NOT VERIFIED: the visa's key set http:\/\/127\.0\.0\.1:\d+\/\.well-known\/jwks\.json is not under/);
    expect(elsewhere.requests).toEqual([]);
  });

  it("refuses a portal over plain http off this machine (exit 2: it could be anyone's)", async () => {
    const result = await cli("verify-visa", "x.y.z", "--portal", "http://trials.example.org");
    expect(result.code).toBe(2);
    expect(result.out).toMatch(/--portal must be an https URL/);
  });
});

describe("the JWKS route", () => {
  it("serves the portal's one visa key, public half only, cacheable", async () => {
    const response = await fetch(`${portal.url}/.well-known/jwks.json`);
    expect(response.headers.get("content-type")).toBe("application/jwk-set+json");
    expect(response.headers.get("cache-control")).toBe("public, max-age=3600");
    const body = (await response.json()) as { keys: Array<Record<string, unknown>> };
    expect(body).toEqual({ keys: [(await visaSigningKey()).publicJwk] });
    expect(body.keys[0]).not.toHaveProperty("d");
  });
});
