import { textDigest } from "@/lib/access/agreement";
import { SignJWT, createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from "jose";
import { env } from "@/lib/env";
import { visaSigningKey, type VisaKey } from "@/lib/access/visa-key";

/**
 * GA4GH Passport v1.2 ControlledAccessGrants visas, in TrialLedger's profile (STANDARDS.md §3,
 * docs/visas.md): one Visa Document Token per grant, signed ES256 with the portal's visa key,
 * `jku` at the portal's JWKS. Minted once, when the committee's decision creates the grant, and
 * stored with it: a JWT cannot be recalled, so `exp` is the grant's end and whoever serves data
 * re-checks the grant live; the passport endpoint lists only grants active now.
 */

/** The JOSE `typ` of a Visa Document Token (AAI v1.2). */
export const VISA_TYP = "vnd.ga4gh.visa+jwt";
/** Where the portal serves its visa keys, under the portal's base URL. */
export const JWKS_PATH = "/.well-known/jwks.json";

/**
 * 60 s of clock difference tolerated on `exp` and `asserted`: NTP keeps servers within a second;
 * a minute covers a laptop that slept, and is nothing against a grant of months.
 */
export const CLOCK_TOLERANCE_S = 60;

export type VisaGrant = {
  /** The grant's id: the visa's `jti`, so the log entry and the visa name the same grant. */
  id: string;
  userId: string;
  datasetNumber: string;
  release: number;
  /** The sponsor whose data-access committee decided: the visa's `source`. */
  orgSlug: string;
  decidedAt: Date;
  end: Date;
};

export type ControlledAccessGrant = {
  type: "ControlledAccessGrants";
  /** Seconds since the epoch (AAI: seconds; EGA's milliseconds are a bug). */
  asserted: number;
  value: string;
  source: string;
  by: "dac";
};

/** A visa that verified: its header's key and its claims. */
export type VerifiedVisa = {
  kid: string;
  jku: string;
  iss: string;
  sub: string;
  jti: string;
  iat: number;
  exp: number;
  visa: ControlledAccessGrant;
};

export type VisaFailure = "malformed" | "alg" | "typ" | "kid" | "jku" | "unknown-kid" | "signature" | "iss" | "expired" | "claims" | "by" | "conditions";

/** Why a visa does not verify; `failure` names the check, the message says it in words. */
export class VisaError extends Error {
  override name = "VisaError";
  constructor(
    readonly failure: VisaFailure,
    message: string,
  ) {
    super(message);
  }
}

/** The portal's base URL with no trailing slash: the visas' `iss`, and the root of every URL they carry. */
export function portalBase(): string {
  return env().authUrl.replace(/\/+$/, "");
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** The visa's `value`: the one release the grant opens (a URL claim, never fetched; ≤ 255 characters). */
export function releaseValue(portal: string, datasetNumber: string, release: number): string {
  return `${portal}/datasets/${encodeURIComponent(datasetNumber)}/releases/${release}`;
}

/**
 * Mints the visa of `grant`: header {typ, alg ES256, jku, kid}, claims {iss, sub, jti, iat, exp,
 * ga4gh_visa_v1}. `exp` is the grant's end and `asserted` the decision's time, both in seconds.
 * `opts.key` and `opts.portal` are for tests; the portal signs with its own key under AUTH_URL.
 * @throws VisaError("claims") when the grant ends before `now` or the value passes 255 characters
 */
export async function mintVisa(grant: VisaGrant, opts: { now?: Date; key?: VisaKey; portal?: string } = {}): Promise<string> {
  const portal = (opts.portal ?? portalBase()).replace(/\/+$/, "");
  const key = opts.key ?? (await visaSigningKey());
  const iat = seconds(opts.now ?? new Date());
  const exp = seconds(grant.end);
  if (exp <= iat) throw new VisaError("claims", "the grant has ended: a visa for it would be expired when issued");
  const value = releaseValue(portal, grant.datasetNumber, grant.release);
  // AAI v1.2: a URL claim is at most 255 characters.
  if (value.length > 255) throw new VisaError("claims", `the visa's value would be ${value.length} characters, past the 255 a URL claim may have`);
  const visa: ControlledAccessGrant = {
    type: "ControlledAccessGrants",
    asserted: seconds(grant.decidedAt),
    value,
    source: `${portal}/dacs/${encodeURIComponent(grant.orgSlug)}`,
    by: "dac",
  };
  return new SignJWT({ ga4gh_visa_v1: visa })
    .setProtectedHeader({ typ: VISA_TYP, alg: "ES256", jku: `${portal}${JWKS_PATH}`, kid: key.kid })
    .setIssuer(portal)
    .setSubject(grant.userId)
    .setJti(grant.id)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key.privateKey);
}

/** The SHA-256 of a visa as the log records it (`visaDigest` of access.grant-issued): 0x and hex. */
export function visaDigest(jwt: string): string {
  return textDigest(jwt);
}

/**
 * Whether `jku` is a URL under `issuer` (same scheme, host and port; path below the issuer's). A
 * clearinghouse checks this before fetching `jku` (AAI v1.2): a visa may not send it to a key set of
 * the forger's choosing.
 */
export function jkuUnderIssuer(jku: string, issuer: string): boolean {
  if (!URL.canParse(jku) || !URL.canParse(issuer)) return false;
  const key = new URL(jku);
  const base = new URL(issuer);
  if (key.origin !== base.origin || key.username || key.password) return false;
  const prefix = base.pathname.replace(/\/+$/, "");
  return key.pathname.startsWith(`${prefix}/`);
}

/** The header of a visa, checked before anything is fetched for it: ES256, the visa `typ`, a `kid`, a `jku` under `issuer`. */
export function visaHeader(jwt: string, issuer: string): { kid: string; jku: string } {
  let header;
  try {
    header = decodeProtectedHeader(jwt);
  } catch {
    throw new VisaError("malformed", "not a JWT: its header does not decode");
  }
  if (jwt.split(".").length !== 3) throw new VisaError("malformed", "not a signed JWT (three base64url parts)");
  // AAI v1.2: ES256 or RS256 only; TrialLedger signs ES256 and accepts nothing else (no "none", no HS256 with the public key).
  if (header.alg !== "ES256") throw new VisaError("alg", `the visa is signed with ${String(header.alg)}, not ES256`);
  if (header.typ !== VISA_TYP) throw new VisaError("typ", `the visa's typ is ${JSON.stringify(header.typ)}, not "${VISA_TYP}"`);
  if (typeof header.kid !== "string" || header.kid === "") throw new VisaError("kid", "the visa names no key (kid)");
  if (typeof header.jku !== "string") throw new VisaError("jku", "the visa has no jku: a Visa Document Token must name its key set");
  if (!jkuUnderIssuer(header.jku, issuer)) throw new VisaError("jku", `the visa's key set ${header.jku} is not under ${issuer}: it is not fetched`);
  return { kid: header.kid, jku: header.jku };
}

function controlledAccessGrant(payload: JWTPayload): ControlledAccessGrant {
  const visa = payload.ga4gh_visa_v1 as Record<string, unknown> | undefined;
  if (!visa || typeof visa !== "object") throw new VisaError("claims", "the token has no ga4gh_visa_v1 claim");
  if (visa.type !== "ControlledAccessGrants") throw new VisaError("claims", `the visa's type is ${JSON.stringify(visa.type)}, not ControlledAccessGrants`);
  // A clearinghouse that does not evaluate conditions MUST reject a visa that has them (AAI v1.2).
  if (visa.conditions !== undefined) throw new VisaError("conditions", "the visa carries conditions, which this verifier does not evaluate");
  if (visa.by === undefined) throw new VisaError("by", "the visa does not say who asserted it (by): a ControlledAccessGrants visa must");
  if (visa.by !== "dac") throw new VisaError("by", `the visa was asserted by ${JSON.stringify(visa.by)}, not a data-access committee (dac)`);
  if (typeof visa.value !== "string" || typeof visa.source !== "string") throw new VisaError("claims", "the visa's value and source must be strings");
  if (typeof visa.asserted !== "number" || !Number.isInteger(visa.asserted)) throw new VisaError("claims", "the visa's asserted is not a time in seconds");
  return { type: "ControlledAccessGrants", asserted: visa.asserted, value: visa.value, source: visa.source, by: "dac" };
}

/**
 * Verifies a ControlledAccessGrants visa against the issuer's key set: the header (as visaHeader),
 * the ES256 signature under the key its `kid` names, `iss` = `issuer`, not expired at `now`, and
 * the visa claim (type, `by`, no conditions, `asserted` in seconds and not in the future).
 * @throws VisaError naming the first check that failed
 */
export async function verifyVisa(jwt: string, opts: { jwks: JSONWebKeySet; issuer: string; now?: Date }): Promise<VerifiedVisa> {
  const issuer = opts.issuer.replace(/\/+$/, "");
  const { kid, jku } = visaHeader(jwt, issuer);
  const now = opts.now ?? new Date();
  if (!opts.jwks.keys.some((k) => k.kid === kid)) throw new VisaError("unknown-kid", `the key set at ${jku} has no key ${kid}`);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(jwt, createLocalJWKSet(opts.jwks), {
      algorithms: ["ES256"],
      typ: VISA_TYP,
      issuer,
      currentDate: now,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ["iss", "sub", "iat", "exp", "jti"],
    }));
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) throw new VisaError("signature", `the signature does not verify under key ${kid}: the visa was changed, or another key signed it`);
    if (error instanceof errors.JWTExpired) throw new VisaError("expired", `the visa expired at ${new Date(Number(error.payload.exp) * 1000).toISOString()}`);
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === "iss") throw new VisaError("iss", `the visa was issued by ${String(error.payload.iss)}, not ${issuer}`);
    if (error instanceof errors.JWTClaimValidationFailed) throw new VisaError("claims", `the visa's ${error.claim} claim: ${error.message}`);
    if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw new VisaError("unknown-kid", `the key set at ${jku} has no single ES256 key ${kid}`);
    if (error instanceof errors.JOSEError) throw new VisaError("malformed", `the visa does not decode: ${error.message}`);
    throw error;
  }
  const visa = controlledAccessGrant(payload);
  // Milliseconds (EGA's bug) would put the assertion tens of thousands of years ahead.
  if (visa.asserted > seconds(now) + CLOCK_TOLERANCE_S) throw new VisaError("claims", `the visa's asserted (${visa.asserted}) is in the future: not seconds since the epoch?`);
  return { kid, jku, iss: issuer, sub: String(payload.sub), jti: String(payload.jti), iat: Number(payload.iat), exp: Number(payload.exp), visa };
}
