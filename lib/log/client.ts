import { Contract, type Provider } from "ethers";
import { abis } from "@/lib/chain/generated/abis";
import { CheckpointError, openCheckpoint, type Checkpoint } from "@/lib/log/checkpoint";
import { NoteError, type NoteVerifier } from "@/lib/log/note";
import { TlogProofError, parseTlogProof } from "@/lib/log/tlog-proof";
import {
  EMPTY_ROOT,
  fromHex,
  leafHash,
  proveRecord,
  proveTree,
  rootOf,
  tileHashReader,
  tilePath,
  toHex,
  verifyConsistency,
  verifyInclusion,
  TILE_WIDTH,
  type HashReader,
  type Tile,
} from "@/lib/merkle";

/**
 * A verifier of the portal's transparency log over its public HTTP API alone (C2SP tlog-tiles:
 * /log/checkpoint, /log/tile/…; plus /api/log/witness for where it is anchored), with `fetch`, so
 * the CLI and the /transparency page run the same checks. Nothing the portal serves is trusted
 * unchecked: the checkpoint by the log's key, tiles and bundles by the signed root they must hash to,
 * the witness address only when the caller pins it.
 *
 * Proofs are built from tiles as golang.org/x/mod/sumdb/tlog's TileHashReader does: lib/merkle's
 * proveRecord/proveTree read stored hashes by index, and lib/merkle's tileHashReader answers each
 * from the hash tile that holds it; this client fetches those tiles, each once. An inclusion or
 * consistency proof then takes ≤ 5 tile fetches for the sizes tested (up to 70,000 entries).
 */

/** A tree head: what a checkpoint or the chain's witness asserts. */
export type TreeHead = { size: number; root: Uint8Array };

/** The log's history does not check out: a bad signature, an inconsistent tree, a wrong root. */
export class LogVerifyError extends Error {
  override name = "LogVerifyError";
  /** The signed notes that contradict each other, kept as evidence (STANDARDS §2.7). */
  readonly evidence: string[];
  constructor(message: string, evidence: string[] = []) {
    super(message);
    this.evidence = evidence;
  }
}

/** The portal could not be asked (network, HTTP error, a body of the wrong shape): nothing is decided. */
export class LogFetchError extends Error {
  override name = "LogFetchError";
}

/** A request that takes longer fails; a full tile is 8 KiB, a bundle ≤ 16 MiB (256 × 64 KiB). */
const FETCH_TIMEOUT_MS = 30_000;
/** Bundles fetched at once while walking the whole log: a monitor should not flood the portal. */
const BUNDLE_CONCURRENCY = 4;

export type LogClient = {
  portal: string;
  /** The latest checkpoint, verified by one of `verifiers` and of `origin`. */
  checkpoint(verifiers: NoteVerifier[], origin: string): Promise<{ checkpoint: Checkpoint; note: string }>;
  /** The verifier key the portal publishes (trust it only on first use, or compare with a pinned one). */
  verifierKey(): Promise<string>;
  /** Stored hashes of the tree of `size` entries, read from its tiles (only sizes of a checkpoint). */
  reader(size: number): HashReader;
  /** The entries `[start, start + count)` of the tree of `size` entries, from their bundles. */
  entries(size: number, start: number, count: number): Promise<Uint8Array[]>;
  /** The portal's /api/log/witness: where it says the log is anchored (unverified). */
  witnessInfo(): Promise<WitnessInfo>;
  /** How many tiles and bundles were fetched (each at most once per client). */
  fetches(): number;
};

export type WitnessInfo = {
  chainId: number | null;
  contract: string | null;
  rpcUrl: string | null;
  anchored: { size: number; root: string; txHash: string; blockNumber: number } | null;
};

/** Splits an entry bundle into its entries (each after a big-endian uint16 length). */
export function parseBundle(bytes: Uint8Array): Uint8Array[] {
  const entries: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + 2 > bytes.length) throw new LogFetchError("an entry bundle ends inside a length prefix");
    const length = (bytes[offset]! << 8) | bytes[offset + 1]!;
    if (offset + 2 + length > bytes.length) throw new LogFetchError("an entry bundle ends inside an entry");
    entries.push(bytes.slice(offset + 2, offset + 2 + length));
    offset += 2 + length;
  }
  return entries;
}

/** A client of the portal at `portal` (its base URL; the log is under /log). */
export function logClient(portal: string, options: { fetch?: typeof fetch } = {}): LogClient {
  const base = portal.replace(/\/+$/, "");
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const tiles = new Map<string, Promise<Uint8Array>>();
  let fetched = 0;

  async function get(path: string): Promise<Response> {
    const url = `${base}${path}`;
    let response: Response;
    try {
      response = await doFetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    } catch (error) {
      throw new LogFetchError(`GET ${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!response.ok) throw new LogFetchError(`GET ${url} answered HTTP ${response.status}`);
    return response;
  }

  /**
   * A tile or bundle a verified checkpoint needs. The log MUST serve it (tlog-tiles), so a 404 is
   * the log failing its checkpoint — entries or hashes gone — not a question left open.
   */
  async function bytesOf(path: string, size: number): Promise<Uint8Array> {
    fetched++;
    try {
      return new Uint8Array(await (await get(`/log/${path}`)).arrayBuffer());
    } catch (error) {
      if (error instanceof LogFetchError && / answered HTTP 404$/.test(error.message)) {
        throw new LogVerifyError(`the log does not serve ${path}, which its checkpoint of ${size} entries commits to`);
      }
      throw error;
    }
  }

  /**
   * A tile, once per client. A partial tile may be gone once its full tile exists (tlog-tiles lets
   * the log delete it): then the full tile's first `width` hashes are the same.
   */
  function tileBytes(tile: Tile, size: number): Promise<Uint8Array> {
    const path = tilePath(tile);
    let bytes = tiles.get(path);
    if (!bytes) {
      bytes = bytesOf(path, size)
        .catch(async (error: unknown) => {
          if (tile.width === TILE_WIDTH || !(error instanceof LogVerifyError)) throw error;
          const full = await bytesOf(tilePath({ ...tile, width: TILE_WIDTH }), size).catch(() => Promise.reject(error));
          return full.slice(0, tile.width * 32);
        });
      tiles.set(path, bytes);
      bytes.catch(() => tiles.delete(path));
    }
    return bytes;
  }

  return {
    portal: base,
    async checkpoint(verifiers, origin) {
      const note = await (await get("/log/checkpoint")).text();
      try {
        return { checkpoint: await openCheckpoint(note, verifiers, origin), note };
      } catch (error) {
        if (error instanceof NoteError || error instanceof CheckpointError) throw new LogVerifyError(`the checkpoint does not verify: ${error.message}`, [note]);
        throw error;
      }
    },
    async verifierKey() {
      return (await (await get("/log/vkey")).text()).trim();
    },
    reader(size) {
      return tileHashReader(size, (wanted) =>
        Promise.all(
          wanted.map(async (tile) => {
            const bytes = await tileBytes(tile, size);
            if (bytes.length !== tile.width * 32) throw new LogVerifyError(`the log serves ${tilePath(tile)} as ${bytes.length} bytes, not ${tile.width} hashes`);
            return bytes;
          }),
        ),
      );
    },
    async entries(size, start, count) {
      const out: Uint8Array[] = [];
      for (let first = start; first < start + count; ) {
        const n = Math.floor(first / TILE_WIDTH);
        const width = n < Math.floor(size / TILE_WIDTH) ? TILE_WIDTH : size % TILE_WIDTH;
        const bundle = parseBundle(await bytesOf(tilePath({ level: -1, n, width }), size));
        if (bundle.length !== width) throw new LogVerifyError(`entry bundle ${n} holds ${bundle.length} entries, not ${width}`);
        const end = Math.min(start + count, n * TILE_WIDTH + width);
        out.push(...bundle.slice(first - n * TILE_WIDTH, end - n * TILE_WIDTH));
        first = end;
      }
      return out;
    },
    async witnessInfo() {
      const body = (await (await get("/api/log/witness")).json()) as WitnessInfo;
      if (typeof body !== "object" || body === null || !("contract" in body)) throw new LogFetchError("/api/log/witness is not the witness description");
      return body;
    },
    fetches: () => fetched,
  };
}

/**
 * Refuses a tree head that cannot be: size 0 with a root other than SHA-256("") (RFC 9162 §2.1.1).
 * @throws LogVerifyError
 */
export function checkHead(head: TreeHead, evidence: string[] = []): void {
  if (head.size === 0 && !sameBytes(head.root, EMPTY_ROOT)) throw new LogVerifyError("the empty tree's root is SHA-256 of nothing", evidence);
}

/**
 * Checks that `older` is a prefix of `newer` (RFC 9162 §2.1.4), with a consistency proof built
 * from the tiles of the larger tree.
 * @param evidence the signed notes to keep if they disagree
 * @throws LogVerifyError when the proof fails: the log forked or rewrote its history
 */
export async function checkConsistent(client: LogClient, older: TreeHead, newer: TreeHead, evidence: string[] = []): Promise<void> {
  const [small, large] = older.size <= newer.size ? [older, newer] : [newer, older];
  // Every tree extends the empty one (whose root a checkpoint must state as SHA-256(""): checkHead).
  if (small.size === 0) return;
  if (small.size === large.size) {
    if (!sameBytes(small.root, large.root)) throw new LogVerifyError(`two different roots for the tree of ${small.size} entries`, evidence);
    return;
  }
  const proof = await proveTree(large.size, small.size, client.reader(large.size));
  if (!verifyConsistency(small.size, large.size, small.root, large.root, proof)) {
    throw new LogVerifyError(`the tree of ${large.size} entries does not extend the tree of ${small.size} entries with root ${toHex(small.root)}`, evidence);
  }
}

/**
 * Entry `index` of the tree `head`, checked to be in it: its bytes from the entry bundle, its
 * inclusion proof from the tiles, verified against the root.
 * @throws LogVerifyError when the entry is not at that index under that root
 */
export async function proveEntry(client: LogClient, head: TreeHead, index: number): Promise<{ entry: Uint8Array; leafHash: Uint8Array; proof: Uint8Array[] }> {
  if (!Number.isSafeInteger(index) || index < 0 || index >= head.size) throw new LogVerifyError(`the log has ${head.size} entries: no index ${index}`);
  const [entry] = await client.entries(head.size, index, 1);
  const leaf = leafHash(entry!);
  const proof = await proveRecord(head.size, index, client.reader(head.size));
  if (!verifyInclusion(leaf, index, head.size, proof, head.root)) {
    throw new LogVerifyError(`entry ${index} as served is not in the tree of ${head.size} entries with root ${toHex(head.root)}`);
  }
  return { entry: entry!, leafHash: leaf, proof };
}

/**
 * Recomputes the root of `head` from every entry bundle (what a monitor does): the bundles are
 * then exactly the entries the signed root commits to.
 * @throws LogVerifyError when the recomputed root differs
 */
export async function recomputeRoot(client: LogClient, head: TreeHead, onProgress?: (done: number) => void): Promise<void> {
  const bundles = Math.ceil(head.size / TILE_WIDTH);
  const leaves: Uint8Array[][] = new Array<Uint8Array[]>(bundles);
  let next = 0;
  let done = 0;
  async function worker(): Promise<void> {
    while (next < bundles) {
      const n = next++;
      const entries = await client.entries(head.size, n * TILE_WIDTH, Math.min(TILE_WIDTH, head.size - n * TILE_WIDTH));
      leaves[n] = entries.map(leafHash);
      done += entries.length;
      onProgress?.(done);
    }
  }
  await Promise.all(Array.from({ length: Math.min(BUNDLE_CONCURRENCY, bundles) }, worker));
  const root = rootOf(leaves.flat());
  if (!sameBytes(root, head.root)) {
    throw new LogVerifyError(`the ${head.size} entries served hash to root ${toHex(root)}, not the checkpoint's ${toHex(head.root)}`);
  }
}

/**
 * The tree head anchored in the LogWitness contract at `address`.
 * @throws LogFetchError when there is no contract there or it does not answer as a LogWitness
 */
export async function readWitness(provider: Provider, address: string): Promise<TreeHead & { blockNumber: number }> {
  if ((await provider.getCode(address)) === "0x") throw new LogFetchError(`there is no contract at ${address}`);
  const witness = new Contract(address, abis.LogWitness, provider);
  let result: [bigint, string, bigint];
  try {
    result = (await witness.getFunction("latest")()) as [bigint, string, bigint];
  } catch (error) {
    throw new LogFetchError(`the contract at ${address} does not answer latest() as a LogWitness: ${error instanceof Error ? error.message : String(error)}`);
  }
  const [size, root, blockNumber] = result;
  return { size: Number(size), root: fromHex(root.toLowerCase(), 32), blockNumber: Number(blockNumber) };
}

/**
 * Verifies a receipt (a C2SP tlog-proof) for `entry` offline: its checkpoint is signed by the log
 * and of its origin, and the proof puts the entry at the receipt's index under that root.
 * @returns the receipt's checkpoint and its (unauthenticated) extra data
 * @throws LogVerifyError when any of that fails
 */
export async function verifyReceipt(
  receipt: string,
  entry: Uint8Array,
  verifiers: NoteVerifier[],
  origin: string,
): Promise<{ index: number; checkpoint: Checkpoint; note: string; extra?: Uint8Array }> {
  let parsed;
  let checkpoint: Checkpoint;
  try {
    parsed = parseTlogProof(receipt);
    checkpoint = await openCheckpoint(parsed.checkpoint, verifiers, origin);
  } catch (error) {
    if (error instanceof TlogProofError || error instanceof NoteError || error instanceof CheckpointError) throw new LogVerifyError(`the receipt does not verify: ${error.message}`);
    throw error;
  }
  if (parsed.index >= checkpoint.size || !verifyInclusion(leafHash(entry), parsed.index, checkpoint.size, parsed.proof, checkpoint.root)) {
    throw new LogVerifyError(`the receipt does not prove the entry is number ${parsed.index} of the log's ${checkpoint.size}`);
  }
  return { index: parsed.index, checkpoint, note: parsed.checkpoint, ...(parsed.extra ? { extra: parsed.extra } : {}) };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
