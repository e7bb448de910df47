/**
 * Semaphore proving in the browser (browser only: it uses fetch streams, Cache Storage, WebCrypto and
 * Web Workers; importing it on the server is harmless, calling it is not). The proving files are
 * loaded once per page and kept in Cache Storage across visits; proofs are made in a Web Worker
 * (lib/consent/prover.worker.ts) so the page stays responsive.
 */
import { sha256 } from "@noble/hashes/sha256";
import type { SemaphoreProof } from "@semaphore-protocol/core";
import { CONSENT_TREE_DEPTH, PROVING_ARTIFACTS, PROVING_ARTIFACTS_BYTES, type ProvingArtifact } from "@/lib/consent/artifacts";
import {
  type ProveInput,
  type ProveRequest,
  type ProvingArtifactBytes,
  type ProvingStage,
  parseProverResponse,
} from "@/lib/consent/prover-protocol";

export type { ProveInput, ProvingArtifactBytes, ProvingStage } from "@/lib/consent/prover-protocol";

/** Cache Storage bucket for the proving files; bump the suffix if what is stored changes shape. */
export const ARTIFACT_CACHE_NAME = "trialledger-semaphore-v1";

export type ArtifactProgress = (loaded: number, total: number) => void;

const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/**
 * SHA-256 of `bytes` as lowercase hex. WebCrypto where the page has it; pages on an insecure origin
 * (plain http to a LAN address) have no `crypto.subtle`, and get the same digest from @noble/hashes
 * (~60 ms for the 5.7 MB of artifacts, on the main thread).
 */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle) return toHex(new Uint8Array(await subtle.digest("SHA-256", bytes)));
  return toHex(sha256(bytes));
}

/** Throws when `bytes` are not the pinned artifact; `source` names where they came from. */
export async function checkArtifact(artifact: ProvingArtifact, bytes: Uint8Array<ArrayBuffer>, source: string): Promise<void> {
  const digest = await sha256Hex(bytes);
  if (digest !== artifact.sha256) {
    throw new Error(
      `The proving file ${artifact.file} from ${source} is not the expected one ` +
        `(SHA-256 ${digest}, expected ${artifact.sha256}, ${bytes.byteLength} bytes, expected ${artifact.bytes}). ` +
        `No proof was made with it.`,
    );
  }
}

async function openCache(): Promise<Cache | null> {
  // Cache Storage exists only in secure contexts (https, localhost); elsewhere, download every visit.
  if (typeof caches === "undefined") return null;
  try {
    return await caches.open(ARTIFACT_CACHE_NAME);
  } catch {
    return null; // e.g. storage disabled by the browser's privacy settings
  }
}

/** Reads a response body into exactly `artifact.bytes` bytes, reporting each chunk. */
async function readBody(response: Response, artifact: ProvingArtifact, url: string, onBytes: (n: number) => void): Promise<Uint8Array<ArrayBuffer>> {
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onBytes(bytes.byteLength);
    return bytes;
  }
  // The size is pinned, so one allocation; a longer body is refused before it can grow unbounded.
  const bytes = new Uint8Array(artifact.bytes);
  let offset = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (offset + value.byteLength > bytes.byteLength) {
      await reader.cancel();
      throw new Error(`The proving file ${url} is larger than the expected ${artifact.bytes} bytes. No proof was made with it.`);
    }
    bytes.set(value, offset);
    offset += value.byteLength;
    onBytes(value.byteLength);
  }
  return offset === bytes.byteLength ? bytes : bytes.slice(0, offset);
}

async function loadArtifact(artifact: ProvingArtifact, baseUrl: string, onBytes: (n: number) => void): Promise<Uint8Array<ArrayBuffer>> {
  const url = `${baseUrl}${artifact.url}`;
  const cache = await openCache();
  const cached = await cache?.match(url).catch(() => undefined);
  if (cached) {
    const bytes = new Uint8Array(await cached.arrayBuffer());
    try {
      await checkArtifact(artifact, bytes, "the browser's cache");
      onBytes(bytes.byteLength);
      return bytes;
    } catch {
      await cache?.delete(url).catch(() => false); // damaged or stale: download it again
    }
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`The proving file ${url} could not be downloaded (HTTP ${response.status}).`);
  const bytes = await readBody(response, artifact, url, onBytes);
  await checkArtifact(artifact, bytes, url);
  // A full quota only costs the next visit a download.
  await cache
    ?.put(url, new Response(bytes, { headers: { "content-type": "application/octet-stream", "content-length": String(bytes.byteLength) } }))
    .catch(() => undefined);
  return bytes;
}

type Load = { promise: Promise<ProvingArtifactBytes>; loaded: number; settled: boolean; listeners: Set<ArtifactProgress> };
const loads = new Map<string, Load>();

/**
 * The depth-20 wasm and zkey as bytes, for createProver().prove(). Downloads them once per page (one
 * shared promise per `baseUrl`; a failed load is forgotten so that a later call tries again), from
 * Cache Storage when an earlier visit stored them, verifying both SHA-256 digests either way.
 * `onProgress` gets the bytes loaded of both files together (total 5.7 MB), also when it joins a load
 * already under way. `baseUrl` is what precedes /semaphore/… (default: this origin).
 * Rejects with an Error when a download fails or a file does not match its pinned digest.
 */
export function loadProvingArtifacts(opts: { onProgress?: ArtifactProgress; baseUrl?: string } = {}): Promise<ProvingArtifactBytes> {
  const baseUrl = (opts.baseUrl ?? "").replace(/\/+$/, "");
  let load = loads.get(baseUrl);
  if (!load) {
    const state = { loaded: 0, settled: false, listeners: new Set<ArtifactProgress>() };
    const onBytes = (n: number) => {
      state.loaded += n;
      for (const listener of state.listeners) listener(Math.min(state.loaded, PROVING_ARTIFACTS_BYTES), PROVING_ARTIFACTS_BYTES);
    };
    const settle = () => {
      state.settled = true;
      state.listeners.clear();
    };
    const promise = Promise.all([loadArtifact(PROVING_ARTIFACTS.wasm, baseUrl, onBytes), loadArtifact(PROVING_ARTIFACTS.zkey, baseUrl, onBytes)]).then(
      ([wasm, zkey]) => {
        settle();
        return { wasm, zkey };
      },
      (error: unknown) => {
        settle();
        loads.delete(baseUrl);
        throw error;
      },
    );
    load = Object.assign(state, { promise });
    loads.set(baseUrl, load);
  }
  const { onProgress } = opts;
  if (onProgress) {
    if (!load.settled) load.listeners.add(onProgress);
    onProgress(Math.min(load.loaded, PROVING_ARTIFACTS_BYTES), PROVING_ARTIFACTS_BYTES);
  }
  return load.promise;
}

export type Prover = {
  /**
   * A Semaphore proof at depth 20 that `input.identity` is in the group of `input.members`, for
   * `input.message` and `input.scope`. `onStage` hears "tree" (building the Merkle tree) and then
   * "proving". Proofs run one at a time. Rejects with the worker's reason, e.g. "this identity is
   * not a member of the group", or when the worker dies or the prover is terminated.
   */
  prove(input: ProveInput, onStage?: (stage: ProvingStage) => void): Promise<SemaphoreProof>;
  /** Stops the worker; pending proofs reject. */
  terminate(): void;
};

type Pending = { input: ProveInput; resolve: (proof: SemaphoreProof) => void; reject: (error: Error) => void; onStage?: (stage: ProvingStage) => void };

/**
 * Starts the proving worker (one per prover, reused for every proof). If the worker dies (e.g. out of
 * memory), its pending proofs reject and the next prove() starts a new one.
 */
export function createProver(): Prover {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let stopped = false;

  const failAll = (error: Error) => {
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
  };

  const onResponse = (data: unknown) => {
    const response = parseProverResponse(data);
    const entry = response ? pending.get(response.id) : undefined;
    if (!response || !entry) return;
    if (response.type === "progress") {
      entry.onStage?.(response.stage);
      return;
    }
    pending.delete(response.id);
    if (response.type === "error") {
      entry.reject(new Error(response.message));
      return;
    }
    const { proof } = response;
    // The worker is ours, but a proof for other inputs would only fail later, far from the cause.
    if (proof.message !== entry.input.message || proof.scope !== entry.input.scope || proof.merkleTreeDepth !== CONSENT_TREE_DEPTH) {
      entry.reject(new Error("the proving worker returned a proof for other inputs"));
      return;
    }
    entry.resolve(proof);
  };

  const start = (): Worker => {
    // This exact expression is what Next.js (Turbopack/webpack) recognises to bundle the worker.
    const started = new Worker(new URL("./prover.worker.ts", import.meta.url), { type: "module", name: "semaphore-prover" });
    started.addEventListener("message", (event: MessageEvent<unknown>) => onResponse(event.data));
    started.addEventListener("error", (event: ErrorEvent) => {
      event.preventDefault();
      started.terminate();
      if (worker === started) worker = null;
      failAll(new Error(`the proving worker stopped${event.message ? `: ${event.message}` : ""}`));
    });
    return started;
  };
  let worker: Worker | null = start();

  return {
    prove(input, onStage) {
      if (stopped) return Promise.reject(new Error("the prover was terminated"));
      worker ??= start();
      const id = nextId++;
      const request: ProveRequest = { type: "prove", id, ...input };
      return new Promise<SemaphoreProof>((resolve, reject) => {
        pending.set(id, { input, resolve, reject, ...(onStage ? { onStage } : {}) });
        // Copied, not transferred: the page keeps its bytes for the next proof (5.7 MB, a few ms).
        worker?.postMessage(request);
      });
    },
    terminate() {
      stopped = true;
      worker?.terminate();
      worker = null;
      failAll(new Error("the prover was terminated"));
    },
  };
}
