import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkReceiptProof } from "@/lib/anchoring/receipt";
import { fromHex } from "@/lib/merkle";
import { listBatches } from "@/lib/anchoring/data";
import { anchorState, queueForAnchoring } from "@/lib/anchoring/service";
import { SimulatedCrash, type WorkerOptions, reconcileAnchors, runAnchoringOnce } from "@/lib/anchoring/worker";
import { startAnvil } from "@/lib/chain/anvil";
import { type Chain, connectChain, getChain } from "@/lib/chain/client";
import { deployLocalChain } from "@/lib/chain/deploy";
import { ANVIL_DEV_KEY } from "@/lib/env";
import { checkReceiptOnChain } from "@/lib/verify/chain-check";

const digest = () => `0x${randomBytes(32).toString("hex")}`;
const options = (overrides: Partial<WorkerOptions> = {}): WorkerOptions => ({
  chain: getChain,
  batchSize: 1000,
  maxAgeMs: 0,
  confirmations: 1,
  ...overrides,
});

async function queue(n: number) {
  return queueForAnchoring(Array.from({ length: n }, () => ({ digest: digest(), kind: "file" as const })));
}

async function receiptsOf(items: Array<{ id: string }>) {
  return Promise.all(
    items.map(async (item) => {
      const state = await anchorState(item.id);
      if (state.state !== "anchored") throw new Error(`item ${item.id} is ${state.state}`);
      return state.receipt;
    }),
  );
}

async function anchorEvents(chain: Chain, root: string): Promise<number> {
  const registry = chain.contracts.TrialRegistry;
  return (await registry.queryFilter(registry.getEvent("RootAnchored")(root), 0)).length;
}

describe("anchoring worker", () => {
  it("anchors queued digests as one root in one transaction, with receipts that verify", async () => {
    const items = await queue(5);
    expect((await anchorState(items[0]?.id ?? "")).state).toBe("pending");
    expect(await runAnchoringOnce(options())).toEqual({ built: 1, confirmed: 1, failed: 0, reorganised: 0 });

    const receipts = await receiptsOf(items);
    const root = receipts[0]?.root ?? "";
    expect(new Set(receipts.map((r) => r.root))).toEqual(new Set([root]));
    expect(new Set(receipts.map((r) => r.chain.transaction)).size).toBe(1);
    receipts.forEach((receipt, i) => {
      expect(receipt.treeSize).toBe(5);
      expect(checkReceiptProof(receipt, fromHex(items[i]?.digest ?? ""))).toEqual({ ok: true });
    });
    const chain = await getChain();
    const [blockNumber, blockTime, leafCount] = await chain.contracts.TrialRegistry.anchorOf(root);
    expect(Number(leafCount)).toBe(5);
    expect(Number(blockNumber)).toBe(receipts[0]?.chain.blockNumber);
    expect(new Date(Number(blockTime) * 1000).toISOString().replace(".000Z", "Z")).toBe(receipts[0]?.chain.blockTime);
  });

  it("waits for a full batch or for the oldest digest's age", async () => {
    const first = await queue(3);
    expect(await runAnchoringOnce(options({ batchSize: 10, maxAgeMs: 3_600_000 }))).toEqual({ built: 0, confirmed: 0, failed: 0, reorganised: 0 });
    const rest = await queue(7);
    expect(await runAnchoringOnce(options({ batchSize: 10, maxAgeMs: 3_600_000 }))).toMatchObject({ built: 1, confirmed: 1 });
    expect((await receiptsOf([...first, ...rest])).every((r) => r.treeSize === 10)).toBe(true);

    // By age: one digest, batch size 10, due once it is older than 1.5 s (wide enough that a loaded
    // machine cannot make the first run late; 50 ms was seen to flake with the whole tier running).
    const lone = await queue(1);
    expect(await runAnchoringOnce(options({ batchSize: 10, maxAgeMs: 1_500 }))).toMatchObject({ built: 0 });
    await new Promise((r) => setTimeout(r, 1_600));
    expect(await runAnchoringOnce(options({ batchSize: 10, maxAgeMs: 1_500 }))).toMatchObject({ built: 1, confirmed: 1 });
    expect((await receiptsOf(lone))[0]?.treeSize).toBe(1);
  });

  it("a worker killed after broadcasting, before recording it, anchors exactly once after a restart", async () => {
    const items = await queue(3);
    const crash = options({ leaseMs: 200, hooks: { afterBroadcast: () => Promise.reject(new SimulatedCrash("killed")) } });
    await expect(runAnchoringOnce(crash)).rejects.toBeInstanceOf(SimulatedCrash);
    expect((await anchorState(items[0]?.id ?? "")).state).toBe("pending"); // BUILT: the send was never recorded
    await new Promise((r) => setTimeout(r, 250)); // the dead worker's lease runs out

    expect(await runAnchoringOnce(options())).toMatchObject({ confirmed: 1, failed: 0 });
    const receipts = await receiptsOf(items);
    const chain = await getChain();
    expect(await anchorEvents(chain, receipts[0]?.root ?? "")).toBe(1);
  });

  it("a worker killed between sending and confirming anchors every digest exactly once after a restart", async () => {
    const items = await queue(4);
    const crash = options({ leaseMs: 200, hooks: { afterRecordSent: () => Promise.reject(new SimulatedCrash("killed")) } });
    await expect(runAnchoringOnce(crash)).rejects.toBeInstanceOf(SimulatedCrash);
    expect((await anchorState(items[0]?.id ?? "")).state).toBe("sent");
    await new Promise((r) => setTimeout(r, 250));

    expect(await runAnchoringOnce(options())).toMatchObject({ built: 0, confirmed: 1, failed: 0 });
    const receipts = await receiptsOf(items);
    expect(new Set(receipts.map((r) => r.root)).size).toBe(1);
    expect(await anchorEvents(await getChain(), receipts[0]?.root ?? "")).toBe(1);
    // Nothing left to do, nothing sent twice.
    expect(await runAnchoringOnce(options())).toEqual({ built: 0, confirmed: 0, failed: 0, reorganised: 0 });
  });

  it("with the chain stopped, digests queue, and anchor once it is back", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-anchor-down-"));
    const stateFile = path.join(dir, "state.json");
    const deploymentsFile = path.join(dir, "deployments.json");
    // Its own chain id: the shared anvil's contracts sit at the same addresses (see StartAnvilOptions.chainId).
    let anvil = await startAnvil({ stateFile, silent: true, chainId: 31_339 });
    const port = Number(new URL(anvil.rpcUrl).port);
    try {
      await deployLocalChain({ rpcUrl: anvil.rpcUrl, file: deploymentsFile, privateKey: ANVIL_DEV_KEY });
      const rpcUrl = anvil.rpcUrl;
      const chain = () => connectChain({ rpcUrl, deploymentsFile, relayerKey: ANVIL_DEV_KEY });
      await anvil.stop();

      const items = await queue(2);
      expect(await runAnchoringOnce(options({ chain }))).toMatchObject({ built: 1, confirmed: 0, failed: 1 });
      const waiting = await anchorState(items[0]?.id ?? "");
      expect(waiting).toMatchObject({ state: "pending", lastError: expect.stringMatching(/cannot reach the chain/) as unknown });
      // Backing off: an immediate second run does not hammer the dead chain.
      expect(await runAnchoringOnce(options({ chain }))).toEqual({ built: 0, confirmed: 0, failed: 0, reorganised: 0 });

      anvil = await startAnvil({ stateFile, port, silent: true, chainId: 31_339 });
      await new Promise((r) => setTimeout(r, 1_100)); // the first backoff is 1 s
      expect(await runAnchoringOnce(options({ chain }))).toMatchObject({ confirmed: 1, failed: 0 });
      const receipts = await receiptsOf(items);
      const back = await chain();
      const [, , leafCount] = await back.contracts.TrialRegistry.anchorOf(receipts[0]?.root ?? "");
      expect(Number(leafCount)).toBe(2);
      back.provider.destroy();
    } finally {
      await anvil.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a digest queued again after it was anchored shares the first anchor instead of failing every run", async () => {
    // A repeated submission: the same digest alone in a batch gives the same one-leaf root.
    const repeated = digest();
    const [first] = await queueForAnchoring([{ digest: repeated, kind: "file" }]);
    expect(await runAnchoringOnce(options())).toMatchObject({ built: 1, confirmed: 1, failed: 0 });
    const [again] = await queueForAnchoring([{ digest: repeated, kind: "file" }]);
    expect(await runAnchoringOnce(options())).toEqual({ built: 0, confirmed: 0, failed: 0, reorganised: 0 });

    const [before, after] = await receiptsOf([first ?? { id: "" }, again ?? { id: "" }]);
    expect(after).toMatchObject({ root: before?.root, treeSize: 1, leafIndex: 0, path: [], chain: before?.chain });
    expect(checkReceiptProof(after!, fromHex(repeated))).toEqual({ ok: true });
    const chain = await getChain();
    const trustedContract = chain.deployment.contracts.TrialRegistry.address;
    expect(await checkReceiptOnChain({ provider: chain.provider, receipt: after!, trustedContract })).toMatchObject({ ok: true });
    expect(await anchorEvents(chain, after?.root ?? "")).toBe(1);
    expect(await runAnchoringOnce(options())).toEqual({ built: 0, confirmed: 0, failed: 0, reorganised: 0 });
  });

  it("an anchor whose block the chain loses is withheld, anchored again, and its receipts reissued; deep enough, it settles", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-anchor-reorg-"));
    const deploymentsFile = path.join(dir, "deployments.json");
    // A chain of its own (and its own chain id), so reverting it cannot disturb the test files that
    // share the run's anvil at the same time.
    const anvil = await startAnvil({ silent: true, chainId: 31_338 });
    try {
      await deployLocalChain({ rpcUrl: anvil.rpcUrl, file: deploymentsFile, privateKey: ANVIL_DEV_KEY });
      // One client for the whole test, as getChain() is one per process: its locally counted nonce
      // must survive the reorganisation.
      const connected = await connectChain({ rpcUrl: anvil.rpcUrl, deploymentsFile, relayerKey: ANVIL_DEV_KEY });
      const chain = () => Promise.resolve(connected);
      const provider = connected.provider;
      const reorgOptions = options({ chain, confirmTimeoutMs: 5_000, finalityDepth: 3 });
      const trustedContract = connected.deployment.contracts.TrialRegistry.address;

      const snapshot = (await provider.send("evm_snapshot", [])) as string;
      const items = await queue(3);
      expect(await runAnchoringOnce(reorgOptions)).toMatchObject({ built: 1, confirmed: 1, failed: 0, reorganised: 0 });
      const before = await receiptsOf(items);
      const lost = before[0]!;
      expect(await checkReceiptOnChain({ provider, receipt: lost, trustedContract })).toMatchObject({ ok: true });

      // The chain loses the anchoring block; another block takes its height.
      expect(await provider.send("evm_revert", [snapshot])).toBe(true);
      // No block at that height yet: the RPC cannot say (as one behind cannot), nothing is reopened.
      expect(await reconcileAnchors(reorgOptions)).toBe(0);
      expect((await anchorState(items[0]?.id ?? "")).state).toBe("anchored");
      await provider.send("evm_mine", []);
      expect(await checkReceiptOnChain({ provider, receipt: lost, trustedContract })).toMatchObject({ ok: false });

      expect(await reconcileAnchors(reorgOptions)).toBe(1);
      const withheld = await anchorState(items[0]?.id ?? "");
      expect(withheld).toMatchObject({ state: "sent", lastError: expect.stringMatching(/no longer on chain 31338/) as unknown });

      expect(await runAnchoringOnce(reorgOptions)).toMatchObject({ confirmed: 1, failed: 0, reorganised: 0 });
      const reissued = await receiptsOf(items);
      for (const [i, receipt] of reissued.entries()) {
        expect(receipt.root).toBe(lost.root);
        expect(receipt.chain.blockNumber).toBeGreaterThan(lost.chain.blockNumber);
        expect(checkReceiptProof(receipt, fromHex(items[i]?.digest ?? ""))).toEqual({ ok: true });
        expect(await checkReceiptOnChain({ provider, receipt, trustedContract })).toMatchObject({ ok: true });
      }
      expect(await anchorEvents(connected, lost.root)).toBe(1);

      // Re-checked while shallow, settled once 3 deep and at or below anvil's finalized block.
      const batchOf = async () => (await listBatches()).find((batch) => batch.root === lost.root);
      expect(await runAnchoringOnce(reorgOptions)).toMatchObject({ reorganised: 0 });
      expect((await batchOf())?.settledAt).toBeNull();
      await provider.send("anvil_mine", ["0x50"]); // 80 blocks: anvil finalizes 64 behind the head
      expect(await runAnchoringOnce(reorgOptions)).toMatchObject({ reorganised: 0 });
      expect(await batchOf()).toMatchObject({ settledAt: expect.any(Date) as unknown, reorgs: 1, blockHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) as unknown });
      provider.destroy();
    } finally {
      await anvil.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it("an anchoring transaction the chain drops before it is confirmed is sent again with a nonce the chain accepts", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-anchor-dropped-"));
    const deploymentsFile = path.join(dir, "deployments.json");
    const anvil = await startAnvil({ silent: true, chainId: 31_341 });
    try {
      await deployLocalChain({ rpcUrl: anvil.rpcUrl, file: deploymentsFile, privateKey: ANVIL_DEV_KEY });
      // One client throughout, as getChain() is one per process: its locally counted nonce is the point.
      const connected = await connectChain({ rpcUrl: anvil.rpcUrl, deploymentsFile, relayerKey: ANVIL_DEV_KEY });
      const chain = () => Promise.resolve(connected);
      const provider = connected.provider;
      const snapshot = (await provider.send("evm_snapshot", [])) as string;
      const items = await queue(2);
      // Two confirmations and no block after the anchoring one: the batch stays SENT.
      expect(await runAnchoringOnce(options({ chain, confirmations: 2, confirmTimeoutMs: 500 }))).toMatchObject({ built: 1, confirmed: 0, failed: 0 });
      expect((await anchorState(items[0]?.id ?? "")).state).toBe("sent");

      // The chain loses the block holding the anchoring transaction before it was confirmed.
      expect(await provider.send("evm_revert", [snapshot])).toBe(true);
      const reanchor = options({ chain, confirmTimeoutMs: 5_000 });
      expect(await runAnchoringOnce(reanchor)).toMatchObject({ confirmed: 1, failed: 0 });
      const [receipt] = await receiptsOf(items);
      const trustedContract = connected.deployment.contracts.TrialRegistry.address;
      expect(await checkReceiptOnChain({ provider, receipt: receipt!, trustedContract })).toMatchObject({ ok: true });
      expect(await runAnchoringOnce(reanchor)).toEqual({ built: 0, confirmed: 0, failed: 0, reorganised: 0 });
      provider.destroy();
    } finally {
      await anvil.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it("a digest anchored on one chain, queued again after the portal moved to another, is anchored on the new chain", async () => {
    const repeated = digest();
    const [first] = await queueForAnchoring([{ digest: repeated, kind: "file" }]);
    expect(await runAnchoringOnce(options())).toMatchObject({ built: 1, confirmed: 1, failed: 0 });

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-anchor-moved-"));
    const deploymentsFile = path.join(dir, "deployments.json");
    const anvil = await startAnvil({ silent: true, chainId: 31_342 });
    try {
      await deployLocalChain({ rpcUrl: anvil.rpcUrl, file: deploymentsFile, privateKey: ANVIL_DEV_KEY });
      const connected = await connectChain({ rpcUrl: anvil.rpcUrl, deploymentsFile, relayerKey: ANVIL_DEV_KEY });
      const moved = options({ chain: () => Promise.resolve(connected) });
      const [again] = await queueForAnchoring([{ digest: repeated, kind: "file" }]);
      expect(await runAnchoringOnce(moved)).toMatchObject({ built: 1, confirmed: 1, failed: 0 });
      const [before, after] = await receiptsOf([first ?? { id: "" }, again ?? { id: "" }]);
      expect(after?.root).toBe(before?.root);
      expect(before?.chain.chainId).toBe(31_337);
      expect(after?.chain.chainId).toBe(31_342);
      const trustedContract = connected.deployment.contracts.TrialRegistry.address;
      expect(await checkReceiptOnChain({ provider: connected.provider, receipt: after!, trustedContract })).toMatchObject({ ok: true });
      connected.provider.destroy();
    } finally {
      await anvil.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
