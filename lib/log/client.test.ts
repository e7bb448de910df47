import { describe, expect, it } from "vitest";
import { formatCheckpoint } from "@/lib/log/checkpoint";
import {
  LogVerifyError,
  checkConsistent,
  checkHead,
  logClient,
  parseBundle,
  proveEntry,
  recomputeRoot,
  verifyReceipt,
  type LogClient,
  type TreeHead,
} from "@/lib/log/client";
import { parseVerifierKey, signNote } from "@/lib/log/note";
import { generateSignerKey, parseSignerKey } from "@/lib/log/signing-key";
import { formatTlogProof } from "@/lib/log/tlog-proof";
import {
  EMPTY_ROOT,
  consistencyProof,
  inclusionProof,
  leafHash,
  parseTilePath,
  proveRecord,
  proveTree,
  rootOf,
  storedHashesForBatch,
  tileHashIndexes,
  verifyConsistency,
  verifyInclusion,
  type HashReader,
} from "@/lib/merkle";

const ORIGIN = "test.example/log";
const key = generateSignerKey(ORIGIN);
const signer = parseSignerKey(key.signerKey).signer;
const verifiers = [parseVerifierKey(key.verifierKey)];

/** An in-memory portal: the log's entries, stored hashes and checkpoints, served as tlog-tiles. */
type FakeLog = {
  entries: Uint8Array[];
  leaves: Uint8Array[];
  stored: Uint8Array[];
  /** Tree sizes with a checkpoint: the only sizes whose partial tiles are served. */
  checkpoints: Map<number, string>;
  latest: number;
  requests: string[];
  /** Tiles asked for that the log does not serve (a partial tile of a size without a checkpoint). */
  refused: string[];
};

function entryOf(i: number): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ kind: "test", i, pad: "x".repeat(i % 7) }));
}

async function makeLog(size: number): Promise<FakeLog> {
  const entries = Array.from({ length: size }, (_, i) => entryOf(i));
  const leaves = entries.map(leafHash);
  const stored: Uint8Array[] = [];
  const read: HashReader = async (indexes) => indexes.map((i) => stored[i]!);
  for (let n = 0; n < size; n += 1000) stored.push(...(await storedHashesForBatch(n, leaves.slice(n, n + 1000), read)));
  return { entries, leaves, stored, checkpoints: new Map(), latest: 0, requests: [], refused: [] };
}

async function checkpointAt(log: FakeLog, size: number): Promise<TreeHead> {
  const root = rootOf(log.leaves.slice(0, size));
  log.checkpoints.set(size, await signNote(formatCheckpoint({ origin: ORIGIN, size, root, extensions: [] }), [signer]));
  log.latest = Math.max(log.latest, size);
  return { size, root };
}

function bundleOf(bodies: Uint8Array[]): Uint8Array {
  const parts = bodies.flatMap((b) => [Uint8Array.of(b.length >> 8, b.length & 0xff), b]);
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `fetch` for the fake portal; 404 for a partial tile of a size without a checkpoint. */
function fakeFetch(log: FakeLog): typeof fetch {
  return async (input) => {
    const path = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url).pathname;
    log.requests.push(path);
    if (path === "/log/checkpoint") return new Response(log.checkpoints.get(log.latest) ?? "", { status: log.latest ? 200 : 404 });
    if (path === "/log/vkey") return new Response(`${key.verifierKey}\n`);
    const tile = parseTilePath(path.replace(/^\/log\//, ""));
    if (!tile) return new Response("no", { status: 404 });
    const span = 256 ** Math.max(tile.level, 0);
    const end = (tile.n * 256 + tile.width) * span;
    const partialOk = tile.width === 256 ? end <= log.entries.length : [...log.checkpoints.keys()].some((s) => Math.floor(s / span) === tile.n * 256 + tile.width);
    if (!partialOk || end > log.entries.length) {
      log.refused.push(path);
      return new Response("not yet", { status: 404 });
    }
    if (tile.level === -1) return new Response(new Uint8Array(bundleOf(log.entries.slice(tile.n * 256, tile.n * 256 + tile.width))));
    const hashes = tileHashIndexes(tile).map((i) => log.stored[i]!);
    const bytes = new Uint8Array(hashes.length * 32);
    hashes.forEach((h, i) => bytes.set(h, i * 32));
    return new Response(bytes);
  };
}

function clientOf(log: FakeLog): LogClient {
  return logClient("https://portal.example/", { fetch: fakeFetch(log) });
}

const memoryRead = (log: FakeLog): HashReader => async (indexes) => indexes.map((i) => log.stored[i]!);

describe("proofs built from tiles", () => {
  it("equal the proofs from the stored hashes and verify, at every kind of tile edge, within 5 tile fetches", async () => {
    const log = await makeLog(70_000);
    const sizes = [1, 2, 255, 256, 257, 511, 65_535, 65_536, 65_537, 69_999, 70_000];
    const heads = new Map<number, TreeHead>();
    for (const size of sizes) heads.set(size, await checkpointAt(log, size));
    // In memory too, for one size of each kind (the in-memory tree is rebuilt on every call).
    expect(await proveRecord(65_537, 65_536, clientOf(log).reader(65_537))).toEqual(inclusionProof(log.leaves.slice(0, 65_537), 65_536));
    expect(await proveTree(70_000, 257, clientOf(log).reader(70_000))).toEqual(consistencyProof(log.leaves, 257));
    const pick = (size: number) => [0, 1, size - 1, Math.floor(size / 2), 255, 256, 65_535].filter((i) => i < size);
    for (const size of sizes) {
      for (const index of pick(size)) {
        const client = clientOf(log);
        const proof = await proveRecord(size, index, client.reader(size));
        expect(proof, `inclusion ${index} in ${size}`).toEqual(await proveRecord(size, index, memoryRead(log)));
        expect(verifyInclusion(log.leaves[index]!, index, size, proof, heads.get(size)!.root)).toBe(true);
        expect(client.fetches(), `tiles for inclusion ${index} in ${size}`).toBeLessThanOrEqual(5);
      }
      for (const old of sizes.filter((m) => m < size)) {
        const client = clientOf(log);
        const proof = await proveTree(size, old, client.reader(size));
        expect(proof, `consistency ${old} → ${size}`).toEqual(await proveTree(size, old, memoryRead(log)));
        expect(verifyConsistency(old, size, heads.get(old)!.root, heads.get(size)!.root, proof)).toBe(true);
        expect(client.fetches(), `tiles for consistency ${old} → ${size}`).toBeLessThanOrEqual(5);
      }
    }
    // Only partial tiles of checkpointed sizes were asked for (tlog-tiles: clients MUST NOT fetch others).
    expect(log.refused).toEqual([]);
  }, 120_000);

  it("a tile that lies makes the proof fail", async () => {
    const log = await makeLog(600);
    const head = await checkpointAt(log, 600);
    log.stored[3] = new Uint8Array(32).fill(9); // a level-0 hash in tile 0
    await expect(proveEntry(clientOf(log), head, 1)).rejects.toThrow(LogVerifyError);
  });
});

describe("proveEntry", () => {
  it("returns the entry at its index under the signed root", async () => {
    const log = await makeLog(600);
    const head = await checkpointAt(log, 600);
    const client = clientOf(log);
    const { checkpoint } = await client.checkpoint(verifiers, ORIGIN);
    expect(checkpoint).toMatchObject({ size: 600, root: head.root });
    const { entry, proof } = await proveEntry(client, checkpoint, 517);
    expect(entry).toEqual(entryOf(517));
    expect(proof).toEqual(inclusionProof(log.leaves, 517));
    await expect(proveEntry(client, checkpoint, 600)).rejects.toThrow(/no index 600/);
  });

  it("detects an entry edited in the bundle", async () => {
    const log = await makeLog(300);
    const head = await checkpointAt(log, 300);
    log.entries[260] = new TextEncoder().encode('{"kind":"test","i":999}');
    await expect(proveEntry(clientOf(log), head, 260)).rejects.toThrow(/not in the tree/);
  });
});

describe("checkConsistent", () => {
  it("accepts a tree that extends the old one, in either order, and the empty tree", async () => {
    const log = await makeLog(1000);
    const old = await checkpointAt(log, 300);
    const now = await checkpointAt(log, 1000);
    await checkConsistent(clientOf(log), old, now);
    await checkConsistent(clientOf(log), now, old);
    await checkConsistent(clientOf(log), { size: 0, root: EMPTY_ROOT }, now);
    await checkConsistent(clientOf(log), now, now);
  });

  it("refuses a rewritten history, keeping both notes as evidence", async () => {
    const log = await makeLog(1000);
    const old = await checkpointAt(log, 300);
    // The log rewrites entry 5 and serves a tree of 1000 built on the rewrite.
    const forked = await makeLog(1000);
    forked.entries[5] = new TextEncoder().encode("rewritten");
    forked.leaves[5] = leafHash(forked.entries[5]);
    forked.stored = [];
    const read: HashReader = async (indexes) => indexes.map((i) => forked.stored[i]!);
    forked.stored.push(...(await storedHashesForBatch(0, forked.leaves, read)));
    const now = await checkpointAt(forked, 1000);
    const error = await checkConsistent(clientOf(forked), old, now, ["old note", "new note"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LogVerifyError);
    expect((error as LogVerifyError).evidence).toEqual(["old note", "new note"]);
    await expect(checkConsistent(clientOf(forked), old, { size: 300, root: now.root })).rejects.toThrow(/two different roots/);
  });

  it("refuses an empty tree whose root is not SHA-256 of nothing", () => {
    expect(() => checkHead({ size: 0, root: new Uint8Array(32) })).toThrow(LogVerifyError);
    expect(() => checkHead({ size: 0, root: EMPTY_ROOT })).not.toThrow();
  });
});

describe("recomputeRoot", () => {
  it("recomputes the signed root from every bundle", async () => {
    const log = await makeLog(1000);
    const head = await checkpointAt(log, 1000);
    const progress: number[] = [];
    await recomputeRoot(clientOf(log), head, (n) => progress.push(n));
    expect(progress.at(-1)).toBe(1000);
  });

  it("detects an entry edited or deleted in a bundle", async () => {
    const log = await makeLog(1000);
    const head = await checkpointAt(log, 1000);
    log.entries[700] = new TextEncoder().encode("edited");
    await expect(recomputeRoot(clientOf(log), head)).rejects.toThrow(/hash to root/);
    // Deleted: every later entry moves down one, and the last bundle the checkpoint needs is short.
    log.entries.splice(700, 1);
    await expect(recomputeRoot(clientOf(log), head)).rejects.toThrow(/does not serve tile\/entries\/003\.p\/232/);
  });
});

describe("the checkpoint", () => {
  it("is refused when signed by another key or of another origin", async () => {
    const log = await makeLog(10);
    await checkpointAt(log, 10);
    const other = [parseVerifierKey(generateSignerKey(ORIGIN).verifierKey)];
    await expect(clientOf(log).checkpoint(other, ORIGIN)).rejects.toThrow(LogVerifyError);
    await expect(clientOf(log).checkpoint(verifiers, "other.example/log")).rejects.toThrow(LogVerifyError);
    expect(await clientOf(log).verifierKey()).toBe(key.verifierKey);
  });
});

describe("verifyReceipt", () => {
  it("accepts the receipt of an entry and refuses it for another entry or a tampered proof", async () => {
    const log = await makeLog(300);
    await checkpointAt(log, 300);
    const proof = await proveRecord(300, 42, memoryRead(log));
    const receipt = formatTlogProof({ index: 42, proof, checkpoint: log.checkpoints.get(300)!, extra: Uint8Array.of(1, 2) });
    await expect(verifyReceipt(receipt, entryOf(42), verifiers, ORIGIN)).resolves.toMatchObject({ index: 42, extra: Uint8Array.of(1, 2) });
    await expect(verifyReceipt(receipt, entryOf(43), verifiers, ORIGIN)).rejects.toThrow(LogVerifyError);
    const tampered = formatTlogProof({ index: 42, proof: [proof[1]!, proof[0]!, ...proof.slice(2)], checkpoint: log.checkpoints.get(300)! });
    await expect(verifyReceipt(tampered, entryOf(42), verifiers, ORIGIN)).rejects.toThrow(LogVerifyError);
    await expect(verifyReceipt("c2sp.org/tlog-proof@v1\n", entryOf(42), verifiers, ORIGIN)).rejects.toThrow(LogVerifyError);
  });
});

describe("parseBundle", () => {
  it("splits length-prefixed entries and refuses a truncated bundle", () => {
    const entries = [new Uint8Array(0), Uint8Array.of(1), new Uint8Array(300).fill(7)];
    expect(parseBundle(bundleOf(entries))).toEqual(entries);
    expect(() => parseBundle(bundleOf(entries).slice(0, -1))).toThrow();
    expect(() => parseBundle(Uint8Array.of(0))).toThrow();
  });
});
