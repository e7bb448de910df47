import { error, json, ref } from "@/lib/openapi";

/**
 * The GA4GH Passport routes in /api/openapi.json (lib/registry/openapi.ts merges them): the
 * researcher's passport and the JWKS its visas point at. Profile and verification: docs/visas.md.
 */

const JWT = "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$";

export const visaPaths = {
  "/api/ga4gh/passport": {
    get: {
      operationId: "getPassport",
      summary: "The signed-in researcher's GA4GH Passport",
      description:
        "The ControlledAccessGrants visas (GA4GH Passport v1.2 Visa Document Tokens, ES256) of the caller's grants active now: started, not ended, not revoked. " +
        "Each visa's `value` names one dataset release, `source` the committee that decided, `exp` the grant's end; a revoked grant leaves the list at once. " +
        "Verify one with `npx trialledger verify-visa <jwt> --portal <portal URL>`, or against /.well-known/jwks.json.",
      security: [{ session: [] }],
      responses: {
        "200": { description: "The passport; an empty list when no grant is active.", content: json(ref("Passport")) },
        "401": error("No session: sign in first."),
        "403": error("The account is not a researcher's."),
      },
    },
  },
  "/.well-known/jwks.json": {
    get: {
      operationId: "getVisaKeys",
      summary: "The public keys the portal signs its visas with (JWKS)",
      description: "Every visa's header names this URL (`jku`) and one key in it (`kid`, the key's RFC 7638 thumbprint). Served as application/jwk-set+json, cacheable for an hour.",
      responses: { "200": { description: "The key set.", content: { "application/jwk-set+json": { schema: ref("VisaKeySet") } } } },
    },
  },
};

export const visaSchemas = {
  Passport: {
    type: "object",
    required: ["ga4gh_passport_v1"],
    properties: { ga4gh_passport_v1: { type: "array", items: { type: "string", pattern: JWT, description: "A visa: a compact JWS (header.claims.signature)." } } },
  },
  VisaKeySet: {
    type: "object",
    required: ["keys"],
    properties: {
      keys: {
        type: "array",
        items: {
          type: "object",
          required: ["kty", "crv", "x", "y", "kid", "alg", "use"],
          properties: {
            kty: { const: "EC" },
            crv: { const: "P-256" },
            x: { type: "string" },
            y: { type: "string" },
            kid: { type: "string" },
            alg: { const: "ES256" },
            use: { const: "sig" },
          },
        },
      },
    },
  },
};
