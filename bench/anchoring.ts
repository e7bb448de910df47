// bench/anchoring — what batching buys: 10,000 digests anchored in batches of ANCHOR_BATCH_SIZE
// (1,000) beside one transaction per digest, measured on 100 digests in the same run; then the
// median time to verify a receipt (inclusion proof + asking the contract for the root) over 1,000.
// Runs on its own anvil and an in-memory PGlite. Usage: npm run bench:anchoring
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

process.env.PGLITE_DIR = "memory://";
process.env.DATABASE_URL = "";
process.env.APP_ENV = "test";

const { listBatches } = await import("@/lib/anchoring/data");
const { fromHex } = await import("@/lib/merkle");
const { checkReceiptProof } = await import("@/lib/anchoring/receipt");
const { anchorState, queueForAnchoring } = await import("@/lib/anchoring/service");
const { runAnchoringOnce } = await import("@/lib/anchoring/worker");
const { startAnvil } = await import("@/lib/chain/anvil");
const { connectChain } = await import("@/lib/chain/client");
const { deployLocalChain } = await import("@/lib/chain/deploy");
const { closeDatabase, migrationTarget } = await import("@/lib/db");
const { ANVIL_DEV_KEY } = await import("@/lib/env");
const { applyMigrations } = await import("@/lib/migrate");

const BATCHED = 10_000;
const SINGLE = 100;
const VERIFY = 1_000;

const digests = (n: number) => Array.from({ length: n }, () => ({ digest: `0x${randomBytes(32).toString("hex")}`, kind: "file" as const }));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-bench-anchor-"));
const anvil = await startAnvil({ silent: true });
try {
  const deploymentsFile = path.join(dir, "deployments.json");
  await deployLocalChain({ rpcUrl: anvil.rpcUrl, file: deploymentsFile, privateKey: ANVIL_DEV_KEY });
  const chain = await connectChain({ rpcUrl: anvil.rpcUrl, deploymentsFile, relayerKey: ANVIL_DEV_KEY });
  await applyMigrations(migrationTarget());

  type Run = { transactions: number; gas: bigint; seconds: number };
  const measure = async (count: number, batchSize: number): Promise<{ run: Run; ids: string[] }> => {
    const before = new Set((await listBatches()).map((b) => b.id));
    const started = performance.now();
    const items = await queueForAnchoring(digests(count));
    for (;;) {
      const step = await runAnchoringOnce({ chain: () => Promise.resolve(chain), batchSize, maxAgeMs: 0, confirmations: 1 });
      if (step.built === 0 && step.confirmed === 0) break;
    }
    const seconds = (performance.now() - started) / 1000;
    const batches = (await listBatches()).filter((b) => !before.has(b.id));
    let gas = 0n;
    for (const batch of batches) {
      if (batch.status !== "CONFIRMED" || !batch.txHash) throw new Error(`batch ${batch.id} is ${batch.status}`);
      gas += (await chain.provider.getTransactionReceipt(batch.txHash))?.gasUsed ?? 0n;
    }
    return { run: { transactions: batches.length, gas, seconds }, ids: items.map((i) => i.id) };
  };

  const batched = await measure(BATCHED, 1000);
  const single = await measure(SINGLE, 1);

  // Verification: the receipt's inclusion proof, then the contract's record of the root.
  const sample = batched.ids.slice(0, VERIFY);
  const times: number[] = [];
  for (const id of sample) {
    const state = await anchorState(id);
    if (state.state !== "anchored") throw new Error(`${id} not anchored`);
    const t0 = performance.now();
    const proof = checkReceiptProof(state.receipt, fromHex(state.receipt.digest));
    const [blockNumber, , leafCount] = await chain.contracts.TrialRegistry.anchorOf(state.receipt.root);
    if (!proof.ok || Number(blockNumber) !== state.receipt.chain.blockNumber || Number(leafCount) !== state.receipt.treeSize) {
      throw new Error(`receipt ${id} did not verify`);
    }
    times.push(performance.now() - t0);
  }

  const perDigest = (r: Run, n: number) => Number(r.gas) / n;
  const fmt = (n: number) => Math.round(n).toLocaleString("en");
  console.log(`\nAnchoring on anvil (${os.cpus().length} cores, node ${process.version})`);
  console.log(`  batched:    ${fmt(BATCHED)} digests → ${batched.run.transactions} transactions, gas ${fmt(Number(batched.run.gas))} (${fmt(perDigest(batched.run, BATCHED))} per digest), ${batched.run.seconds.toFixed(2)} s wall`);
  console.log(`  one per tx: ${fmt(SINGLE)} digests → ${single.run.transactions} transactions, gas ${fmt(Number(single.run.gas))} (${fmt(perDigest(single.run, SINGLE))} per digest), ${single.run.seconds.toFixed(2)} s wall`);
  console.log(`  gas per digest, one-per-tx ÷ batched: ${(perDigest(single.run, SINGLE) / perDigest(batched.run, BATCHED)).toFixed(0)}×`);
  console.log(`  wall time per digest, one-per-tx ÷ batched: ${(single.run.seconds / SINGLE / (batched.run.seconds / BATCHED)).toFixed(0)}×`);
  console.log(`  verify a receipt (proof + anchorOf on chain): median ${median(times).toFixed(2)} ms over ${VERIFY}`);
  chain.provider.destroy();
} finally {
  await closeDatabase();
  await anvil.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
