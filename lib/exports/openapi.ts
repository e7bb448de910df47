import { error, json } from "@/lib/openapi";

/**
 * The export API in /api/openapi.json (lib/registry/openapi.ts merges it): building an export of an
 * approved request, its signed manifest, download links and downloads, the inclusion list for
 * participants' devices and the researcher's Crypt4GH key. lib/exports/openapi.test.ts fails when a
 * route under app/api/exports, app/api/account or an exports route of a request has no operation here.
 */

const requestParam = { name: "number", in: "path", required: true, description: "The access request's number, like DAR-2026-00042.", schema: { type: "string", pattern: "^DAR-\\d{4}-\\d{5,}$" } };
const exportParam = { name: "number", in: "path", required: true, description: "The export's number, like DAR-2026-00042.X1.", schema: { type: "string", pattern: "^DAR-\\d{4}-\\d{5,}\\.X[1-9]\\d{0,8}$" } };
const fileParam = { name: "fileId", in: "path", required: true, description: "The file's id, from the export.", schema: { type: "string" } };
const session = [{ session: [] }];
const unauthenticated = error("No session: sign in first.");
const notFound = error("No such export or request that the caller's team holds: the same answer as for none.");
const object = { type: "object", additionalProperties: true };
const signedManifest = {
  type: "object",
  required: ["manifest", "signature"],
  properties: { manifest: object, signature: { type: "string", description: "Compact JWS (ES256, typ trialledger-export-manifest+jws) over the manifest's RFC 8785 canonical JSON; keys at /.well-known/jwks.json." } },
};
const exportView = { type: "object", additionalProperties: true, properties: { number: { type: "string" }, status: { enum: ["building", "ready", "failed"] }, manifest: signedManifest } };
const keyBody = { type: "object", required: ["publicKey"], additionalProperties: false, properties: { publicKey: { type: "string", maxLength: 400, description: "The .pub file crypt4gh-keygen writes (or its base64 line)." } } };
const keyAnswer = { type: "object", properties: { publicKey: { type: ["string", "null"] } } };

export const exportPaths = {
  "/api/access/requests/{number}/exports": {
    get: {
      operationId: "listExports",
      summary: "The exports of a request, for its team",
      security: session,
      parameters: [requestParam],
      responses: { "200": { description: "Exports, oldest first.", content: json({ type: "array", items: exportView }) }, "401": unauthenticated, "404": notFound },
    },
    post: {
      operationId: "createExport",
      summary: "Export one of the request's releases: only the rows the participants' current consent allows, re-keyed for the request",
      description: "The caller must hold an active grant to the release. The files go to the blob store (Crypt4GH-encrypted when the caller registered a key); the manifest is signed, logged and anchored.",
      security: session,
      parameters: [requestParam],
      requestBody: { required: true, content: json({ type: "object", required: ["release"], additionalProperties: false, properties: { release: { type: "string", pattern: "^TLR-\\d{4}-\\d{5,}\\.D[1-9]\\d*/[1-9]\\d*$" } } }) },
      responses: {
        "201": { description: "The export, ready, with its signed manifest.", content: json(exportView) },
        "401": unauthenticated,
        "403": error("No active grant to the release (revoked, expired or not started)."),
        "404": notFound,
        "409": error("The request is not approved."),
        "422": error("`release` is not a release of the request."),
        "503": error("The chain cannot be reached, so the consent state cannot be stated."),
      },
    },
  },
  "/api/exports/{number}": {
    get: {
      operationId: "getExport",
      summary: "One export with its files and signed manifest (check it with `npx trialledger verify-export`)",
      security: session,
      parameters: [exportParam],
      responses: { "200": { description: "The export.", content: json(exportView) }, "401": unauthenticated, "404": notFound },
    },
  },
  "/api/exports/{number}/files/{fileId}/link": {
    post: {
      operationId: "createExportDownloadLink",
      summary: "A download link to one file, valid 10 minutes, bound to the file and the caller",
      security: session,
      parameters: [exportParam, fileParam],
      requestBody: { required: true, content: json({ type: "object", additionalProperties: false }) },
      responses: {
        "200": { description: "The link.", content: json({ type: "object", properties: { token: { type: "string" }, url: { type: "string" }, expiresAt: { type: "string", format: "date-time" } } }) },
        "403": error("No active grant to the export's release."),
        "404": notFound,
      },
    },
  },
  "/api/exports/download/{token}": {
    get: {
      operationId: "downloadExportFile",
      summary: "The file a download link names (the token is the authority; the grant is re-checked on every request; the download is logged)",
      parameters: [{ name: "token", in: "path", required: true, schema: { type: "string" } }],
      responses: {
        "200": { description: "The file (plaintext, or Crypt4GH v1 named <name>.c4gh).", content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } },
        "403": error("The grant is no longer active (revoked or expired)."),
        "404": error("Not a download link."),
        "410": error("The link has expired: make a new one."),
      },
    },
  },
  "/api/exports/{number}/inclusion": {
    get: {
      operationId: "getExportInclusion",
      summary: "The export's inclusion tags, for participants' devices to check locally (HMAC-SHA256 keyed by the export id)",
      parameters: [exportParam],
      responses: {
        "200": { description: "The tags, sorted.", content: json({ type: "object", properties: { export: { type: "string" }, exportId: { type: "string" }, tags: { type: "array", items: { type: "string" } } } }) },
        "404": error("No ready export with that number."),
      },
    },
  },
  "/api/account/crypt4gh-key": {
    get: { operationId: "getCrypt4ghKey", summary: "The caller's registered Crypt4GH public key", security: session, responses: { "200": { description: "The key, or null.", content: json(keyAnswer) }, "401": unauthenticated } },
    put: {
      operationId: "setCrypt4ghKey",
      summary: "Register the caller's Crypt4GH public key: later exports are encrypted to it",
      security: session,
      requestBody: { required: true, content: json(keyBody) },
      responses: { "200": { description: "Registered.", content: json(keyAnswer) }, "401": unauthenticated, "422": error("`publicKey` is not a Crypt4GH public key.") },
    },
    delete: {
      operationId: "removeCrypt4ghKey",
      summary: "Remove the caller's Crypt4GH key: later exports are delivered unencrypted over the links",
      security: session,
      requestBody: { required: true, content: json({ type: "object", additionalProperties: false }) },
      responses: { "200": { description: "Removed.", content: json(keyAnswer) }, "401": unauthenticated },
    },
  },
};
