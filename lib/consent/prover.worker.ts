/**
 * The proving Web Worker (browser only): builds the group's tree and generates the Semaphore proof
 * off the main thread, so the page stays responsive for the seconds a proof takes. Started by
 * createProver() in lib/consent/prover.ts; the messages are in lib/consent/prover-protocol.ts.
 * snarkjs starts its own helper workers from here, one per core (navigator.hardwareConcurrency),
 * from blob: URLs (hence `worker-src 'self' blob:` in lib/security/csp.ts, which bench/consent.ts
 * proves under), and keeps its curve in this worker's global scope, so a second proof skips that set-up.
 */
import { Group, Identity, generateProof } from "@semaphore-protocol/core";
import { CONSENT_TREE_DEPTH } from "@/lib/consent/artifacts";
import { type ProveRequest, type ProverResponse, type ProvingArtifactBytes, parseProveRequest } from "@/lib/consent/prover-protocol";

// tsconfig's lib is "dom" (for the pages), where `self` is a Window; in this file it is a
// DedicatedWorkerGlobalScope. Only these two members are used.
type WorkerScope = {
  addEventListener(type: "message", listener: (event: MessageEvent<unknown>) => void): void;
  postMessage(message: ProverResponse): void;
};
const scope = globalThis as unknown as WorkerScope;

/**
 * generateProof's type says paths or URLs (strings), but snarkjs reads a Uint8Array as the file's
 * contents (fastfile's readExisting), and a URL would make it download both files again on every
 * proof. So the bytes the page loaded once are passed through as they are.
 */
const asSnarkArtifacts = (artifacts: ProvingArtifactBytes) => artifacts as unknown as Parameters<typeof generateProof>[5];

async function prove(request: ProveRequest): Promise<ProverResponse> {
  const { id } = request;
  scope.postMessage({ type: "progress", id, stage: "tree" });
  let identity: Identity;
  try {
    identity = Identity.import(request.identity);
  } catch {
    return { type: "error", id, message: "the identity could not be read (expected the string Identity.export() returns)" };
  }
  const group = new Group(request.members.map(BigInt));
  // generateProof would fail on index -1 with a message about leaves; say what it means instead.
  if (group.indexOf(identity.commitment) === -1) return { type: "error", id, message: "this identity is not a member of the group" };
  scope.postMessage({ type: "progress", id, stage: "proving" });
  const proof = await generateProof(identity, group, request.message, request.scope, CONSENT_TREE_DEPTH, asSnarkArtifacts(request.artifacts));
  return { type: "result", id, proof };
}

// One proof at a time: proofs share snarkjs's curve and its helper workers, and running two at once
// would only make both slower.
let queue: Promise<void> = Promise.resolve();

scope.addEventListener("message", (event) => {
  const parsed = parseProveRequest(event.data);
  if (!parsed.ok) {
    if (parsed.id !== null) scope.postMessage({ type: "error", id: parsed.id, message: parsed.reason });
    return;
  }
  const { request } = parsed;
  queue = queue.then(async () => {
    try {
      scope.postMessage(await prove(request));
    } catch (error) {
      scope.postMessage({ type: "error", id: request.id, message: error instanceof Error ? error.message : String(error) });
    }
  });
});
