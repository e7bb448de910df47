// bench/log/gas — what the chain charges to witness the transparency log: the gas of one
// LogWitness.anchorCheckpoint at 1,000, 100,000 and 1,000,000 entries, measured on its own anvil
// (chain id 31348). The witness pump anchors by count or age, so each size is anchored from
// several earlier ones: one entry, 100 and 10,000 entries back, plus a first anchoring from the
// empty tree. Gas grows with the proof (one SHA-256 precompile call per hash, ≤ 2·log2 n hashes);
// the two storage slots dominate. Usage: npx tsx --conditions=react-server bench/log/gas.ts
import os from "node:os";
import { ContractFactory, Contract, Wallet } from "ethers";

const { startAnvil } = await import("@/lib/chain/anvil");
const { openProvider } = await import("@/lib/chain/client");
const { logWitnessAbi } = await import("@/lib/chain/generated/abis");
const bytecodeFile = (await import("@/lib/chain/generated/bytecode.json", { with: { type: "json" } })).default;
const { ANVIL_DEV_KEY } = await import("@/lib/env");
const { leafHash, proveTree, storedHashesForBatch, toHex, treeHash } = await import("@/lib/merkle");
type LogWitnessContract = import("@/lib/chain/generated/types").LogWitnessContract;

const SIZES = [1_000, 100_000, 1_000_000];
const BACK = [1, 100, 10_000];
const fmt = (n: number | bigint) => Number(n).toLocaleString("en");

// One log of a million entries, its hashes stored as the sequencer stores them (2n − popcount(n)).
const t0 = performance.now();
const max = Math.max(...SIZES);
const enc = new TextEncoder();
const leaves = Array.from({ length: max }, (_, i) => leafHash(enc.encode(`{"kind":"bench","i":${i}}`)));
const stored = await storedHashesForBatch(0, leaves, async () => []);
const read = async (indexes: number[]) => indexes.map((i) => stored[i] ?? new Uint8Array(32));
console.log(`built a log of ${fmt(max)} entries (${fmt(stored.length)} stored hashes) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const anvil = await startAnvil({ silent: true, chainId: 31348 });
const { provider } = await openProvider(anvil.rpcUrl);
try {
  const signer = new Wallet(ANVIL_DEV_KEY, provider);
  const deploy = async () => {
    const contract = await new ContractFactory(logWitnessAbi, bytecodeFile.contracts.LogWitness.bytecode, signer).deploy("bench.test/log");
    await contract.waitForDeployment();
    return new Contract(await contract.getAddress(), logWitnessAbi, signer) as unknown as LogWitnessContract;
  };
  /** Anchors oldSize → size on `witness` (which holds oldSize) and returns the gas and proof length. */
  const anchor = async (witness: LogWitnessContract, oldSize: number, size: number) => {
    const proof = (await proveTree(size, oldSize, read)).map(toHex);
    const tx = await witness.anchorCheckpoint(oldSize, size, toHex(await treeHash(size, read)), proof);
    const receipt = await tx.wait();
    if (!receipt || receipt.status !== 1) throw new Error(`anchoring ${oldSize} → ${size} failed`);
    return { gas: receipt.gasUsed, hashes: proof.length };
  };

  console.log(`\nLogWitness.anchorCheckpoint on anvil (${os.cpus().length} cores, node ${process.version})`);
  console.log(`  ${"entries".padStart(9)}  ${"from".padStart(9)}  ${"proof".padStart(6)}  ${"gas".padStart(8)}`);
  for (const size of SIZES) {
    const first = await anchor(await deploy(), 0, size);
    console.log(`  ${fmt(size).padStart(9)}  ${"0".padStart(9)}  ${String(first.hashes).padStart(6)}  ${fmt(first.gas).padStart(8)}  (first anchoring)`);
    for (const back of BACK.filter((b) => b < size)) {
      const witness = await deploy();
      await anchor(witness, 0, size - back);
      const { gas, hashes } = await anchor(witness, size - back, size);
      console.log(`  ${fmt(size).padStart(9)}  ${fmt(size - back).padStart(9)}  ${String(hashes).padStart(6)}  ${fmt(gas).padStart(8)}`);
    }
  }
  console.log("  (gas includes the 21,000 of a transaction and the calldata of the proof; the size,");
  console.log("   block and root slots are rewritten, never newly created after the first anchoring)");
} finally {
  provider.destroy();
  await anvil.stop();
}
process.exit(0);
