import { accessPaths, accessSchemas } from "@/lib/access/openapi";
import { visaPaths, visaSchemas } from "@/lib/access/openapi-visas";
import { accessRegisterPaths, accessRegisterSchemas } from "@/lib/access/openapi-register";
import { exportPaths } from "@/lib/exports/openapi";
import { receiptSchema } from "@/lib/anchoring/receipt";
import { consentPaths, consentSchemas } from "@/lib/consent/openapi";
import { datasetPaths, datasetSchemas } from "@/lib/datasets/openapi";
import { datasetReceiptPaths } from "@/lib/datasets/openapi-receipts";
import { ontologyPaths, ontologySchemas } from "@/lib/duo/openapi";
import { error, json, jsonSchemaOf, ref, registrationNumberParam as registrationNumber } from "@/lib/openapi";
import { ERROR_STATUS } from "@/lib/errors";
import { PHASES, RECRUITMENT_STATUSES, trialRecordInput } from "@/lib/registry/schema";
import { datasetSearchPaths, listTrialsOperation, searchSchemas } from "@/lib/search/openapi";

/**
 * The OpenAPI 3.1 description of the trials API (app/api/trials/**) and, from lib/consent/openapi.ts,
 * the consent API (app/api/consent/**), served at /api/openapi.json.
 * Written by hand, except the registration record and the receipt: those two are generated from
 * the zod schemas the portal validates with (`trialRecordInput`, `receiptSchema`), so the document
 * cannot drift from what is accepted. OpenAPI 3.1 schemas are JSON Schema 2020-12, which is what
 * `z.toJSONSchema` emits; `io: "input"` describes what a client sends, before trimming.
 * lib/registry/api.int.test.ts fails when a route under app/api/trials has no path here,
 * lib/consent/openapi.test.ts when one under app/api/consent has none.
 */

const sponsorOnly = [{ session: [] }];

const responses = {
  notFound: error("No trial (or version) with that number; also for a malformed number."),
  validation: error("The input is invalid: `fieldErrors` maps each field's path (like `record.countries.0`) to its messages."),
  unauthenticated: error("No session: sign in first."),
  forbidden: error("The account is not a sponsor, or not a member of the organisation."),
  rateLimited: error("Too many requests; retry after `retry-after` seconds."),
  tooLarge: error("The body is larger than the route's limit (2 MiB for a record, 16 KiB elsewhere)."),
  mediaType: error("The body is not `application/json` (a charset, if given, must be utf-8)."),
};

export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "TrialLedger trials API",
    version: "1.0.0",
    description:
      "Registered clinical trials, their versions and the anchoring receipts of each version's digest. " +
      "Reads are public. Writes need a sponsor's signed-in session (the portal's session cookie) and membership of the sponsoring organisation, " +
      "and must come from the portal's own origin (`Origin` or `Sec-Fetch-Site: same-origin`, else 403). " +
      "Every error has the body `{ error: { code, status, message, fieldErrors? } }`. " +
      "The consent API (/api/consent/**) is public and needs no session; docs/consent.md gives its protocol (message layout, scope, depth 20).",
  },
  servers: [{ url: "/" }],
  paths: {
    "/api/trials": {
      get: listTrialsOperation,
      post: {
        operationId: "registerTrial",
        summary: "Register a trial",
        security: sponsorOnly,
        requestBody: {
          required: true,
          content: json({
            type: "object",
            required: ["orgId", "record", "signature"],
            additionalProperties: false,
            properties: { orgId: { type: "string", minLength: 1, maxLength: 64 }, record: ref("TrialRecord"), signature: ref("Signature") },
          }),
        },
        responses: {
          "201": {
            description: "Registered; the record's digest is queued for anchoring.",
            content: json({ type: "object", required: ["registrationNumber"], properties: { registrationNumber: { type: "string" } } }),
          },
          "400": error("The body is not valid JSON."),
          "401": responses.unauthenticated,
          "403": responses.forbidden,
          "413": responses.tooLarge,
          "415": responses.mediaType,
          "422": responses.validation,
          "429": responses.rateLimited,
        },
      },
    },
    "/api/trials/{number}": {
      get: {
        operationId: "getTrial",
        summary: "A trial with its current record and every version",
        parameters: [registrationNumber],
        responses: { "200": { description: "The trial.", content: json(ref("Trial")) }, "404": responses.notFound },
      },
    },
    "/api/trials/{number}/versions": {
      post: {
        operationId: "amendTrial",
        summary: "Amend a trial: register its next version",
        security: sponsorOnly,
        parameters: [registrationNumber],
        requestBody: {
          required: true,
          content: json({
            type: "object",
            required: ["basedOnVersion", "record", "signature"],
            additionalProperties: false,
            properties: {
              basedOnVersion: { type: "integer", minimum: 1, maximum: 1_000_000, description: "The version the amendment was edited from: the current one." },
              record: ref("TrialRecord"),
              signature: ref("Signature"),
            },
          }),
        },
        responses: {
          "201": { description: "The new version.", content: json({ type: "object", required: ["version"], properties: { version: { type: "integer" } } }) },
          "400": error("The body is not valid JSON."),
          "401": responses.unauthenticated,
          "403": responses.forbidden,
          "404": responses.notFound,
          "409": error("`basedOnVersion` is no longer the current version: someone amended the trial since."),
          "413": responses.tooLarge,
          "415": responses.mediaType,
          "422": error(
            "The record is invalid (see `fieldErrors`), or identical to the current version; or the signature's password (`signature.password`) or meaning (`signature.meaning`) is wrong, and nothing was amended.",
          ),
          "429": responses.rateLimited,
        },
      },
    },
    "/api/trials/{number}/versions/{version}/receipt": {
      get: {
        operationId: "getVersionReceipt",
        summary: "The anchoring receipt of one version's digest",
        description:
          "200 with the receipt once the Merkle root holding the digest is anchored and has its confirmations; a receipt is only final then. " +
          "Until then 202 with where anchoring stands: poll again later. The receipt format is specified in docs/receipt-format.md.",
        parameters: [registrationNumber, { name: "version", in: "path", required: true, schema: { type: "integer", minimum: 1 } }],
        responses: {
          "200": { description: "The receipt (docs/receipt-format.md).", content: json(ref("Receipt")) },
          "202": { description: "Not anchored yet.", content: json(ref("AnchoringInProgress")) },
          "404": responses.notFound,
        },
      },
    },
    "/api/trials/{number}/files/{digest}/receipt": {
      get: {
        operationId: "getFileReceipt",
        summary: "The anchoring receipt of a file attached to the trial",
        parameters: [registrationNumber, { name: "digest", in: "path", required: true, schema: { type: "string", pattern: "^0x[0-9a-f]{64}$" } }],
        responses: {
          "200": { description: "The receipt (docs/receipt-format.md).", content: json(ref("Receipt")) },
          "202": { description: "Not anchored yet.", content: json(ref("AnchoringInProgress")) },
          "404": responses.notFound,
        },
      },
    },
    "/api/deployments": {
      get: {
        operationId: "getDeployments",
        summary: "The contracts this portal writes to, for verifiers to trust",
        description:
          "The deployments file's shape for the chain the portal uses: { \"<chainId>\": { deployedAt, contracts: { <name>: { address, blockNumber, txHash, codeHash } } } }. " +
          "A receipt can name any contract; trust its `chain.contract` only when it is the TrialRegistry listed here (`trialledger verify --portal`). 503 while the chain cannot be read.",
        responses: {
          "200": { description: "The deployments, keyed by chain id.", content: json({ type: "object" }) },
          "503": error("The portal cannot read its chain deployment right now."),
        },
      },
    },
    "/api/files/{digest}": {
      get: {
        operationId: "getFile",
        summary: "A file attached to a registered trial, by its SHA-256",
        parameters: [{ name: "digest", in: "path", required: true, schema: { type: "string", pattern: "^0x[0-9a-f]{64}$" } }],
        responses: {
          "200": { description: "The file's bytes; `x-content-sha256` repeats the digest.", content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } },
          "404": responses.notFound,
        },
      },
    },
    "/api/uploads": {
      post: {
        operationId: "uploadFile",
        summary: "Upload one file (sponsors) for an organisation, to attach it to one of its registrations by its digest",
        description:
          "Only the organisation the file is uploaded for can attach it; until then it is private, counts against the organisation's " +
          "quota of unattached uploads (`UPLOAD_QUOTA_MB`, 500 MB by default) and is removed after `UPLOAD_MAX_AGE_HOURS` (24).",
        security: [{ session: [] }],
        parameters: [{ name: "org", in: "query", required: true, description: "The organisation's id; you must be a member.", schema: { type: "string", maxLength: 64 } }],
        requestBody: { required: true, content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } },
        responses: {
          "200": { description: "Stored.", content: json({ type: "object", required: ["digest", "size"], properties: { digest: { type: "string" }, size: { type: "integer" } } }) },
          "401": error("Not signed in."),
          "403": responses.forbidden,
          "413": error("Larger than 50 MB, or past the organisation's quota of unattached uploads (the message says which)."),
          "415": error("The body is not `application/octet-stream`."),
          "422": error("No `org` in the query string."),
        },
      },
    },
    "/api/trials/{number}/versions/{version}/record": {
      get: {
        operationId: "getVersionRecord",
        summary: "One version's registration record, exactly as frozen",
        description:
          "The RFC 8785 canonical JSON whose SHA-256 is the version's digest (also sent as `x-content-sha256`). " +
          "Check it with the version's receipt on /verify or with `npx trialledger verify`.",
        parameters: [registrationNumber, { name: "version", in: "path", required: true, schema: { type: "integer", minimum: 1 } }],
        responses: {
          "200": { description: "The canonical record.", content: json(ref("TrialRecord")) },
          "404": responses.notFound,
        },
      },
    },
    ...consentPaths,
    ...datasetPaths,
    ...datasetReceiptPaths,
    ...datasetSearchPaths,
    ...ontologyPaths,
    ...visaPaths,
    ...accessPaths,
    ...accessRegisterPaths,
    ...exportPaths,
  },
  components: {
    securitySchemes: {
      session: { type: "apiKey", in: "cookie", name: "authjs.session-token", description: "The portal's session cookie, from signing in as a sponsor (`__Secure-authjs.session-token` over HTTPS)." },
    },
    schemas: {
      Error: {
        type: "object",
        required: ["error"],
        properties: {
          error: {
            type: "object",
            required: ["code", "status", "message"],
            properties: {
              code: { type: "string", enum: Object.keys(ERROR_STATUS) },
              status: { type: "integer", enum: Object.values(ERROR_STATUS) },
              message: { type: "string", description: "Written for people; never internals." },
              fieldErrors: { type: "object", additionalProperties: { type: "array", items: { type: "string" } }, description: "For 422: messages by field path." },
              retryAfter: { type: "integer", description: "For 429: seconds to wait." },
            },
          },
        },
      },
      Signature: {
        type: "object",
        description:
          "A signed act (21 CFR Part 11 §11.50, §11.200): the caller's password, re-entered, and the meaning of the signature, exactly as the portal words it — for a registration “I submit this registration of “<public title>” as sponsor on behalf of <organisation>.”, for an amendment “I submit this amendment of <registration number>, “<public title>”, as version <n>, as sponsor on behalf of <organisation>.” A wrong meaning is refused with the expected one in `fieldErrors[\"signature.meaning\"]`. The transparency log records who signed, when and the meaning.",
        required: ["password", "meaning"],
        additionalProperties: false,
        properties: { password: { type: "string", minLength: 1, maxLength: 256 }, meaning: { type: "string", minLength: 1, maxLength: 1000 } },
      },
      TrialSummary: {
        type: "object",
        required: ["registrationNumber", "publicTitle", "primarySponsor", "conditions", "phase", "recruitmentStatus", "countries", "currentVersion", "registeredAt"],
        properties: {
          registrationNumber: { type: "string" },
          publicTitle: { type: "string" },
          primarySponsor: { type: "string" },
          conditions: { type: "array", items: { type: "object", required: ["name"], properties: { name: { type: "string" }, code: { type: "string" } } } },
          phase: { type: "string", enum: [...PHASES] },
          recruitmentStatus: { type: "string", enum: [...RECRUITMENT_STATUSES] },
          countries: { type: "array", items: { type: "string" } },
          currentVersion: { type: "integer", minimum: 1 },
          registeredAt: { type: "string", format: "date-time" },
        },
      },
      TrialVersion: {
        type: "object",
        required: ["version", "digest", "previousDigest", "outcomeFlags", "createdAt", "chainStatus", "chainTxHash"],
        properties: {
          version: { type: "integer", minimum: 1 },
          digest: { type: "string", pattern: "^0x[0-9a-f]{64}$", description: "SHA-256 of the record's RFC 8785 canonical JSON." },
          previousDigest: { type: ["string", "null"], description: "The previous version's digest; null for version 1." },
          outcomeFlags: {
            type: "array",
            description: "Changes to primary and secondary outcomes against the previous version.",
            items: { type: "object", required: ["type", "outcomeId", "message"], properties: { type: { type: "string" }, outcomeId: { type: "string" }, message: { type: "string" } } },
          },
          createdAt: { type: "string", format: "date-time" },
          chainStatus: { type: "string", description: "The TrialRegistry contract write of this version.", enum: ["PENDING", "SENT", "CONFIRMED"] },
          chainTxHash: { type: ["string", "null"] },
        },
      },
      Trial: {
        type: "object",
        required: ["registrationNumber", "registeredAt", "currentVersion", "record", "versions"],
        properties: {
          registrationNumber: { type: "string" },
          registeredAt: { type: "string", format: "date-time" },
          currentVersion: { type: "integer", minimum: 1 },
          record: ref("TrialRecord"),
          versions: { type: "array", items: ref("TrialVersion"), description: "Oldest first." },
        },
      },
      TrialRecord: {
        ...jsonSchemaOf(trialRecordInput),
        description: "The WHO Trial Registration Data Set (1.3.1) as TrialLedger stores it; see lib/registry/schema.ts for each field's bounds and reasons.",
      },
      Receipt: {
        ...jsonSchemaOf(receiptSchema),
        description: "A TrialLedger receipt, version 2 (the one the portal issues; version 1 receipts issued earlier still verify): see docs/receipt-format.md for each field and how to verify it without trusting the portal.",
      },
      AnchoringInProgress: {
        type: "object",
        required: ["state", "since"],
        properties: {
          state: { type: "string", enum: ["pending", "sent"], description: "pending: waiting for a batch (or for the chain); sent: the batch's transaction awaits its confirmations." },
          since: { type: "string", format: "date-time" },
          lastError: {
            type: "string",
            description:
              "pending: why the last attempt failed, while the chain is unreachable; sent: why the batch is waiting again, e.g. its block was reorganised away " +
              "(a receipt issued before is void; the next one names the new block).",
          },
          transaction: { type: "string", description: "sent only: the anchoring transaction." },
        },
      },
      ...consentSchemas,
      ...datasetSchemas,
      ...searchSchemas,
      ...ontologySchemas,
      ...visaSchemas,
      ...accessSchemas,
      ...accessRegisterSchemas,
    },
  },
} as const;
