import type { SemaphoreProof } from "@semaphore-protocol/core";
import { CONSENT_TREE_DEPTH } from "@/lib/consent/artifacts";

/**
 * The messages between the page (lib/consent/prover.ts) and the proving Web Worker
 * (lib/consent/prover.worker.ts). Everything in them survives structured cloning: numbers that do not
 * fit a double travel as decimal strings, the artifacts as bytes. Both sides check what they receive,
 * since a worker message is untyped at run time.
 */

export type ProvingArtifactBytes = { wasm: Uint8Array; zkey: Uint8Array };

export type ProveInput = {
  /** The identity's private key, as `Identity.export()` gives it (base64). */
  identity: string;
  /** The group's identity commitments, decimal, in leaf order. */
  members: string[];
  /** The Semaphore message, decimal (e.g. a packed consent message). */
  message: string;
  /** The Semaphore scope, decimal (e.g. the trial's consent scope). */
  scope: string;
  artifacts: ProvingArtifactBytes;
};

export type ProveRequest = { type: "prove"; id: number } & ProveInput;

export type ProvingStage = "tree" | "proving";

export type ProverResponse =
  | { type: "progress"; id: number; stage: ProvingStage }
  | { type: "result"; id: number; proof: SemaphoreProof }
  | { type: "error"; id: number; message: string };

/** A tree of depth 20 holds 2^20 leaves; a longer list can never be proved at the portal's depth. */
export const MAX_MEMBERS = 2 ** CONSENT_TREE_DEPTH;

const DECIMAL = /^(0|[1-9][0-9]{0,77})$/; // up to 78 digits: every uint256 (2^256 ≈ 1.16e77)
const SNARK_FIELD = 21888242871839275222246405745257275088548364400416300273491521678095051495617n;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;
const isId = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
const isDecimal = (value: unknown): value is string => typeof value === "string" && DECIMAL.test(value);
const below = (value: string, bound: bigint) => BigInt(value) < bound;

/**
 * Checks a message sent to the worker. Returns the request, or a reason it is refused (the
 * worker answers with that reason as an error when the message carries a usable id).
 */
export function parseProveRequest(data: unknown): { ok: true; request: ProveRequest } | { ok: false; id: number | null; reason: string } {
  if (!isRecord(data) || data.type !== "prove") return { ok: false, id: null, reason: "not a prove request" };
  const id = isId(data.id) ? data.id : null;
  const fail = (reason: string) => ({ ok: false as const, id, reason });
  if (id === null) return fail("a prove request needs a non-negative integer id");
  const { identity, members, message, scope, artifacts } = data;
  if (typeof identity !== "string" || identity.length === 0) return fail("identity must be the string Identity.export() returns");
  if (!Array.isArray(members) || members.length === 0) return fail("members must be a non-empty list of decimal commitments");
  if (members.length > MAX_MEMBERS) return fail(`a group proved at depth ${CONSENT_TREE_DEPTH} holds at most ${MAX_MEMBERS} members`);
  for (const member of members as unknown[]) {
    // Commitments are Poseidon hashes: field elements, so below the SNARK scalar field's order.
    if (!isDecimal(member) || !below(member, SNARK_FIELD)) return fail("every member must be a decimal commitment below the SNARK field order");
  }
  if (!isDecimal(message) || !below(message, 1n << 256n)) return fail("message must be a decimal uint256");
  if (!isDecimal(scope) || !below(scope, 1n << 256n)) return fail("scope must be a decimal uint256");
  if (!isRecord(artifacts) || !(artifacts.wasm instanceof Uint8Array) || !(artifacts.zkey instanceof Uint8Array)) {
    return fail("artifacts must be { wasm, zkey } as bytes (see loadProvingArtifacts)");
  }
  return {
    ok: true,
    request: { type: "prove", id, identity, members: members as string[], message, scope, artifacts: { wasm: artifacts.wasm, zkey: artifacts.zkey } },
  };
}

function isProof(value: unknown): value is SemaphoreProof {
  if (!isRecord(value)) return false;
  const { merkleTreeDepth, merkleTreeRoot, message, nullifier, scope, points } = value;
  return (
    typeof merkleTreeDepth === "number" &&
    Number.isInteger(merkleTreeDepth) &&
    [merkleTreeRoot, message, nullifier, scope].every(isDecimal) &&
    Array.isArray(points) &&
    points.length === 8 &&
    (points as unknown[]).every(isDecimal)
  );
}

/** Checks a message from the worker; null for anything that is not a well-formed response. */
export function parseProverResponse(data: unknown): ProverResponse | null {
  if (!isRecord(data) || !isId(data.id)) return null;
  const { id } = data;
  switch (data.type) {
    case "progress":
      return data.stage === "tree" || data.stage === "proving" ? { type: "progress", id, stage: data.stage } : null;
    case "result":
      return isProof(data.proof) ? { type: "result", id, proof: data.proof } : null;
    case "error":
      return typeof data.message === "string" ? { type: "error", id, message: data.message } : null;
    default:
      return null;
  }
}
