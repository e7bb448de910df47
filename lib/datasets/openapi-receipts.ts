import { error, json, ref } from "@/lib/openapi";
import { DATASET_NUMBER } from "@/lib/schema/values";

/**
 * The OpenAPI paths of the dataset receipt routes (app/api/datasets/[number]/releases/[release]/…),
 * merged into /api/openapi.json by lib/registry/openapi.ts. The receipt schema is the trials API's
 * `Receipt` (version 2), generated from lib/anchoring/receipt.ts.
 */

export const datasetNumberParam = {
  name: "number",
  in: "path",
  required: true,
  description: "The dataset number, like TLR-2026-00042.D1 (its trial's registration number and .D and a sequence; letter case is ignored).",
  schema: { type: "string", pattern: DATASET_NUMBER.source },
};

const releaseParam = { name: "release", in: "path", required: true, description: "The release number, 1 for the first.", schema: { type: "integer", minimum: 1 } };
const digestParam = { name: "digest", in: "path", required: true, description: "The file's SHA-256.", schema: { type: "string", pattern: "^0x[0-9a-fA-F]{64}$" } };
const notFound = error("No such dataset, published release or file; also for a malformed number, or a release still a draft.");
const receiptResponses = {
  "200": { description: "The receipt (docs/receipt-format.md).", content: json(ref("Receipt")) },
  "202": { description: "Published, not anchored yet: poll again later.", content: json(ref("AnchoringInProgress")) },
  "404": notFound,
};

export const datasetReceiptPaths = {
  "/api/datasets/{number}/releases/{release}/receipt": {
    get: {
      operationId: "getReleaseReceipt",
      summary: "The anchoring receipt of a published release's manifest",
      description:
        'The receipt proves the manifest\'s digest (subject kind "dataset-manifest"); the manifest lists every file\'s digest and size, so one receipt covers the release. ' +
        "200 once the Merkle root is anchored and confirmed; 202 until then.",
      parameters: [datasetNumberParam, releaseParam],
      responses: receiptResponses,
    },
  },
  "/api/datasets/{number}/releases/{release}/manifest": {
    get: {
      operationId: "getReleaseManifest",
      summary: "A published release's manifest, exactly as frozen",
      description:
        "The RFC 8785 canonical JSON whose SHA-256 is the release's manifest digest (also sent as `x-content-sha256`): metadata, data dictionary, DUO conditions, " +
        "every file's name, digest, size and format, and the previous release's manifest digest. Check it with `npx trialledger verify manifest.json receipt.json --files DIR`.",
      parameters: [datasetNumberParam, releaseParam],
      responses: {
        "200": {
          description: "The manifest (docs/receipt-format.md, “Dataset manifests”).",
          content: json({
            type: "object",
            required: ["version", "kind", "dataset", "trial", "release", "metadata", "dictionary", "conditions", "files", "previousDigest"],
            properties: {
              version: { const: 1 },
              kind: { const: "trialledger.dataset-release" },
              release: { type: "integer", minimum: 1 },
              files: {
                type: "array",
                description: "Sorted by name.",
                items: { type: "object", required: ["name", "digest", "size", "format"], properties: { name: { type: "string" }, digest: { type: "string" }, size: { type: "integer" }, format: { type: "string" } } },
              },
              previousDigest: { type: ["string", "null"] },
            },
          }),
        },
        "404": notFound,
      },
    },
  },
  "/api/datasets/{number}/releases/{release}/files/{digest}/receipt": {
    get: {
      operationId: "getReleaseFileReceipt",
      summary: "The anchoring receipt of one file of a published release",
      description: 'Subject kind "dataset-file". 200 once anchored and confirmed; 202 until then.',
      parameters: [datasetNumberParam, releaseParam, digestParam],
      responses: receiptResponses,
    },
  },
} as const;
