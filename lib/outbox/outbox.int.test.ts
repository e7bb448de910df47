// Two portal instances on one database and one chain, as two processes would be: each with its own
// chain client (so its own locally counted nonces) and its own name on the outbox lease, running
// every pump at the same time. The chain must show each write once, no transaction that reverted
// (a duplicate registration or anchor would), and no nonce refused.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Identity } from "@semaphore-protocol/core";
import { Interface, type TransactionResponse } from "ethers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listBatches } from "@/lib/anchoring/data";
import { queueForAnchoring } from "@/lib/anchoring/service";
import { runAnchoringOnce } from "@/lib/anchoring/worker";
import { getSessionUser } from "@/lib/auth/data";
import { signUp } from "@/lib/auth/service";
import { startAnvil, type AnvilProcess } from "@/lib/chain/anvil";
import { type Chain, connectChain } from "@/lib/chain/client";
import { deployLocalChain } from "@/lib/chain/deploy";
import { abis } from "@/lib/chain/generated/abis";
import { nextConsentVersionWrites } from "@/lib/consent/data";
import { runConsentRelayOnce } from "@/lib/consent/relay";
import { generateEnrolmentCodes, getConsentGroup, redeemEnrolmentCode, saveConsentItems } from "@/lib/consent/service";
import { ANVIL_DEV_KEY } from "@/lib/env";
import { findLatestAnchoredCheckpoint, findTreeState } from "@/lib/log/data";
import { recordLogEvents } from "@/lib/log/mutations";
import { runSequencerOnce } from "@/lib/log/sequencer";
import { toHex } from "@/lib/merkle";
import { type OutboxOptions, releaseOutbox } from "@/lib/outbox/runner";
import { witnessLogOnce } from "@/lib/outbox/witness";
import { createOrganization } from "@/lib/orgs/service";
import { syncTrialsToChain } from "@/lib/registry/chain-sync";
import { getTrialByNumber } from "@/lib/registry/data";
import { exampleTrialRecord } from "@/lib/registry/example";
import { dumpDatabase } from "@/scripts/test/database";
import { amendSigned, registerSigned } from "@/scripts/test/signing";
import { uniqueEmail } from "@/scripts/test/support";

const ITEMS = [{ text: "My data may be used for research on other diseases.", ifGranted: ["DUO:0000042"], ifWithheld: ["DUO:0000007"] }];

let anvil: AnvilProcess;
let dir: string;
const chains: Chain[] = [];
const lines: string[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-outbox-"));
  const deploymentsFile = path.join(dir, "deployments.json");
  // A chain of its own, so that no other test file's transactions (same relayer key) share its nonces.
  anvil = await startAnvil({ silent: true, chainId: 31_343 });
  await deployLocalChain({ rpcUrl: anvil.rpcUrl, file: deploymentsFile, privateKey: ANVIL_DEV_KEY });
  for (let i = 0; i < 2; i++) chains.push(await connectChain({ rpcUrl: anvil.rpcUrl, deploymentsFile, relayerKey: ANVIL_DEV_KEY }));
});

afterAll(async () => {
  for (const chain of chains) chain.provider.destroy();
  await anvil?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function instance(name: string, chain: Chain): OutboxOptions {
  return { chain: () => Promise.resolve(chain), confirmations: 1, holder: name, leaseMs: 5_000, log: (line) => lines.push(`${name} ${line}`) };
}

/** Every pump of one instance, side by side (as lib/outbox/pumps.ts runs them); returns what it confirmed. */
async function runEveryPump(opts: OutboxOptions): Promise<number> {
  const [anchoring, registry, consent] = await Promise.all([
    runAnchoringOnce({ ...opts, batchSize: 1000, maxAgeMs: 0 }),
    syncTrialsToChain(opts),
    runConsentRelayOnce(opts),
  ]);
  return anchoring.confirmed + registry + consent.published + consent.enrolled;
}

/** Runs both instances at once, round after round, until `done` holds (30 s at most). */
async function runBoth(a: OutboxOptions, b: OutboxOptions, done: () => Promise<boolean>): Promise<[number, number]> {
  const confirmed: [number, number] = [0, 0];
  const deadline = Date.now() + 30_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`the pumps did not finish; log:\n${lines.join("\n")}`);
    const [byA, byB] = await Promise.all([runEveryPump(a), runEveryPump(b)]);
    confirmed[0] += byA;
    confirmed[1] += byB;
  }
  return confirmed;
}

/** Every transaction the relayer sent on the test chain after deployment, decoded. */
async function relayerTransactions(chain: Chain, fromBlock: number) {
  const relayer = (await chain.relayer.getAddress()).toLowerCase();
  const head = await chain.provider.getBlockNumber();
  const sent: Array<{ tx: TransactionResponse; call: string; status: number | null }> = [];
  const interfaces = Object.values(abis).map((abi) => new Interface(abi));
  for (let n = fromBlock + 1; n <= head; n++) {
    const block = await chain.provider.getBlock(n, true);
    for (const tx of block?.prefetchedTransactions ?? []) {
      if (tx.from.toLowerCase() !== relayer) continue;
      const name = interfaces.map((i) => i.parseTransaction({ data: tx.data })).find((parsed) => parsed !== null)?.name ?? "?";
      sent.push({ tx, call: name, status: (await chain.provider.getTransactionReceipt(tx.hash))?.status ?? null });
    }
  }
  return sent;
}

describe("two instances on one database", () => {
  it("run every pump at once: each write reaches the chain once, with no nonce refused; the second takes over when the first stops", async () => {
    const [chainA, chainB] = chains;
    if (!chainA || !chainB) throw new Error("chains missing");
    const start = await chainA.provider.getBlockNumber();
    const a = instance("instance-a", chainA);
    const b = instance("instance-b", chainB);

    const user = await getSessionUser((await signUp({ name: "Outbox", email: uniqueEmail("outbox"), password: "long enough password", accountType: "SPONSOR" })).id);
    if (!user) throw new Error("user vanished");
    const org = await createOrganization({ name: "Outbox Test Sponsor", creator: user });
    const now = new Date("2043-02-01T00:00:00Z"); // a year of its own
    const clone = () => JSON.parse(JSON.stringify(exampleTrialRecord)) as typeof exampleTrialRecord;
    const first = await registerSigned({ orgId: org.id, user, input: clone(), now });
    const second = await registerSigned({ orgId: org.id, user, input: clone(), now });
    const amended = clone();
    amended.publicTitle = `${amended.publicTitle} (amended)`;
    await amendSigned({ registrationNumber: first.registrationNumber, user, input: amended, basedOnVersion: 1 });
    await saveConsentItems({ registrationNumber: first.registrationNumber, items: ITEMS, user });
    const { codes } = await generateEnrolmentCodes({ registrationNumber: first.registrationNumber, count: 3, user });
    const identities = codes.map(() => new Identity());
    for (const [i, code] of codes.entries()) await redeemEnrolmentCode({ code, commitment: identities[i]?.commitment.toString() ?? "" });
    await queueForAnchoring(Array.from({ length: 5 }, () => ({ digest: `0x${randomBytes(32).toString("hex")}`, kind: "file" as const })));

    const allOnChain = async () => {
      const trials = await Promise.all([first, second].map((t) => getTrialByNumber(t.registrationNumber)));
      const versions = trials.flatMap((t) => t?.versions ?? []);
      const batches = await listBatches();
      const group = await getConsentGroup(first.registrationNumber);
      // Every consent-text version not yet on chain, whenever due: none may be this trial's.
      const unpublished = await nextConsentVersionWrites(new Date(8.64e15), Number.MAX_SAFE_INTEGER);
      return (
        unpublished.every((write) => write.trial.registrationNumber !== first.registrationNumber) &&
        versions.length === 3 &&
        versions.every((v) => v.chainStatus === "CONFIRMED") &&
        batches.length > 0 &&
        batches.every((batch) => batch.status === "CONFIRMED") &&
        group.members.length === 3
      );
    };
    const [byA, byB] = await runBoth(a, b, allOnChain);

    // The holder stops cleanly (gives the lease up); new work goes to the other one at once.
    const [holder, other] = byA > 0 ? [a, b] : [b, a];
    await releaseOutbox(holder);
    await queueForAnchoring(Array.from({ length: 3 }, () => ({ digest: `0x${randomBytes(32).toString("hex")}`, kind: "file" as const })));
    const anchored = async () => (await listBatches()).every((batch) => batch.status === "CONFIRMED");
    const deadline = Date.now() + 30_000;
    while (!(await anchored()) && Date.now() < deadline) await runAnchoringOnce({ ...other, batchSize: 1000, maxAgeMs: 0 });
    expect(await anchored()).toBe(true);

    const sent = await relayerTransactions(chainA, start);
    const calls = sent.map((s) => s.call).sort();
    const batches = (await listBatches()).length;
    expect(calls.filter((c) => c === "registerTrial")).toHaveLength(2);
    expect(calls.filter((c) => c === "amendTrial")).toHaveLength(1);
    expect(calls.filter((c) => c === "publishConsentText")).toHaveLength(1);
    expect(calls.filter((c) => c === "anchorRoot")).toHaveLength(batches);
    expect(calls.filter((c) => c === "enrol").length).toBeGreaterThanOrEqual(1);
    // No write twice (a second identical call), none reverted, one nonce each, none refused.
    expect(new Set(sent.map((s) => s.tx.data)).size).toBe(sent.length);
    expect(sent.filter((s) => s.status !== 1)).toEqual([]);
    expect(new Set(sent.map((s) => s.tx.nonce)).size).toBe(sent.length);
    expect(lines.filter((line) => /nonce|replacement/i.test(line))).toEqual([]);
    // Each confirmed batch wrote its anchoring.batch-confirmed entry with its mark, naming its anchor.
    const entries = ((await dumpDatabase()).LogEntry ?? [])
      .map((row) => JSON.parse(row) as { kind: string; body: string })
      .filter((row) => row.kind === "anchoring.batch-confirmed")
      .map((row) => JSON.parse(Buffer.from(row.body.slice(2), "hex").toString("utf8")) as { details: { root: string; txHash: string } });
    const anchors = sent.filter((s) => s.call === "anchorRoot").map((s) => s.tx.hash);
    expect(entries.map((e) => e.details.txHash).sort()).toEqual(anchors.sort());
    expect(new Set(entries.map((e) => e.details.root))).toEqual(new Set((await listBatches()).map((batch) => batch.root)));
    // Because one instance held the lease and did everything while both ran; the other sent nothing.
    expect(Math.min(byA, byB)).toBe(0);
    expect(Math.max(byA, byB)).toBeGreaterThan(0);
  }, 120_000);

  it("the witness pump anchors the latest checkpoint by count or by age, each with a consistency proof LogWitness accepts", async () => {
    const [chain] = chains;
    if (!chain) throw new Error("chain missing");
    const opts = instance("witness", chain);
    const sign = async (size: number, root: Uint8Array) => `test\n${size}\n${Buffer.from(root).toString("base64")}\n`;
    const grow = async (n: number) => {
      const events = Array.from({ length: n }, (_, i) => ({
        kind: "org.created" as const,
        actor: { type: "system" as const, id: "witness-test" },
        subject: { type: "org", id: `o_${randomBytes(4).toString("hex")}_${i}` },
        details: { name: `Organisation ${i}` },
      }));
      await recordLogEvents(events);
      await runSequencerOnce({ holder: "witness-test", sign, leaseMs: 1 });
      return findTreeState();
    };
    const onChain = async () => {
      const [size, root] = await chain.contracts.LogWitness.latest();
      return { size: Number(size), root };
    };

    // Whatever the log holds already (other tests' entries) is anchored first, so counts start at 0.
    await grow(1);
    expect(await witnessLogOnce({ ...opts, count: 1, ageMs: 0 })).toBe(1);

    // By count: 5 entries wait, 10 are needed; then 12 are there.
    const small = await grow(5);
    expect(await witnessLogOnce({ ...opts, count: 10, ageMs: 3_600_000 })).toBe(0);
    const first = await grow(7);
    expect(first.size).toBe(small.size + 7);
    expect(await witnessLogOnce({ ...opts, count: 10, ageMs: 3_600_000 })).toBe(1);
    expect(await onChain()).toEqual({ size: first.size, root: toHex(first.root) });
    expect(await findLatestAnchoredCheckpoint()).toMatchObject({ size: first.size, anchor: { chainId: 31_343 } });
    // Nothing new: nothing sent.
    expect(await witnessLogOnce({ ...opts, count: 1, ageMs: 0 })).toBe(0);

    // By age: one entry, far below the count, waits longer than ageMs; the proof runs from the anchored size.
    const second = await grow(1);
    expect(await witnessLogOnce({ ...opts, count: 1_000, ageMs: 0 })).toBe(1);
    expect(await onChain()).toEqual({ size: second.size, root: toHex(second.root) });
    expect(await findLatestAnchoredCheckpoint()).toMatchObject({ size: second.size });
  }, 60_000);
});
