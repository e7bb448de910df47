import { REQUEST_STATES } from "@/lib/access/register";
import { REGISTER_REQUEST_LIMIT } from "@/lib/access/register/schema";
import { error, json, ref } from "@/lib/openapi";

/**
 * The OpenAPI description of GET /api/access/register (app/api/access/register/route.ts), merged
 * into /api/openapi.json by lib/registry/openapi.ts. The response mirrors lib/access/register.ts
 * `Register` and lib/access/register/data.ts `AccessRegister`.
 */

const date = { type: "string", format: "date-time" };
const release = { type: "string", pattern: "^TLR-\\d{4}-\\d{5}\\.D\\d+/\\d+$", description: "A dataset release, <dataset number>/<release>." };
const logIndex = { type: "integer", minimum: 0, description: "The entry's index in the transparency log: GET /api/log/entries/{index} gives it with its inclusion receipt." };

export const accessRegisterPaths = {
  "/api/access/register": {
    get: {
      operationId: "getAccessRegister",
      summary: "The public access register and its metrics, folded from the transparency log",
      description:
        "Computed only from the log's public `access.*` entries (as GET /api/log/entries serves them), so anyone can recompute it; docs/access.md says how. " +
        `Over the latest ${REGISTER_REQUEST_LIMIT.toLocaleString("en")} requests (by their first entry), each folded from its whole history; \`window.truncated\` says when there are more. ` +
        "Only entries the sequencer has integrated count. Entries that do not fit a request's history are listed in `anomalies`, not applied.",
      parameters: [
        {
          name: "dataset",
          in: "query",
          description: "Only requests for releases of this dataset, like TLR-2026-00042.D1 (letter case ignored; blank means all).",
          schema: { type: "string", maxLength: 40 },
        },
        {
          name: "trial",
          in: "query",
          description: "Only requests for releases of this trial's datasets, like TLR-2026-00042 (letter case ignored; blank means all).",
          schema: { type: "string", maxLength: 32 },
        },
      ],
      responses: {
        "200": { description: "The register.", content: json(ref("AccessRegister")) },
        "422": error("The dataset is not a dataset number, or the trial not a registration number."),
      },
    },
  },
};

export const accessRegisterSchemas = {
  AccessRegister: {
    type: "object",
    required: ["asOf", "dataset", "trial", "approved", "revocations", "denied", "metrics", "anomalies", "window"],
    properties: {
      asOf: date,
      dataset: { type: ["string", "null"] },
      trial: { type: ["string", "null"] },
      approved: {
        type: "array",
        description: "Approved requests, newest approval first.",
        items: {
          type: "object",
          required: ["request", "researcher", "institution", "title", "laySummary", "releases", "purpose", "recordedPurpose", "withConditions", "approvedAt", "start", "end", "period", "analysisPlanDigest", "decidedVia", "logIndex", "revocations"],
          properties: {
            request: { type: "string", pattern: "^DAR-\\d{4}-\\d{5,}$" },
            researcher: { type: "object", required: ["id", "name"], properties: { id: { type: "string" }, name: { type: "string" } } },
            institution: { type: "object", required: ["name", "notForProfit"], properties: { name: { type: "string" }, notForProfit: { type: "boolean" } } },
            title: { type: "string" },
            laySummary: { type: "string" },
            releases: { type: "array", items: release },
            purpose: {
              description: "The purpose in words; null when the recorded purpose is not one this portal can read.",
              oneOf: [
                { type: "null" },
                {
                  type: "object",
                  required: ["category", "diseases", "flags", "text"],
                  properties: {
                    category: { type: "object", properties: { code: { type: "string", enum: ["GRU", "HMB", "DS", "POA"] }, id: { type: "string" }, label: { type: "string" } } },
                    diseases: { type: "array", items: { type: "object", properties: { id: { type: "string" }, label: { type: ["string", "null"] } } } },
                    flags: { type: "array", items: { type: "string" }, description: "The DUOS purpose flags answered yes, in words." },
                    text: { type: "string" },
                  },
                },
              ],
            },
            recordedPurpose: { type: "object", description: "The purpose exactly as in the approval's entry (lib/duo/purpose.ts)." },
            withConditions: { type: ["string", "null"] },
            approvedAt: date,
            start: date,
            end: date,
            period: { type: "string", enum: ["not-started", "active", "ended"], description: "Where the approved period stands at `asOf`." },
            analysisPlanDigest: { type: "string", description: "SHA-256 of the approved analysis plan, anchored on chain." },
            decidedVia: { type: "string", enum: ["manual", "auto"] },
            logIndex,
            revocations: { type: "integer", minimum: 0 },
          },
        },
      },
      revocations: {
        type: "array",
        description: "Revoked grants, newest first.",
        items: { type: "object", required: ["request", "release", "grant", "at", "logIndex"], properties: { request: { type: "string" }, release, grant: { type: "string" }, at: date, logIndex } },
      },
      denied: {
        type: "array",
        description: "Per dataset, the number of denied requests that named one of its releases (who asked is not public).",
        items: { type: "object", required: ["dataset", "requests"], properties: { dataset: { type: "string" }, requests: { type: "integer", minimum: 1 } } },
      },
      metrics: {
        type: "object",
        required: ["submitted", "byState", "decided", "medianDaysToDecision", "approvalRate"],
        properties: {
          submitted: { type: "integer", description: "Requests submitted; the states add up to this." },
          byState: {
            type: "object",
            required: [...REQUEST_STATES],
            description: "submitted: no committee act yet; in-review: a committee member voted, noted or wrote; the rest as named.",
            properties: Object.fromEntries(REQUEST_STATES.map((s) => [s, { type: "integer", minimum: 0 }])),
          },
          decided: { type: "integer", description: "Approved plus denied." },
          medianDaysToDecision: { type: ["number", "null"], description: "From the first submission to the approval or denial, in days (one decimal)." },
          approvalRate: { type: ["number", "null"], minimum: 0, maximum: 1, description: "Approved ÷ decided." },
        },
      },
      anomalies: {
        type: "array",
        items: { type: "object", required: ["logIndex", "kind", "reason"], properties: { logIndex, kind: { type: "string" }, reason: { type: "string" } } },
      },
      window: {
        type: "object",
        required: ["limit", "requests", "truncated"],
        properties: { limit: { type: "integer" }, requests: { type: "integer" }, truncated: { type: "boolean" } },
      },
    },
  },
};
