// The ConsentRecorded indexer against a chain started afresh under an old database (issue 8, point
// 14, review of its fix): two fresh anvils with the same chain id, deployer and steps put
// ConsentRegistry at the same address, in the same block, with the same transaction hash, so only
// the deployment block's hash tells them apart. Chains of their own (chain id 31340), so nothing
// here disturbs the run's shared anvil; only the indexer runs against them (with DATABASE_URL the
// database is shared with other files, whose rows a whole relay pass would try to send here).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { Identity } from "@semaphore-protocol/core";
import { afterAll, describe, expect, it } from "vitest";
import { getSessionUser } from "@/lib/auth/data";
import { signUp } from "@/lib/auth/service";
import { type AnvilProcess, startAnvil } from "@/lib/chain/anvil";
import { type Chain, connectChain } from "@/lib/chain/client";
import { deployLocalChain } from "@/lib/chain/deploy";
import { packConsentMessage } from "@/lib/consent/message";
import { type RelaySummary, indexDecisions } from "@/lib/consent/relay";
import { getConsentEvents, getConsentOverview } from "@/lib/consent/service";
import { ANVIL_DEV_KEY } from "@/lib/env";
import { createOrganization } from "@/lib/orgs/service";
import { exampleTrialRecord } from "@/lib/registry/example";
import { registerSigned } from "@/scripts/test/signing";
import { chainProof, prove, stopProver } from "@/scripts/test/proofs";
import { uniqueEmail } from "@/scripts/test/support";

const CHAIN_ID = 31_340;
const DIGEST = `0x${"ab".repeat(32)}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-consent-indexer-"));
const anvils: AnvilProcess[] = [];

afterAll(async () => {
  await stopProver();
  for (const anvil of anvils) await anvil.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function freshChain(): Promise<Chain> {
  const anvil = await startAnvil({ silent: true, chainId: CHAIN_ID });
  anvils.push(anvil);
  const deploymentsFile = path.join(dir, `deployments-${randomUUID()}.json`);
  await deployLocalChain({ rpcUrl: anvil.rpcUrl, file: deploymentsFile, privateKey: ANVIL_DEV_KEY });
  return connectChain({ rpcUrl: anvil.rpcUrl, deploymentsFile, relayerKey: ANVIL_DEV_KEY });
}

async function index(chain: Chain): Promise<RelaySummary> {
  const summary: RelaySummary = { published: 0, enrolled: 0, recorded: 0, rejected: 0, indexed: 0, failed: 0 };
  await indexDecisions({ chain: () => Promise.resolve(chain), confirmations: 1 }, summary);
  return summary;
}

describe("the ConsentRecorded indexer", () => {
  it("reads a fresh chain from its deployment block although an old chain's cursor lies past its head", async () => {
    // The old chain: indexed well past where the new chain's decision will be.
    const old = await freshChain();
    await old.provider.send("anvil_mine", ["0x40"]);
    expect(await index(old)).toMatchObject({ indexed: 0, failed: 0 });
    const oldDeployment = old.deployment.contracts.ConsentRegistry;
    const oldHead = await old.provider.getBlockNumber();
    // A chain identical to the second (same genesis timestamp) is the same chain: start the new one a second later at least.
    const genesis = (await old.provider.getBlock(0))?.timestamp ?? 0;
    while (Date.now() / 1000 < genesis + 1.1) await new Promise((resolve) => setTimeout(resolve, 100));
    old.provider.destroy();
    await anvils.shift()?.stop();

    const chain = await freshChain();
    const deployed = chain.deployment.contracts.ConsentRegistry;
    // What made the old key collide: same address, transaction and block.
    expect({ address: deployed.address, txHash: deployed.txHash, blockNumber: deployed.blockNumber }).toEqual({
      address: oldDeployment.address,
      txHash: oldDeployment.txHash,
      blockNumber: oldDeployment.blockNumber,
    });

    const account = await signUp({ name: "Indexer", email: uniqueEmail("indexer"), password: "long enough password", accountType: "SPONSOR" });
    const user = await getSessionUser(account.id);
    if (!user) throw new Error("no session");
    const org = await createOrganization({ name: `Indexer Sponsor ${randomUUID().slice(0, 8)}`, creator: user });
    const { registrationNumber } = await registerSigned({
      orgId: org.id,
      user,
      input: JSON.parse(JSON.stringify(exampleTrialRecord)) as unknown,
      now: new Date("2061-06-01T00:00:00Z"),
    });
    const { chainTrialId } = await getConsentOverview(registrationNumber);

    // On the new chain, sent straight to the contracts: a trial, its text, a group and one decision.
    const { TrialRegistry, ConsentRegistry } = chain.contracts;
    const members = [new Identity(), new Identity()];
    await (await TrialRegistry.registerTrial(chainTrialId, DIGEST)).wait();
    await (await ConsentRegistry.publishConsentText(chainTrialId, 1, DIGEST)).wait();
    await (await ConsentRegistry.enrol(chainTrialId, members.map((m) => m.commitment))).wait();
    const scope = await ConsentRegistry.consentScope(chainTrialId);
    const [alice] = members;
    if (!alice) throw new Error("no member");
    const proof = await prove(alice, members.map((m) => m.commitment), packConsentMessage({ grants: 1n, textVersion: 1, sequence: 1n }), scope);
    const tx = await ConsentRegistry.submitConsent(chainTrialId, chainProof(proof), { gasLimit: 1_000_000n });
    const receipt = await tx.wait();
    expect(receipt?.status).toBe(1);
    expect(receipt?.blockNumber).toBeLessThan(oldHead);

    expect(await index(chain)).toMatchObject({ indexed: 1, failed: 0 });
    expect(await getConsentEvents(registrationNumber)).toEqual([
      expect.objectContaining({ nullifier: proof.nullifier, status: "RECORDED", txHash: tx.hash, blockNumber: receipt?.blockNumber }),
    ]);
    chain.provider.destroy();
  });
});
