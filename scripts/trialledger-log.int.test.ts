// `trialledger log verify` and `log prove` end to end, against the portal's own route handlers
// served over HTTP and a LogWitness on a chain of this file's own (chain id 31345, so no other
// file's anchors reach its contract): a log that checks out verifies, and every way of breaking it
// is caught — an entry or a stored hash edited or deleted in the database, a rewritten history
// against the checkpoint seen last time, a chain anchor of another history, another log's key.
import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ContractFactory, JsonRpcProvider, Wallet, type Contract } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as checkpointRoute from "@/app/log/checkpoint/route";
import * as tileRoute from "@/app/log/tile/[...path]/route";
import * as vkeyRoute from "@/app/log/vkey/route";
import * as witnessRoute from "@/app/api/log/witness/route";
import { startAnvil, type AnvilProcess } from "@/lib/chain/anvil";
import { abis } from "@/lib/chain/generated/abis";
import bytecodeFile from "@/lib/chain/generated/bytecode.json" with { type: "json" };
import { migrationTarget } from "@/lib/db";
import { ANVIL_DEV_KEY } from "@/lib/env";
import { handlerMeta } from "@/lib/handler";
import { formatCheckpoint, parseCheckpoint } from "@/lib/log/checkpoint";
import { recordLogEvent } from "@/lib/log/mutations";
import { openNote, parseVerifierKey, signNote } from "@/lib/log/note";
import { runSequencerOnce } from "@/lib/log/sequencer";
import { generateSignerKey, logSigner } from "@/lib/log/signing-key";
import { EMPTY_ROOT, leafHash, proveTree, storedHashIndex, toHex, type HashReader } from "@/lib/merkle";

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-log-cli-"));

async function sql(text: string): Promise<Record<string, unknown>[]> {
  const target = migrationTarget();
  return target.kind === "pglite" ? (await target.pglite.query<Record<string, unknown>>(text)).rows : (await target.pool.query<Record<string, unknown>>(text)).rows;
}

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.resolve("scripts/trialledger.mjs"), ...args], {
      env: { ...process.env, CHAIN_RPC_URL: "", HOME: dir },
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

type Handler = Parameters<typeof handlerMeta>[0];

/** The portal's log routes, served over HTTP as `npm start` would. */
function serve(): Promise<{ url: string; close(): Promise<void> }> {
  const route = (pathname: string): { handler: Handler; params: Record<string, string | string[]> } | null => {
    if (pathname === "/log/checkpoint") return { handler: checkpointRoute.GET, params: {} };
    if (pathname === "/log/vkey") return { handler: vkeyRoute.GET, params: {} };
    if (pathname === "/api/log/witness") return { handler: witnessRoute.GET, params: {} };
    if (pathname.startsWith("/log/tile/")) return { handler: tileRoute.GET, params: { path: pathname.slice("/log/tile/".length).split("/") } };
    return null;
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const found = route(url.pathname);
    const respond = found ? handlerMeta(found.handler)?.respondAs : undefined;
    const answer = found && respond ? respond(null, new Request(url), { params: Promise.resolve(found.params) }) : Promise.resolve(new Response("not found", { status: 404 }));
    void answer.then(async (response) => {
      res.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "text/plain" });
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((done) => server.close(() => done())) }),
    ),
  );
}

let anvil: AnvilProcess;
let portal: { url: string; close(): Promise<void> };
let witness: Contract;
let witnessAddress = "";
let wallet: Wallet;

async function deployWitness(origin: string): Promise<Contract> {
  const { bytecode } = (bytecodeFile.contracts as Record<string, { bytecode: string }>).LogWitness!;
  const factory = new ContractFactory(abis.LogWitness, bytecode, wallet);
  const contract = (await factory.deploy(origin)) as Contract;
  await contract.waitForDeployment();
  return contract;
}

async function logEvents(count: number): Promise<number> {
  for (let i = 0; i < count; i++) {
    await recordLogEvent({ kind: "consent.codes-issued", actor: { type: "system", id: "cli-test" }, subject: { type: "trial", id: `TL-${i}` }, details: { count: i + 1 } });
  }
  return (await runSequencerOnce({ holder: "cli-test" })).size;
}

async function treeHead(): Promise<{ size: number; root: Uint8Array; note: string }> {
  const [row] = await sql(`SELECT "note" FROM "LogCheckpoint" ORDER BY "size" DESC LIMIT 1`);
  const note = String(row?.note);
  const { verifierKey } = await logSigner();
  const { size, root } = parseCheckpoint((await openNote(note, [parseVerifierKey(verifierKey)])).text);
  return { size, root, note };
}

const readHashes: HashReader = async (indexes) => {
  if (indexes.length === 0) return [];
  const rows = await sql(`SELECT "idx", "hash" FROM "LogHash" WHERE "idx" IN (${indexes.join(",")})`);
  const byIndex = new Map(rows.map((r) => [Number(r.idx), new Uint8Array(r.hash as Uint8Array)]));
  return indexes.map((i) => byIndex.get(i)!);
};

/** Anchors the current tree in `contract`, from what it holds, with a consistency proof. */
async function anchor(contract: Contract): Promise<void> {
  const [oldSize] = (await contract.getFunction("latest")()) as [bigint, string, bigint];
  const head = await treeHead();
  const proof = oldSize === 0n ? [] : await proveTree(head.size, Number(oldSize), readHashes);
  const tx = (await contract.getFunction("anchorCheckpoint")(oldSize, head.size, toHex(head.root), proof.map(toHex))) as { wait(): Promise<unknown> };
  await tx.wait();
}

beforeAll(async () => {
  anvil = await startAnvil({ silent: true, chainId: 31345 });
  wallet = new Wallet(ANVIL_DEV_KEY, new JsonRpcProvider(anvil.rpcUrl));
  const { origin } = await logSigner();
  witness = await deployWitness(origin);
  witnessAddress = (await witness.getAddress()).toLowerCase();
  portal = await serve();
  await logEvents(300);
  await anchor(witness);
}, 120_000);

afterAll(async () => {
  wallet.provider?.destroy();
  await portal?.close();
  await anvil?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const stateFile = () => path.join(dir, "state.json");

describe("trialledger log verify", () => {
  it("verifies a log anchored on chain, pins key and witness, then checks each new checkpoint against the last", async () => {
    const first = await cli("log", "verify", "--portal", portal.url, "--rpc", anvil.rpcUrl, "--witness", witnessAddress, "--state", stateFile(), "--full");
    expect(first.out).toContain("trusted on first use");
    expect(first.out).toContain("signature verified");
    expect(first.out).toContain("the checkpoint extends the tree anchored in block");
    expect(first.out).toContain("all 300 entries fetched; they hash to the signed root");
    expect(first.out).toMatch(/^VERIFIED: the log .* of 300 entries/m);
    expect(first.code).toBe(0);
    const state = JSON.parse(fs.readFileSync(stateFile(), "utf8")) as { verifierKey: string; witness: { contract: string; chainId: number }; checkpoint: { size: number } };
    expect(state).toMatchObject({ verifierKey: (await logSigner()).verifierKey, witness: { contract: witnessAddress, chainId: 31345 }, checkpoint: { size: 300 } });

    await logEvents(200);
    const second = await cli("log", "verify", "--portal", portal.url, "--rpc", anvil.rpcUrl, "--state", stateFile());
    expect(second.out).toContain("(pinned in");
    expect(second.out).toContain("consistent with the checkpoint seen last time (300 entries)");
    expect(second.out).toContain(`LogWitness ${witnessAddress} on chain 31345 (pinned in`);
    expect(second.code).toBe(0);

    await anchor(witness); // 300 → 500, accepted by the contract only with a valid consistency proof
    const third = await cli("log", "verify", "--portal", portal.url, "--rpc", anvil.rpcUrl, "--state", stateFile(), "--full");
    expect(third.out).toContain("(500 entries, root");
    expect(third.code).toBe(0);
  }, 120_000);

  it("refuses a history that contradicts the checkpoint seen last time, and keeps both as evidence", async () => {
    const { size } = await treeHead();
    // A checkpoint of the same log at a smaller size but another root: the log forked since.
    const { signer, origin } = await logSigner();
    const forked = await signNote(formatCheckpoint({ origin, size: size - 10, root: leafHash(Uint8Array.of(1)), extensions: [] }), [signer]);
    const file = path.join(dir, "forked-state.json");
    const state = JSON.parse(fs.readFileSync(stateFile(), "utf8")) as Record<string, unknown>;
    fs.writeFileSync(file, JSON.stringify({ ...state, checkpoint: { size: size - 10, root: Buffer.from(leafHash(Uint8Array.of(1))).toString("base64"), note: forked } }));
    const result = await cli("log", "verify", "--portal", portal.url, "--rpc", anvil.rpcUrl, "--state", file);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/NOT VERIFIED: the tree of \d+ entries does not extend the tree of \d+ entries/);
    const kept = /kept in (\S+)\)/.exec(result.out)?.[1];
    expect(kept && fs.readFileSync(kept, "utf8")).toContain(forked);
  }, 60_000);

  it("refuses a chain anchor of another history", async () => {
    const { origin } = await logSigner();
    const other = await deployWitness(origin);
    const { size } = await treeHead();
    // The first anchor needs no proof: this contract holds a root the log never had.
    await ((await other.getFunction("anchorCheckpoint")(0, size - 1, toHex(EMPTY_ROOT.map((b) => b ^ 1)), [])) as { wait(): Promise<unknown> }).wait();
    const result = await cli("log", "verify", "--portal", portal.url, "--rpc", anvil.rpcUrl, "--witness", (await other.getAddress()).toLowerCase(), "--state", path.join(dir, "other-witness.json"));
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/NOT VERIFIED: the tree of \d+ entries does not extend/);
  }, 60_000);

  it("refuses a checkpoint not signed by the key it was given", async () => {
    const stranger = generateSignerKey((await logSigner()).origin).verifierKey;
    const result = await cli("log", "verify", "--portal", portal.url, "--rpc", anvil.rpcUrl, "--witness", witnessAddress, "--vkey", stranger, "--state", path.join(dir, "stranger.json"));
    expect(result.code).toBe(1);
    expect(result.out).toContain("NOT VERIFIED: the checkpoint does not verify: the note has no signature by a trusted key");
  }, 60_000);

  it("detects an entry edited, a stored hash edited, and an entry deleted in the database", async () => {
    const args = ["log", "verify", "--portal", portal.url, "--rpc", anvil.rpcUrl, "--state", stateFile(), "--full"];
    const [entry] = await sql(`SELECT "body" FROM "LogEntry" WHERE "idx" = 42`);
    const body = new Uint8Array(entry?.body as Uint8Array);
    const edited = Buffer.from(body).toString("utf8").replace("cli-test", "cli-tesT");
    expect(edited).not.toBe(Buffer.from(body).toString("utf8"));
    await sql(`UPDATE "LogEntry" SET "body" = '\\x${Buffer.from(edited).toString("hex")}' WHERE "idx" = 42`);
    const afterEdit = await cli(...args);
    expect(afterEdit.code).toBe(1);
    expect(afterEdit.out).toMatch(/NOT VERIFIED: the \d+ entries served hash to root/);
    await sql(`UPDATE "LogEntry" SET "body" = '\\x${Buffer.from(body).toString("hex")}' WHERE "idx" = 42`);

    // A level-0 hash inside a full tile: the proofs built from the tiles no longer reach the root.
    const hashIndex = storedHashIndex(0, 7);
    const [hash] = await sql(`SELECT "hash" FROM "LogHash" WHERE "idx" = ${hashIndex}`);
    await sql(`UPDATE "LogHash" SET "hash" = '\\x${"ab".repeat(32)}' WHERE "idx" = ${hashIndex}`);
    const afterHash = await cli("log", "prove", "7", "--portal", portal.url, "--state", stateFile());
    expect(afterHash.code).toBe(1);
    expect(afterHash.out).toMatch(/NOT VERIFIED: entry 7 as served is not in the tree/);
    await sql(`UPDATE "LogHash" SET "hash" = '\\x${Buffer.from(hash?.hash as Uint8Array).toString("hex")}' WHERE "idx" = ${hashIndex}`);

    // Deleted (the kind has no private details, so no LogPrivate row hangs on it): the portal can no
    // longer serve the bundle its checkpoint commits to.
    await sql(`CREATE TABLE "deleted_entry" AS SELECT * FROM "LogEntry" WHERE "idx" = 42`);
    await sql(`DELETE FROM "LogEntry" WHERE "idx" = 42`);
    const afterDelete = await cli(...args);
    await sql(`INSERT INTO "LogEntry" SELECT * FROM "deleted_entry"`);
    expect(afterDelete.code).not.toBe(0);
    expect(afterDelete.out).not.toMatch(/^VERIFIED/m);
    expect(afterDelete.out).toMatch(/tile\/entries\/000/);
    expect((await cli(...args)).code).toBe(0);
  }, 120_000);
});

describe("trialledger log prove", () => {
  it("proves an entry from the tiles and prints it", async () => {
    const result = await cli("log", "prove", "7", "--portal", portal.url, "--state", path.join(dir, "prove.json"));
    expect(result.out).toContain('"kind":"consent.codes-issued"');
    expect(result.out).toContain('"count":8');
    expect(result.out).toMatch(/^VERIFIED: entry 7 is in the log/m);
    expect(result.code).toBe(0);
    const missing = await cli("log", "prove", "100000", "--portal", portal.url, "--state", path.join(dir, "prove.json"));
    expect(missing.code).toBe(1);
    expect(missing.out).toContain("there is no entry 100000");
  }, 60_000);

  it("explains its usage errors with exit code 2", async () => {
    expect((await cli("log", "prove", "x", "--portal", portal.url)).code).toBe(2);
    expect((await cli("log", "verify", "--portal", portal.url)).out).toContain("name an RPC endpoint");
    expect((await cli("log", "verify", "--portal", "http://portal.example", "--rpc", anvil.rpcUrl)).out).toContain("is not https");
    expect((await cli("log", "frobnicate")).code).toBe(2);
  }, 60_000);
});

describe("trialledger log keygen", () => {
  it("prints a signing key whose verifier key it also prints", async () => {
    const result = await cli("log", "keygen", "trials.example/log");
    expect(result.code).toBe(0);
    const key = /LOG_SIGNING_KEY=(\S+)/.exec(result.out)?.[1] ?? "";
    const vkey = /verifier key \(publish it\): (\S+)/.exec(result.out)?.[1] ?? "";
    expect(key).toMatch(/^PRIVATE\+KEY\+trials\.example\/log\+[0-9a-f]{8}\+/);
    expect(parseVerifierKey(vkey).name).toBe("trials.example/log");
  }, 60_000);
});
