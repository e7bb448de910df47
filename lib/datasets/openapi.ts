import { dataDictionary } from "@/lib/datasets/dictionary";
import { releaseMetadata } from "@/lib/datasets/schema";
import { dataUseConditions } from "@/lib/duo/conditions";
import { error, json, jsonSchemaOf, ref } from "@/lib/openapi";

/**
 * The OpenAPI description of the datasets API (app/api/datasets/**), merged into /api/openapi.json
 * by lib/registry/openapi.ts. The release's metadata, dictionary and DUO conditions are generated
 * from the zod schemas the portal validates them with; lib/datasets/openapi.test.ts fails when a
 * route under app/api/datasets has no path here.
 */

export const datasetNumberParam = {
  name: "number",
  in: "path",
  required: true,
  description: "The dataset number: its trial's registration number and .D<n>, like TLR-2026-00042.D1 (letter case is ignored).",
  schema: { type: "string", pattern: "^TLR-\\d{4}-\\d{5,}\\.D[1-9]\\d{0,8}$" },
};
export const releaseParam = { name: "release", in: "path", required: true, description: "The release number (1, 2, …).", schema: { type: "integer", minimum: 1 } };

const notFound = error("No published dataset (or release) with that number; also for a malformed number and for drafts.");

export const datasetPaths = {
  "/api/datasets/{number}": {
    get: {
      operationId: "getDataset",
      summary: "A dataset and its published releases",
      parameters: [datasetNumberParam],
      responses: { "200": { description: "The dataset.", content: json(ref("Dataset")) }, "404": notFound },
    },
  },
  "/api/datasets/{number}/releases/{release}": {
    get: {
      operationId: "getDatasetRelease",
      summary: "One published release: metadata, DUO conditions, dictionary and its files' metadata",
      parameters: [datasetNumberParam, releaseParam],
      responses: { "200": { description: "The release.", content: json(ref("DatasetRelease")) }, "404": notFound },
    },
  },
  "/api/datasets/{number}/releases/{release}/dictionary": {
    get: {
      operationId: "getDatasetDictionary",
      summary: "The release's data dictionary, as JSON or CSV",
      parameters: [datasetNumberParam, releaseParam, { name: "format", in: "query", schema: { type: "string", enum: ["json", "csv"], default: "json" } }],
      responses: {
        "200": { description: "The dictionary.", content: { ...json(ref("DataDictionary")), "text/csv": { schema: { type: "string" } } } },
        "404": notFound,
        "422": error("The format is neither json nor csv."),
      },
    },
  },
};

const file = {
  type: "object",
  required: ["name", "format", "mediaType", "size", "rows", "digest", "anchored"],
  properties: {
    name: { type: "string" },
    format: { type: "string", enum: ["csv", "tsv", "ndjson", "other"] },
    mediaType: { type: "string" },
    size: { type: "integer", description: "Bytes." },
    rows: { type: ["integer", "null"], description: "Data rows of a tabular file." },
    digest: { type: "string", pattern: "^0x[0-9a-f]{64}$", description: "SHA-256 of the file's bytes (anchored)." },
    anchored: { type: "boolean", description: "Whether the file's digest is queued for (or has) an anchoring receipt." },
  },
};

const release = {
  type: "object",
  required: ["number", "publishedAt", "manifestDigest", "previousDigest", "metadata", "dictionary", "conditions", "files"],
  properties: {
    number: { type: "integer", minimum: 1 },
    publishedAt: { type: "string", format: "date-time" },
    manifestDigest: { type: "string", pattern: "^0x[0-9a-f]{64}$", description: "SHA-256 of the release's canonical manifest (anchored)." },
    previousDigest: { type: ["string", "null"], description: "The previous release's manifest digest." },
    metadata: ref("ReleaseMetadata"),
    dictionary: ref("DataDictionary"),
    conditions: ref("DataUseConditions"),
    files: { type: "array", items: file },
  },
};

export const datasetSchemas = {
  ReleaseMetadata: jsonSchemaOf(releaseMetadata),
  DataDictionary: jsonSchemaOf(dataDictionary),
  DataUseConditions: jsonSchemaOf(dataUseConditions),
  DatasetRelease: release,
  Dataset: {
    type: "object",
    required: ["number", "title", "trial", "sponsor", "createdAt", "releases"],
    properties: {
      number: { type: "string" },
      title: { type: "string" },
      trial: { type: "string", description: "The trial's registration number." },
      sponsor: { type: "string" },
      createdAt: { type: "string", format: "date-time" },
      releases: { type: "array", items: release },
    },
  },
};
