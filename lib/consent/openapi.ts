import { CONSENT_TREE_DEPTH } from "@/lib/consent/artifacts";
import { DUO_IDS } from "@/lib/consent/duo";
import { decisionInput, enrolmentCheckInput, enrolmentRedeemInput, handoverAnswerInput } from "@/lib/consent/schema";
import { error, json, jsonSchemaOf, ref, registrationNumberParam } from "@/lib/openapi";

/**
 * The consent API (app/api/consent/**) in the portal's OpenAPI document (lib/registry/openapi.ts
 * merges it). Request bodies are generated from the zod schemas the routes validate with
 * (lib/consent/schema.ts), so they cannot drift from what is accepted; responses are written out.
 * docs/consent.md is the protocol around it: the message layout, the scope, the depth, the tally.
 * lib/consent/openapi.test.ts fails when a route under app/api/consent has no operation here.
 */

const decimal = { type: "string", pattern: "^\\d{1,78}$" };
const hex32 = { type: "string", pattern: "^0x[0-9a-f]{64}$" };
const address = { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" };

const responses = {
  notFound: error("No trial has that registration number."),
  validation: error("The input is invalid: `fieldErrors` maps each field (like `proof.merkleTreeDepth`) to its messages; or a proof fails a check, said in `message`."),
  unavailable: error("The chain is unreachable; consent needs it. Try again shortly."),
  gone: error("The code is unknown or already spent (also for the losers of a race on one code)."),
  badJson: error("The body is not valid JSON."),
};

const body = (schema: Parameters<typeof jsonSchemaOf>[0]) => ({ required: true, content: json(jsonSchemaOf(schema)) });

/** The chain facts a device needs to derive its identity and the scope. */
const deploymentProperties = {
  chainId: { type: "integer", description: "EIP-155 chain id." },
  consentRegistry: { ...address, description: "The ConsentRegistry contract." },
  chainTrialId: { ...hex32, description: "The trial's id on chain: SHA-256 of the registration number's UTF-8 bytes." },
  scope: {
    ...decimal,
    description: "The Semaphore scope every proof for this trial carries: uint256(keccak256(abi.encode(uint256 chainId, address consentRegistry, bytes32 chainTrialId))).",
  },
};
const deploymentRequired = ["chainId", "consentRegistry", "chainTrialId", "scope"];

const anonymityProperties = {
  groupSize: { type: "integer", minimum: 0, description: "Members of the trial's group on chain: the anonymity set of a proof over the current root." },
  minGroupSize: { type: "integer", minimum: 1, description: "Decisions are accepted only over a root of at least this many members (CONSENT_MIN_GROUP_SIZE)." },
  acceptingDecisions: { type: "boolean", description: "groupSize ≥ minGroupSize." },
};
const anonymityRequired = ["groupSize", "minGroupSize", "acceptingDecisions"];

export const consentPaths = {
  "/api/consent/enrolment/check": {
    post: {
      operationId: "checkEnrolmentCode",
      summary: "The trial an enrolment code enrols into; spends nothing",
      description: "Case, spaces and dashes in the code are ignored, and I/L read as 1, O as 0 (Crockford base 32).",
      requestBody: body(enrolmentCheckInput),
      responses: {
        "200": { description: "The trial and its chain facts.", content: json(ref("ConsentCodeCheck")) },
        "400": responses.badJson,
        "410": responses.gone,
        "422": responses.validation,
        "503": responses.unavailable,
      },
    },
  },
  "/api/consent/enrolment": {
    post: {
      operationId: "redeemEnrolmentCode",
      summary: "Spend a code and queue the device's identity commitment for the trial's group",
      description:
        "One transaction: the code is deleted and the commitment queued; the relay adds it to the Semaphore group on chain in a batch, " +
        "seconds later (or once the chain is back). Poll `/api/consent/trials/{number}/group` until `members` holds the commitment.",
      requestBody: body(enrolmentRedeemInput),
      responses: {
        "200": { description: "Queued.", content: json({ type: "object", required: ["status"], properties: { status: { const: "queued" } } }) },
        "400": responses.badJson,
        "409": error("This commitment is already a member of the trial; the code was not spent."),
        "410": responses.gone,
        "422": responses.validation,
      },
    },
  },
  "/api/consent/trials": {
    get: {
      operationId: "listConsentTrials",
      summary: "Every trial participants can enrol in, with its chain facts",
      responses: {
        "200": {
          description: "Trials with consent items, by registration number.",
          content: json({ type: "object", required: ["trials"], properties: { trials: { type: "array", items: ref("ConsentCodeCheck") } } }),
        },
        "503": responses.unavailable,
      },
    },
  },
  "/api/consent/trials/{number}": {
    get: {
      operationId: "getConsentOverview",
      summary: "A trial's consent items (every version), its group's size and the tally",
      parameters: [registrationNumberParam],
      responses: { "200": { description: "The overview.", content: json(ref("ConsentOverview")) }, "404": responses.notFound },
    },
  },
  "/api/consent/trials/{number}/group": {
    get: {
      operationId: "getConsentGroup",
      summary: "What a device proves membership of: the group's commitments in leaf order, its root and the chain facts",
      parameters: [registrationNumberParam],
      responses: { "200": { description: "The group.", content: json(ref("ConsentGroup")) }, "404": responses.notFound, "503": responses.unavailable },
    },
  },
  "/api/consent/trials/{number}/events": {
    get: {
      operationId: "listConsentEvents",
      summary: "Every decision of the trial with its proof and its state on chain, in arrival order",
      description: "Decisions relayed by the portal and decisions anyone sent straight to ConsentRegistry (read from its ConsentRecorded events) alike.",
      parameters: [registrationNumberParam],
      responses: {
        "200": { description: "The decisions.", content: json({ type: "object", required: ["events"], properties: { events: { type: "array", items: ref("ConsentEvent") } } }) },
        "404": responses.notFound,
      },
    },
  },
  "/api/consent/trials/{number}/decisions": {
    post: {
      operationId: "submitConsentDecision",
      summary: "A participant's decision, as a Semaphore proof whose message is the packed decision",
      description:
        `Checked in this order: the body's shape (depth ${CONSENT_TREE_DEPTH}), the trial's scope, a root the trial's group has had (and not expired), ` +
        "a root of at least `minGroupSize` members, the SNARK, then the message (a consent-text version that exists, only that version's items granted). " +
        "Recorded and queued for the chain in one transaction: it counts from this answer on. docs/consent.md gives the message layout.",
      parameters: [registrationNumberParam],
      requestBody: body(decisionInput),
      responses: {
        "200": {
          description: "Accepted; the relay records it on chain seconds later.",
          content: json({ type: "object", required: ["position", "status"], properties: { position: { type: "integer" }, status: { const: "PENDING" } } }),
        },
        "400": responses.badJson,
        "404": responses.notFound,
        "409": error("A decision with this or a higher sequence number is already recorded for this pseudonym."),
        "422": responses.validation,
        "503": responses.unavailable,
      },
    },
  },
  "/api/consent/handover": {
    post: {
      operationId: "answerPseudonymChallenge",
      summary: "Answer a sponsor's one-time challenge with a proof in the trial's scope: the proven nullifier is the participant's pseudonym",
      description: "The proof's message is the 128-bit challenge (32 hex digits) with bit 255 set: challengeMessage() in lib/consent/message.ts.",
      requestBody: body(handoverAnswerInput),
      responses: {
        "200": { description: "Verified.", content: json({ type: "object", required: ["pseudonym"], properties: { pseudonym: decimal } }) },
        "400": responses.badJson,
        "410": error("The challenge is unknown, expired (15 minutes) or already answered."),
        "422": responses.validation,
        "503": responses.unavailable,
      },
    },
  },
  "/api/consent/handover/{id}": {
    get: {
      operationId: "getPseudonymChallenge",
      summary: "(Sponsors) the state of a challenge the signed-in member issued",
      security: [{ session: [] }],
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
      responses: {
        "200": {
          description: "The challenge.",
          content: json({
            type: "object",
            required: ["registrationNumber", "challenge", "expiresAt", "expired", "pseudonym", "verifiedAt"],
            properties: {
              registrationNumber: { type: "string" },
              challenge: { type: "string", pattern: "^[0-9a-f]{32}$" },
              expiresAt: { type: "string", format: "date-time" },
              expired: { type: "boolean" },
              pseudonym: { type: ["string", "null"], description: "The verified nullifier, once answered." },
              verifiedAt: { type: ["string", "null"], format: "date-time" },
            },
          }),
        },
        "401": error("Not signed in."),
        "403": error("Not a sponsor, or no longer a member of the trial's organisation."),
        "404": error("No challenge with that id issued by this member."),
      },
    },
  },
};

const consentItem = {
  type: "object",
  required: ["number", "text", "ifGranted", "ifWithheld"],
  properties: {
    number: { type: "integer", minimum: 0, maximum: 63, description: "The item's bit in a decision's grants; kept across versions, never reused." },
    text: { type: "string" },
    ifGranted: { type: "array", items: { type: "string", enum: [...DUO_IDS] }, description: "GA4GH DUO terms that apply when the item is granted." },
    ifWithheld: { type: "array", items: { type: "string", enum: [...DUO_IDS] }, description: "DUO terms that apply when it is not." },
  },
};

export const consentSchemas = {
  ConsentCodeCheck: {
    type: "object",
    required: ["registrationNumber", "title", ...deploymentRequired],
    properties: { registrationNumber: { type: "string" }, title: { type: "string" }, ...deploymentProperties },
  },
  ConsentGroup: {
    type: "object",
    required: ["registrationNumber", ...deploymentRequired, "rpcUrl", "fromBlock", "members", "root", ...anonymityRequired],
    properties: {
      registrationNumber: { type: "string" },
      ...deploymentProperties,
      rpcUrl: { type: ["string", "null"], description: "A JSON-RPC endpoint of the chain for anyone (CHAIN_PUBLIC_RPC_URL, else the portal's own)." },
      fromBlock: { type: ["integer", "null"], description: "ConsentRegistry's deployment block: where reading its events starts." },
      members: { type: "array", items: decimal, description: "Identity commitments confirmed on chain, in leaf order: build the Semaphore Group from these." },
      root: { type: ["string", "null"], description: "The group's current Merkle root (decimal); null before the first member." },
      ...anonymityProperties,
    },
  },
  ConsentOverview: {
    type: "object",
    required: ["registrationNumber", "title", "chainTrialId", "versions", "currentVersion", "members", "root", "decided", ...anonymityRequired, "tally"],
    properties: {
      registrationNumber: { type: "string" },
      title: { type: "string" },
      chainTrialId: hex32,
      versions: {
        type: "array",
        description: "Every consent-text version, oldest first.",
        items: {
          type: "object",
          required: ["version", "items", "digest", "createdAt", "chainStatus"],
          properties: {
            version: { type: "integer", minimum: 1 },
            items: { type: "array", items: consentItem },
            digest: { ...hex32, description: "SHA-256 of the items' RFC 8785 canonical JSON; published on chain as consentTextDigest(trialId, version)." },
            createdAt: { type: "string", format: "date-time" },
            chainStatus: { type: "string", enum: ["PENDING", "SENT", "CONFIRMED"] },
          },
        },
      },
      currentVersion: { type: ["integer", "null"] },
      members: { type: "array", items: decimal },
      root: { type: ["string", "null"] },
      decided: { type: "integer", description: "Pseudonyms with at least one standing decision." },
      ...anonymityProperties,
      tally: {
        type: "array",
        description:
          "Per item of the current version. Each pseudonym's latest standing decision (highest sequence, not refused by the chain) counts once. " +
          "It answers the item only if the version it was made on had that item with the same text. Answered with the item's bit set: granted; " +
          "without it: withdrawn (also when never granted). notAnswered = groupSize − granted − withdrawn.",
        items: {
          type: "object",
          required: ["number", "text", "granted", "withdrawn", "notAnswered"],
          properties: {
            number: { type: "integer" },
            text: { type: "string" },
            granted: { type: "integer" },
            withdrawn: { type: "integer" },
            notAnswered: { type: "integer" },
          },
        },
      },
    },
  },
  ConsentEvent: {
    type: "object",
    required: ["position", "nullifier", "sequence", "grants", "textVersion", "status", "txHash", "blockNumber", "blockTime", "reason", "anonymitySet", "proof"],
    properties: {
      position: { type: "integer", description: "Arrival order at the portal; says nothing about wall-clock time." },
      nullifier: { ...decimal, description: "The participant's pseudonym in this trial." },
      sequence: { ...decimal, description: "Strictly increasing per pseudonym." },
      grants: { ...decimal, description: "Granted items as a bit mask (bit i = item i)." },
      textVersion: { type: "integer", minimum: 1 },
      status: {
        type: "string",
        enum: ["PENDING", "SENT", "RECORDED", "REJECTED"],
        description: "PENDING: accepted, not sent yet; SENT: transaction broadcast; RECORDED: in a ConsentRecorded event; REJECTED: refused by the chain for good (no longer counts).",
      },
      txHash: { type: ["string", "null"] },
      blockNumber: { type: ["integer", "null"] },
      blockTime: { type: ["string", "null"], format: "date-time" },
      reason: { type: ["string", "null"], description: "Why the chain refused it (REJECTED only)." },
      anonymitySet: { type: ["integer", "null"], description: "Members of the group at the proof's root: how many people the decision could be from." },
      proof: {
        type: "object",
        description: "The Semaphore proof without its scope (the trial's scope, from /group).",
        required: ["merkleTreeDepth", "merkleTreeRoot", "nullifier", "message", "points"],
        properties: {
          merkleTreeDepth: { type: "integer" },
          merkleTreeRoot: decimal,
          nullifier: decimal,
          message: decimal,
          points: { type: "array", items: decimal, minItems: 8, maxItems: 8 },
        },
      },
    },
  },
};
