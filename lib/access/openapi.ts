import { decisionInput, requestDraft, requestForm } from "@/lib/access/schema";
import { error, json, jsonSchemaOf, ref } from "@/lib/openapi";

/**
 * The access-request API in /api/openapi.json (lib/registry/openapi.ts merges it): the
 * researcher's requests and documents, the committee's queues and decisions. Request bodies are
 * generated from the zod schemas the routes validate with; lib/access/openapi.test.ts fails when a
 * route under app/api/access, app/api/committee or app/api/uploads/access has no operation here.
 */

const numberParam = {
  name: "number",
  in: "path",
  required: true,
  description: "The access request's number, like DAR-2026-00042.",
  schema: { type: "string", pattern: "^DAR-\\d{4}-\\d{5,}$" },
};
const kindParam = { name: "kind", in: "path", required: true, description: "sap (statistical analysis plan), irb (ethics approval), collaboration (letter).", schema: { type: "string", enum: ["sap", "irb", "collaboration"] } };
const session = [{ session: [] }];
const unauthenticated = error("No session: sign in first.");
const notFound = error("No request with that number that the caller may see (another researcher's, or another organisation's committee): the same answer as for none.");
const object = { type: "object", additionalProperties: true };

export const accessPaths = {
  "/api/access/requests": {
    get: {
      operationId: "listAccessRequests",
      summary: "The caller's access requests (made or on the team of)",
      security: session,
      responses: { "200": { description: "The requests, newest first.", content: json(object) }, "401": unauthenticated, "403": error("Not a researcher's account.") },
    },
    post: {
      operationId: "createAccessRequest",
      summary: "Start a draft request for published releases of one sponsor",
      security: session,
      requestBody: {
        required: true,
        content: json({ type: "object", required: ["releases"], properties: { releases: { type: "array", items: { type: "string", pattern: "^TLR-\\d{4}-\\d{5,}\\.D[1-9]\\d*/[1-9]\\d*$" }, minItems: 1, maxItems: 50 } } }),
      },
      responses: { "201": { description: "The draft's number.", content: json({ type: "object", properties: { number: { type: "string" } } }) }, "401": unauthenticated, "422": error("An unknown release, or releases of several sponsors.") },
    },
  },
  "/api/access/requests/{number}": {
    get: {
      operationId: "getAccessRequest",
      summary: "One request, for its team: form, releases, team, documents, explained match, conversation, decision, grants",
      security: session,
      parameters: [numberParam],
      responses: { "200": { description: "The request.", content: json(object) }, "401": unauthenticated, "404": notFound },
    },
    patch: {
      operationId: "saveAccessRequest",
      summary: "Save fields of the draft (each given field validated; the others kept)",
      security: session,
      parameters: [numberParam],
      requestBody: { required: true, content: json(ref("AccessRequestDraft")) },
      responses: { "200": { description: "Saved.", content: json({ type: "object", properties: { savedAt: { type: "string", format: "date-time" } } }) }, "404": notFound, "409": error("Submitted: no longer editable."), "422": error("A field is not valid (named).") },
    },
  },
  "/api/access/requests/{number}/submit": {
    post: {
      operationId: "submitAccessRequest",
      summary: "Submit (or resubmit after a return) to the sponsor's data-access committee",
      security: session,
      parameters: [numberParam],
      requestBody: { required: true, content: json({ type: "object", additionalProperties: false }) },
      responses: {
        "200": { description: "Submitted.", content: json({ type: "object", properties: { state: { const: "SUBMITTED" }, revision: { type: "integer" } } }) },
        "404": notFound,
        "409": error("Not a draft or returned request."),
        "422": error("What is missing: the form (fields named), a member's acceptance of the data use agreement, a document a condition requires."),
      },
    },
  },
  "/api/uploads/access/{number}/{kind}": {
    post: {
      operationId: "uploadAccessDocument",
      summary: "Upload a document of the request (the applicant; draft or returned)",
      description: "The body is the file (application/octet-stream, at most 50 MB), its name percent-encoded in the X-File-Name header. Replaces the earlier document of that kind.",
      security: session,
      parameters: [numberParam, kindParam, { name: "X-File-Name", in: "header", required: true, schema: { type: "string" } }],
      requestBody: { required: true, content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } },
      responses: { "201": { description: "Stored.", content: json({ type: "object", properties: { kind: { type: "string" }, name: { type: "string" }, digest: { type: "string" }, size: { type: "integer" } } }) }, "404": notFound, "413": error("Larger than 50 MB."), "415": error("Not application/octet-stream.") },
    },
    get: {
      operationId: "getAccessDocument",
      summary: "Download a document of the request (the team; the deciding committee once submitted)",
      security: session,
      parameters: [numberParam, kindParam],
      responses: { "200": { description: "The file; its SHA-256 in x-content-sha256.", content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } }, "404": notFound },
    },
    delete: {
      operationId: "removeAccessDocument",
      summary: "Remove a document (the applicant; draft or returned)",
      security: session,
      parameters: [numberParam, kindParam],
      responses: { "200": { description: "Removed.", content: json(object) }, "404": notFound, "409": error("Submitted: documents can no longer change.") },
    },
  },
  "/api/committee/requests": {
    get: {
      operationId: "listCommitteeQueues",
      summary: "The caller's committee queues: new, in review, waiting for the researcher, decided",
      security: session,
      responses: { "200": { description: "Per organisation, the queues with days since submission against the target.", content: json(object) }, "401": unauthenticated, "403": error("No committee seat.") },
    },
  },
  "/api/committee/requests/{number}": {
    get: {
      operationId: "getCommitteeRequest",
      summary: "A submitted request for the deciding committee: with notes, votes, the rule, the TS cap and the meanings a decision signs",
      security: session,
      parameters: [numberParam],
      responses: { "200": { description: "The request.", content: json(object) }, "404": notFound },
    },
  },
  "/api/committee/requests/{number}/decision": {
    post: {
      operationId: "decideAccessRequest",
      summary: "Decide: approve (end date), approve with conditions, return for revision, or deny (a reason is required) — a signed act",
      description: "`signature.meaning` must be exactly the sentence GET /api/committee/requests/{number} gives for the decision in `decisionMeanings`; `signature.password` is the caller's password.",
      security: session,
      parameters: [numberParam],
      requestBody: { required: true, content: json(ref("AccessDecision")) },
      responses: {
        "200": { description: "Decided.", content: json({ type: "object", properties: { state: { type: "string" }, grants: { type: "integer" } } }) },
        "404": notFound,
        "409": error("The organisation's rule is not met yet (majority), or the request was decided meanwhile."),
        "422": error("A field is not valid: no reason, an end past the TS cap, a wrong password or meaning."),
      },
    },
  },
};

export const accessSchemas = {
  AccessRequestForm: jsonSchemaOf(requestForm),
  AccessRequestDraft: jsonSchemaOf(requestDraft),
  AccessDecision: jsonSchemaOf(decisionInput),
};
