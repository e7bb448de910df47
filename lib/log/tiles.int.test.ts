// The log's read path through its route handlers: the tree served over C2SP tiles and bundles gives
// the root lib/merkle computes in memory and the signed checkpoint states; the JSON proofs and
// receipts verify; and an entry or a stored hash edited or deleted in the database is detected by
// a full verification over the tiles, every time.
import { beforeAll, describe, expect, it } from "vitest";
import { canonicalize } from "@/lib/canonical-json";
import { migrationTarget } from "@/lib/db";
import { parseCheckpoint } from "@/lib/log/checkpoint";
import { parseBundle, recomputeRoot } from "@/lib/log/client";
import { portalFetch, portalLogClient } from "@/scripts/test/log-portal";
import { listSequencedEntries } from "@/lib/log/data";
import { recordLogEvent } from "@/lib/log/mutations";
import { openNote, parseVerifierKey } from "@/lib/log/note";
import { runSequencerOnce } from "@/lib/log/sequencer";
import { logSigner } from "@/lib/log/signing-key";
import { parseTlogProof } from "@/lib/log/tlog-proof";
import {
  bundlesForSize,
  fromHex,
  leafHash,
  nodeHash,
  rootOf,
  storedHashIndex,
  tilePath,
  tilesForSize,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from "@/lib/merkle";

async function sql(text: string): Promise<Record<string, unknown>[]> {
  const target = migrationTarget();
  return target.kind === "pglite" ? (await target.pglite.query<Record<string, unknown>>(text)).rows : (await target.pool.query<Record<string, unknown>>(text)).rows;
}

async function bytesOf(address: string): Promise<Uint8Array> {
  const response = await portalFetch(address);
  if (response.status !== 200) throw new Error(`${address}: ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

const hashesOf = (tile: Uint8Array) => Array.from({ length: tile.length / 32 }, (_, i) => tile.slice(i * 32, i * 32 + 32));
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/**
 * What a monitor does (STANDARDS §2.7, 6): verify the checkpoint's signature, fetch every tile and
 * bundle of its tree, check each entry against its level-0 hash, each level-1 hash against the 256
 * below it, and the root from the tiles against the checkpoint's.
 * @throws Error naming what does not hold
 */
async function verifyFull(): Promise<{ size: number; root: Uint8Array }> {
  const vkey = new TextDecoder().decode(await bytesOf("/log/vkey")).trim();
  const note = new TextDecoder().decode(await bytesOf("/log/checkpoint"));
  const { text } = await openNote(note, [parseVerifierKey(vkey)]);
  const checkpoint = parseCheckpoint(text);
  const tiles = new Map<string, Uint8Array>();
  for (const tile of [...tilesForSize(checkpoint.size), ...bundlesForSize(checkpoint.size)]) {
    tiles.set(`${tile.level}/${tile.n}`, await bytesOf(`/log/${tilePath(tile)}`));
  }
  const leaves: Uint8Array[] = [];
  const levelOne: Uint8Array[] = [];
  for (const tile of tilesForSize(checkpoint.size).sort((a, b) => a.level - b.level || a.n - b.n)) {
    const bytes = tiles.get(`${tile.level}/${tile.n}`) as Uint8Array;
    if (bytes.length !== tile.width * 32) throw new Error(`tile ${tilePath(tile)} has ${bytes.length} bytes`);
    if (tile.level === 0) leaves.push(...hashesOf(bytes));
    if (tile.level === 1) levelOne.push(...hashesOf(bytes));
  }
  if (leaves.length !== checkpoint.size) throw new Error(`level-0 tiles hold ${leaves.length} hashes for size ${checkpoint.size}`);
  levelOne.forEach((h, i) => {
    if (hex(h) !== hex(rootOf(leaves.slice(i * 256, i * 256 + 256)))) throw new Error(`level-1 hash ${i} is not the root of its 256 leaves`);
  });
  for (const tile of bundlesForSize(checkpoint.size)) {
    parseBundle(tiles.get(`-1/${tile.n}`) as Uint8Array).forEach((entry, i) => {
      const index = tile.n * 256 + i;
      if (hex(leafHash(entry)) !== hex(leaves[index] as Uint8Array)) throw new Error(`entry ${index} does not match its leaf hash`);
    });
  }
  const root = rootOf(leaves);
  if (hex(root) !== hex(checkpoint.root)) throw new Error("the tiles' root is not the checkpoint's");
  return { size: checkpoint.size, root };
}

/** The same check with lib/log/client.ts, the verifier the CLI and the browser use (its --full walk). */
async function verifyWithClient(): Promise<void> {
  const client = portalLogClient();
  const { origin } = await logSigner();
  const { checkpoint } = await client.checkpoint([parseVerifierKey(await client.verifierKey())], origin);
  await recomputeRoot(client, checkpoint);
}

/** Both verifiers must find the tampering, and both must pass again once it is undone. */
async function expectDetected(message?: string | RegExp): Promise<void> {
  await (message === undefined ? expect(verifyFull()).rejects.toThrow() : expect(verifyFull()).rejects.toThrow(message));
  await expect(verifyWithClient()).rejects.toThrow(/./);
}

async function expectIntact(): Promise<void> {
  await verifyFull();
  await verifyWithClient();
}

const SIZE = 600; // two full level-0 tiles and a partial of 88; a level-1 partial of 2

const events = (from: number, count: number) =>
  Array.from({ length: count }, (_, k) => ({
    kind: "upload.stored" as const,
    actor: { type: "user" as const, id: `u_${from + k}` },
    subject: { type: "upload", id: `up_${from + k}` },
    details: { size: from + k },
    private: { digest: `0x${"ee".repeat(28)}${(from + k).toString(16).padStart(8, "0")}` },
  }));

beforeAll(async () => {
  await Promise.all(events(0, SIZE).map((event) => recordLogEvent(event)));
  // One batch, so the only checkpoints are of the empty tree and of all 600 entries.
  await runSequencerOnce({ holder: "tiles-test", batchSize: 4096, leaseMs: 1 });
});

describe("the log over C2SP tiles", () => {
  it("serves a signed checkpoint whose root is the tiles' root and lib/merkle's in memory", async () => {
    const response = await portalFetch("/log/checkpoint");
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(response.headers.get("cache-control")).toMatch(/max-age=\d$/);
    const { size, root } = await verifyFull();
    expect(size).toBe(SIZE);
    const bodies = (await listSequencedEntries(0, SIZE)).map((e) => e.body);
    expect(hex(root)).toBe(hex(rootOf(bodies.map(leafHash))));
    // The tiles' level-1 partial combines with the level-0 partial into the same root by hand, too.
    const levelOne = hashesOf(await bytesOf("/log/tile/1/000.p/2"));
    const tail = hashesOf(await bytesOf("/log/tile/0/002.p/88"));
    expect(hex(nodeHash(nodeHash(levelOne[0] as Uint8Array, levelOne[1] as Uint8Array), rootOf(tail)))).toBe(hex(root));
  });

  it("caches full tiles and bundles as immutable, partial ones briefly, and serves partial ones only for checkpointed sizes", async () => {
    for (const path of ["/log/tile/0/000", "/log/tile/0/001", "/log/tile/entries/001"]) {
      const response = await portalFetch(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(response.headers.get("content-type")).toBe("application/octet-stream");
    }
    expect((await bytesOf("/log/tile/0/000")).length).toBe(8192);
    const partial = await portalFetch("/log/tile/0/002.p/88");
    expect(partial.headers.get("cache-control")).not.toContain("immutable");
    // No checkpoint has size 599 or 601, so these partials are no tile of this log.
    expect((await portalFetch("/log/tile/0/002.p/87")).status).toBe(404);
    expect((await portalFetch("/log/tile/entries/002.p/89")).status).toBe(404);
    expect((await portalFetch("/log/tile/0/003")).status).toBe(404); // not grown that far
    expect((await portalFetch("/log/tile/0/002")).status).toBe(404);
    expect((await portalFetch("/log/tile/0/x002")).status).toBe(404); // not a tile path
    // Entry bundles hold each entry after a big-endian uint16 length, and no private detail in clear.
    const bundle = await bytesOf("/log/tile/entries/002.p/88");
    const entries = parseBundle(bundle);
    expect(entries).toHaveLength(88);
    expect(new TextDecoder().decode(bundle)).not.toContain("ee".repeat(28));
  });

  it("gives receipts (C2SP tlog-proof) and JSON proofs that verify against the checkpoint", async () => {
    const { root } = await verifyFull();
    const entry = (await (await portalFetch("/api/log/entries/123")).json()) as { index: number; body: unknown; leafHash: string; receipt: string };
    expect(entry.index).toBe(123);
    const body = new TextEncoder().encode(canonicalize(entry.body));
    expect(entry.leafHash).toBe(toHex(leafHash(body)));
    const receipt = parseTlogProof(entry.receipt);
    expect(receipt.index).toBe(123);
    expect(receipt.checkpoint).toBe(new TextDecoder().decode(await bytesOf("/log/checkpoint")));
    expect(verifyInclusion(leafHash(body), 123, SIZE, receipt.proof, root)).toBe(true);
    expect(verifyInclusion(leafHash(new TextEncoder().encode(canonicalize({ ...(entry.body as object), kind: "x" }))), 123, SIZE, receipt.proof, root)).toBe(false);

    const bodies = (await listSequencedEntries(0, SIZE)).map((e) => e.body);
    const leaves = bodies.map(leafHash);
    const inclusion = (await (await portalFetch("/api/log/proof/inclusion?index=299&size=300")).json()) as { proof: string[]; leafHash: string };
    expect(inclusion.leafHash).toBe(toHex(leaves[299] as Uint8Array));
    expect(verifyInclusion(leaves[299] as Uint8Array, 299, 300, inclusion.proof.map((h) => fromHex(h, 32)), rootOf(leaves.slice(0, 300)))).toBe(true);
    const consistency = (await (await portalFetch("/api/log/proof/consistency?from=257&to=600")).json()) as { proof: string[] };
    expect(verifyConsistency(257, 600, rootOf(leaves.slice(0, 257)), root, consistency.proof.map((h) => fromHex(h, 32)))).toBe(true);

    const page = (await (await portalFetch("/api/log/entries?from=598&limit=10")).json()) as { size: number; entries: Array<{ index: number }> };
    expect(page.size).toBe(SIZE);
    expect(page.entries.map((e) => e.index)).toEqual([598, 599]);
    const witness = (await (await portalFetch("/api/log/witness")).json()) as { chainId: number | null; contract: string | null; anchored: unknown };
    expect(witness.chainId).toBe(31337); // the integration tier's anvil, with LogWitness deployed
    expect(witness.contract).toMatch(/^0x[0-9a-f]{40}$/);
    expect(witness.anchored).toBeNull(); // nothing is anchored in this test
  });

  it("refuses proofs the tree cannot have, naming the field", async () => {
    expect((await portalFetch("/api/log/proof/inclusion?index=600&size=600")).status).toBe(422);
    expect((await portalFetch("/api/log/proof/inclusion?index=1&size=601")).status).toBe(404);
    expect((await portalFetch("/api/log/proof/inclusion?index=01&size=600")).status).toBe(422);
    expect((await portalFetch("/api/log/proof/consistency?from=601&to=600")).status).toBe(422);
    expect((await portalFetch("/api/log/entries/600")).status).toBe(404);
    expect((await portalFetch("/api/log/entries/-1")).status).toBe(404);
  });
});

describe("tampering with the database", () => {
  // Positions spread over the tree: the first entry, inside a full tile, the last of a full tile,
  // and inside the partial tail, so every kind of tile is tampered with at least once.
  const positions = [0, 137, 255, 511, 599];

  it.each(positions)("an edited entry %i is detected", async (index) => {
    await expectIntact();
    const [row] = await sql(`SELECT encode("body", 'hex') AS body FROM "LogEntry" WHERE "idx" = ${index}`);
    const original = String(row?.body);
    // One character of the JSON changed: the size field's digit, still valid JSON, still the same length.
    const edited = Buffer.from(original, "hex").toString("utf8").replace(/"size":(\d)/, (_, d: string) => `"size":${(Number(d) + 1) % 10}`);
    await sql(`UPDATE "LogEntry" SET "body" = '\\x${Buffer.from(edited, "utf8").toString("hex")}' WHERE "idx" = ${index}`);
    await expectDetected(`entry ${index} does not match its leaf hash`);
    await sql(`UPDATE "LogEntry" SET "body" = '\\x${original}' WHERE "idx" = ${index}`);
    await expectIntact();
  });

  it.each(positions)("a deleted entry %i is detected", async (index) => {
    const [row] = await sql(`SELECT row_to_json(e)::text AS json FROM "LogEntry" e WHERE "idx" = ${index}`);
    await sql(`DELETE FROM "LogEntry" WHERE "idx" = ${index}`);
    await expectDetected(/entries\/\d+(\.p\/\d+)?: 500/);
    await sql(`INSERT INTO "LogEntry" SELECT * FROM json_populate_record(NULL::"LogEntry", '${String(row?.json).replaceAll("'", "''")}')`);
    await expectIntact();
  });

  it.each(positions)("an edited leaf hash %i is detected, and so is an edited entry with its leaf hash rewritten to match", async (index) => {
    const sidx = storedHashIndex(0, index);
    const [row] = await sql(`SELECT encode("hash", 'hex') AS hash FROM "LogHash" WHERE "idx" = ${sidx}`);
    const original = String(row?.hash);
    const flipped = (Number.parseInt(original.slice(0, 2), 16) ^ 1).toString(16).padStart(2, "0") + original.slice(2);
    await sql(`UPDATE "LogHash" SET "hash" = '\\x${flipped}' WHERE "idx" = ${sidx}`);
    await expectDetected();
    // The forger edits the entry too and recomputes its leaf hash: now the level-1 hash (or, in the
    // partial tail, the root) no longer matches.
    const [entry] = await sql(`SELECT encode("body", 'hex') AS body FROM "LogEntry" WHERE "idx" = ${index}`);
    const body = Buffer.from(String(entry?.body), "hex").toString("utf8").replace(/"size":(\d)/, (_, d: string) => `"size":${(Number(d) + 1) % 10}`);
    await sql(`UPDATE "LogEntry" SET "body" = '\\x${Buffer.from(body).toString("hex")}' WHERE "idx" = ${index}`);
    await sql(`UPDATE "LogHash" SET "hash" = '\\x${hex(leafHash(new TextEncoder().encode(body)))}' WHERE "idx" = ${sidx}`);
    await expectDetected(index < 512 ? /level-1 hash|checkpoint/ : /checkpoint/);
    await sql(`UPDATE "LogEntry" SET "body" = '\\x${String(entry?.body)}' WHERE "idx" = ${index}`);
    await sql(`UPDATE "LogHash" SET "hash" = '\\x${original}' WHERE "idx" = ${sidx}`);
    await expectIntact();
  });

  it.each(positions)("a deleted leaf hash %i is detected", async (index) => {
    const sidx = storedHashIndex(0, index);
    const [row] = await sql(`SELECT encode("hash", 'hex') AS hash FROM "LogHash" WHERE "idx" = ${sidx}`);
    await sql(`DELETE FROM "LogHash" WHERE "idx" = ${sidx}`);
    await expectDetected(/tile\/0\/\d+(\.p\/\d+)?: 500/);
    await sql(`INSERT INTO "LogHash" ("idx", "hash") VALUES (${sidx}, '\\x${String(row?.hash)}')`);
    await expectIntact();
  });

  it("an edited or deleted upper-level hash is detected", async () => {
    // The level-8 hash of the first 256 leaves: what tile 1/000 serves at position 0.
    const sidx = storedHashIndex(8, 0);
    const [row] = await sql(`SELECT encode("hash", 'hex') AS hash FROM "LogHash" WHERE "idx" = ${sidx}`);
    await sql(`UPDATE "LogHash" SET "hash" = '\\x${"00".repeat(32)}' WHERE "idx" = ${sidx}`);
    await expectDetected("level-1 hash 0 is not the root of its 256 leaves");
    await sql(`DELETE FROM "LogHash" WHERE "idx" = ${sidx}`);
    await expectDetected(/tile\/1\/000\.p\/2: 500/);
    await sql(`INSERT INTO "LogHash" ("idx", "hash") VALUES (${sidx}, '\\x${String(row?.hash)}')`);
    await expectIntact();
  });
});
