// The independent verifier, end to end: a file anchored by the worker on anvil verifies with the
// CLI, which asks only the chain; a copy with one byte changed, a tampered receipt and an
// untrusted contract are rejected.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anchorState, queueForAnchoring } from "@/lib/anchoring/service";
import { runAnchoringOnce } from "@/lib/anchoring/worker";
import { getChain } from "@/lib/chain/client";
import { sha256File } from "@/lib/verify/file-digest";

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-cli-"));
const file = path.join(dir, "protocol.pdf");
const receiptFile = path.join(dir, "receipt.json");
const rpc = process.env.CHAIN_RPC_URL ?? "";

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["scripts/trialledger.mjs", ...args], { env: { ...process.env, CHAIN_RPC_URL: "" } });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

beforeAll(async () => {
  fs.writeFileSync(file, Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(200_000, 7)]));
  const [item] = await queueForAnchoring([{ digest: await sha256File(file), kind: "file", subjectName: "protocol.pdf" }]);
  await runAnchoringOnce({ chain: getChain, batchSize: 1000, maxAgeMs: 0, confirmations: 1 });
  const state = await anchorState(item?.id ?? "");
  if (state.state !== "anchored") throw new Error("not anchored");
  fs.writeFileSync(receiptFile, JSON.stringify(state.receipt, null, 2));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("trialledger verify", () => {
  it("verifies an anchored file against the chain", async () => {
    const result = await cli("verify", file, "--receipt", receiptFile, "--rpc", rpc);
    expect(result.out).toContain("VERIFIED: this file existed no later than");
    expect(result.code).toBe(0);
  });

  it("rejects a copy with one byte changed", async () => {
    const copy = path.join(dir, "protocol-changed.pdf");
    const bytes = fs.readFileSync(file);
    bytes[100_000] = (bytes[100_000] ?? 0) ^ 1;
    fs.writeFileSync(copy, bytes);
    const result = await cli("verify", copy, "--receipt", receiptFile, "--rpc", rpc);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/NOT VERIFIED: .*the item was changed/);
  });

  it("rejects a receipt whose root was never anchored, and an untrusted contract", async () => {
    const receipt = JSON.parse(fs.readFileSync(receiptFile, "utf8")) as { root: string; path: string[]; treeSize: number };
    // A forged two-leaf tree with a made-up sibling: the proof holds, but the chain never saw that root.
    const { leafHash, nodeHash, toHex, fromHex } = await import("@/lib/anchoring/merkle");
    const sibling = fromHex(`0x${"ab".repeat(32)}`);
    const root = toHex(nodeHash(leafHash(fromHex(await sha256File(file))), sibling));
    const forged = { ...receipt, treeSize: 2, leafIndex: 0, path: [toHex(sibling)], root };
    const forgedFile = path.join(dir, "forged.json");
    fs.writeFileSync(forgedFile, JSON.stringify(forged));
    const result = await cli("verify", file, "--receipt", forgedFile, "--rpc", rpc);
    expect(result.code).toBe(1);
    expect(result.out).toContain("is not anchored");

    const untrusted = await cli("verify", file, "--receipt", receiptFile, "--rpc", rpc, "--contract", `0x${"12".repeat(20)}`);
    expect(untrusted.code).toBe(1);
    expect(untrusted.out).toContain("not the trusted");
  });

  it("explains its usage errors with exit code 2", async () => {
    const noReceipt = await cli("verify", file, "--rpc", rpc);
    expect(noReceipt.code).toBe(2);
    expect(noReceipt.out).toContain("a receipt is needed");
    const missing = await cli("verify", path.join(dir, "nope.pdf"), "--receipt", receiptFile);
    expect(missing.code).toBe(2);
    expect(missing.out).toContain("no such file");
  });
});
