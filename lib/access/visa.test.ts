import { createHash } from "node:crypto";
import { SignJWT, decodeJwt, decodeProtectedHeader } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { generateVisaKey, parseVisaKey, type VisaKey } from "@/lib/access/visa-key";
import { VisaError, jkuUnderIssuer, mintVisa, verifyVisa, visaDigest, type VisaFailure, type VisaGrant } from "@/lib/access/visa";

const PORTAL = "https://trials.example.org";
const NOW = new Date("2026-12-02T12:00:00.000Z");
const GRANT: VisaGrant = {
  id: "cmgrant000000000000000001",
  userId: "cmuser0000000000000000001",
  datasetNumber: "TLR-2026-00042.D1",
  release: 2,
  orgSlug: "acme-pharma",
  decidedAt: new Date("2026-12-01T09:30:00.750Z"),
  end: new Date("2027-12-01T09:30:00.000Z"),
};

let key: VisaKey;
let stranger: VisaKey;
const jwksOf = (k: VisaKey) => ({ keys: [k.publicJwk] });

beforeAll(async () => {
  key = await parseVisaKey((await generateVisaKey()).signingKey);
  stranger = await parseVisaKey((await generateVisaKey()).signingKey);
});

const mint = (grant: Partial<VisaGrant> = {}, k: VisaKey = key) => mintVisa({ ...GRANT, ...grant }, { now: NOW, key: k, portal: PORTAL });

/** A token signed by `k` with any header and claims, for the refusals mintVisa never produces. */
async function forge(header: Record<string, unknown>, claims: Record<string, unknown>, k: VisaKey = key): Promise<string> {
  const jwt = decodeJwt(await mint());
  const { alg: _alg, ...rest } = { typ: "vnd.ga4gh.visa+jwt", alg: "ES256", jku: `${PORTAL}/.well-known/jwks.json`, kid: k.kid, ...header };
  return new SignJWT({ ...jwt, ...claims }).setProtectedHeader({ alg: "ES256", ...rest }).sign(k.privateKey);
}

async function refusal(jwt: string, opts: { jwks?: { keys: unknown[] }; issuer?: string; now?: Date } = {}): Promise<VisaError> {
  try {
    await verifyVisa(jwt, { jwks: (opts.jwks ?? jwksOf(key)) as never, issuer: opts.issuer ?? PORTAL, now: opts.now ?? NOW });
  } catch (error) {
    if (error instanceof VisaError) return error;
    throw error;
  }
  throw new Error("the visa verified");
}

describe("mintVisa", () => {
  it("writes the header of the TrialLedger profile: the visa typ, ES256, the portal's JWKS and the key's thumbprint", async () => {
    expect(decodeProtectedHeader(await mint())).toEqual({ typ: "vnd.ga4gh.visa+jwt", alg: "ES256", jku: "https://trials.example.org/.well-known/jwks.json", kid: key.kid });
  });

  it("writes exactly the profile's claims: exp the grant's end, asserted the decision, both in seconds", async () => {
    expect(decodeJwt(await mint())).toEqual({
      iss: "https://trials.example.org",
      sub: GRANT.userId,
      jti: GRANT.id,
      iat: 1796212800, // 2026-12-02T12:00:00Z
      exp: 1827653400, // 2027-12-01T09:30:00Z: the grant's end, never later
      ga4gh_visa_v1: {
        type: "ControlledAccessGrants",
        // 2026-12-01T09:30:00.750Z in whole seconds; EGA writes milliseconds (1796117400750), against the spec.
        asserted: 1796117400,
        value: "https://trials.example.org/datasets/TLR-2026-00042.D1/releases/2",
        source: "https://trials.example.org/dacs/acme-pharma",
        by: "dac",
      },
    });
  });

  it("takes the portal without a trailing slash, and refuses a grant already ended", async () => {
    const jwt = await mintVisa(GRANT, { now: NOW, key, portal: `${PORTAL}/` });
    expect(decodeJwt(jwt).iss).toBe(PORTAL);
    await expect(mint({ end: NOW })).rejects.toMatchObject({ failure: "claims" });
  });

  it("gives the digest the log records: SHA-256 of the JWT text, 0x and hex", async () => {
    const jwt = await mint();
    expect(visaDigest(jwt)).toBe(`0x${createHash("sha256").update(jwt).digest("hex")}`);
    expect(visaDigest(jwt)).toMatch(/^0x[0-9a-f]{64}$/);
  });
});

describe("verifyVisa", () => {
  it("verifies a minted visa and gives its claims", async () => {
    const verified = await verifyVisa(await mint(), { jwks: jwksOf(key), issuer: PORTAL, now: NOW });
    expect(verified).toEqual({
      kid: key.kid,
      jku: `${PORTAL}/.well-known/jwks.json`,
      iss: PORTAL,
      sub: GRANT.userId,
      jti: GRANT.id,
      iat: 1796212800,
      exp: 1827653400,
      visa: { type: "ControlledAccessGrants", asserted: 1796117400, value: `${PORTAL}/datasets/TLR-2026-00042.D1/releases/2`, source: `${PORTAL}/dacs/acme-pharma`, by: "dac" },
    });
  });

  const cases: Array<[string, VisaFailure, () => Promise<{ jwt: string; opts?: Parameters<typeof refusal>[1] }>]> = [
    ["another key signed it under the portal's kid", "signature", async () => ({ jwt: await forge({ kid: key.kid }, {}, stranger) })],
    ["its kid is not in the key set", "unknown-kid", async () => ({ jwt: await mint({}, stranger) })],
    ["it expired (a minute's tolerance past the end)", "expired", async () => ({ jwt: await mint(), opts: { now: new Date(GRANT.end.getTime() + 61_000) } })],
    ["its jku is on another host", "jku", async () => ({ jwt: await forge({ jku: "https://evil.example/.well-known/jwks.json" }, {}) })],
    ["its jku is on another scheme", "jku", async () => ({ jwt: await forge({ jku: "http://trials.example.org/.well-known/jwks.json" }, {}) })],
    ["it has no jku", "jku", async () => ({ jwt: await forge({ jku: undefined }, {}) })],
    ["its typ is plain JWT", "typ", async () => ({ jwt: await forge({ typ: "JWT" }, {}) })],
    ["another portal issued it", "iss", async () => ({ jwt: await forge({}, { iss: "https://other.example.org" }) })],
    ["it says not who asserted it", "by", async () => ({ jwt: await forge({}, { ga4gh_visa_v1: { ...decodeJwt(await mint()).ga4gh_visa_v1!, by: undefined } }) })],
    ["a researcher asserted it themself", "by", async () => ({ jwt: await forge({}, { ga4gh_visa_v1: { ...decodeJwt(await mint()).ga4gh_visa_v1!, by: "self" } }) })],
    ["it carries conditions", "conditions", async () => ({ jwt: await forge({}, { ga4gh_visa_v1: { ...decodeJwt(await mint()).ga4gh_visa_v1!, conditions: [[{ type: "AffiliationAndRole", value: "const:faculty@x" }]] } }) })],
    ["its asserted is in milliseconds", "claims", async () => ({ jwt: await forge({}, { ga4gh_visa_v1: { ...decodeJwt(await mint()).ga4gh_visa_v1!, asserted: GRANT.decidedAt.getTime() } }) })],
    ["it has no exp", "claims", async () => ({ jwt: await forge({}, { exp: undefined }) })],
    ["it is not a JWT", "malformed", async () => ({ jwt: "not.a.jwt" })],
  ];

  it.each(cases)("refuses a visa when %s", async (_label, failure, make) => {
    const { jwt, opts } = await make();
    const error = await refusal(jwt, opts);
    expect(error.failure).toBe(failure);
    expect(error.message.length).toBeGreaterThan(10);
  });

  it("refuses any algorithm but ES256 before looking at a key: none and HS256 with the public key", async () => {
    const [, payload] = (await mint()).split(".");
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const none = `${b64({ alg: "none", typ: "vnd.ga4gh.visa+jwt", jku: `${PORTAL}/.well-known/jwks.json`, kid: key.kid })}.${payload}.`;
    expect((await refusal(none)).failure).toBe("alg");
    const hs = await new SignJWT(decodeJwt(await mint()))
      .setProtectedHeader({ alg: "HS256", typ: "vnd.ga4gh.visa+jwt", jku: `${PORTAL}/.well-known/jwks.json`, kid: key.kid })
      .sign(new TextEncoder().encode(JSON.stringify(key.publicJwk)));
    expect((await refusal(hs)).failure).toBe("alg");
  });

  it("refuses a visa whose claims were edited after signing", async () => {
    const [header, , signature] = (await mint()).split(".");
    const edited = Buffer.from(JSON.stringify({ ...decodeJwt(await mint()), sub: "someone-else" })).toString("base64url");
    expect((await refusal(`${header}.${edited}.${signature}`)).failure).toBe("signature");
  });
});

describe("jkuUnderIssuer", () => {
  it("accepts a key set below the issuer's path, on its scheme, host and port only", () => {
    expect(jkuUnderIssuer("https://trials.example.org/.well-known/jwks.json", "https://trials.example.org")).toBe(true);
    expect(jkuUnderIssuer("https://x.example/portal/.well-known/jwks.json", "https://x.example/portal/")).toBe(true);
    expect(jkuUnderIssuer("https://x.example/portalx/jwks.json", "https://x.example/portal")).toBe(false);
    expect(jkuUnderIssuer("https://x.example:8443/jwks.json", "https://x.example")).toBe(false);
    expect(jkuUnderIssuer("https://x.example.evil.org/jwks.json", "https://x.example")).toBe(false);
    expect(jkuUnderIssuer("https://x.example@evil.org/jwks.json", "https://x.example")).toBe(false);
    expect(jkuUnderIssuer("https://user@x.example/jwks.json", "https://x.example")).toBe(false);
    expect(jkuUnderIssuer("not a url", "https://x.example")).toBe(false);
  });
});
