// The relay half of bench/consent: consents accepted by the portal and relayed on chain per minute,
// and the gas each costs, on a fresh anvil and an in-memory PGlite — the whole pipeline the portal
// runs (proof pipeline → outbox → ConsentRegistry.submitConsent), with real depth-20 proofs made
// beforehand in Node (their time is measured separately in bench/consent.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export type RelayFigures = {
  consents: number;
  acceptPerMinute: number;
  relayPerMinute: number;
  gasFirstDecision: number;
  gasLaterDecision: number;
  gasEnrolPerMember: number;
};

/** Enrols `count` participants, then times accepting and relaying a first and a second decision each. */
export async function benchRelay(count = 25): Promise<RelayFigures> {
  process.env.PGLITE_DIR = "memory://";
  process.env.DATABASE_URL = "";
  process.env.APP_ENV = "test";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-bench-consent-"));
  process.env.DATA_DIR = dir;
  process.env.AUTH_SECRET = "bench-secret-0123456789abcdef0123456789";

  const { Identity } = await import("@semaphore-protocol/core");
  const { startAnvil } = await import("@/lib/chain/anvil");
  const { deployLocalChain } = await import("@/lib/chain/deploy");
  const { ANVIL_DEV_KEY } = await import("@/lib/env");

  const anvil = await startAnvil({ silent: true });
  const deploymentsFile = path.join(dir, "deployments.json");
  await deployLocalChain({ rpcUrl: anvil.rpcUrl, file: deploymentsFile, privateKey: ANVIL_DEV_KEY });
  process.env.CHAIN_RPC_URL = anvil.rpcUrl;
  process.env.DEPLOYMENTS_FILE = deploymentsFile;

  const { getSessionUser } = await import("@/lib/auth/data");
  const { signUp } = await import("@/lib/auth/service");
  const { getChain } = await import("@/lib/chain/client");
  const { packConsentMessage } = await import("@/lib/consent/message");
  const { runConsentRelayOnce } = await import("@/lib/consent/relay");
  const service = await import("@/lib/consent/service");
  const { closeDatabase, migrationTarget } = await import("@/lib/db");
  const { applyMigrations } = await import("@/lib/migrate");
  const { createOrganization } = await import("@/lib/orgs/service");
  const { syncTrialsToChain } = await import("@/lib/registry/chain-sync");
  const { exampleTrialRecord } = await import("@/lib/registry/example");
  const { registerTrial, registrationMeaning } = await import("@/lib/registry/service");
  const { prove } = await import("@/scripts/test/proofs");

  try {
    await applyMigrations(migrationTarget());
    const relay = { chain: getChain, confirmations: 1 };
    const account = await signUp({ name: "Bench", email: "bench@example.org", password: "bench password long", accountType: "SPONSOR" });
    const user = await getSessionUser(account.id);
    if (!user) throw new Error("no user");
    const org = await createOrganization({ name: "Bench Sponsor", creator: user });
    const { registrationNumber } = await registerTrial({
      orgId: org.id,
      user,
      input: exampleTrialRecord,
      signature: { password: "bench password long", meaning: await registrationMeaning(org.id, exampleTrialRecord) },
    });
    await service.saveConsentItems({
      registrationNumber,
      items: [
        { text: "My data may be used for research on other diseases.", ifGranted: ["DUO:0000042"], ifWithheld: ["DUO:0000007"] },
        { text: "My data may be used by commercial companies.", ifGranted: [], ifWithheld: ["DUO:0000046"] },
      ],
      user,
    });
    const { codes } = await service.generateEnrolmentCodes({ registrationNumber, count, user });
    const people = codes.map(() => new Identity());
    for (const [i, code] of codes.entries()) await service.redeemEnrolmentCode({ code, commitment: people[i]?.commitment.toString() ?? "" });
    while ((await service.getConsentGroup(registrationNumber)).members.length < count) {
      await syncTrialsToChain(relay);
      await runConsentRelayOnce(relay);
    }
    const chain = await getChain();
    const group = await service.getConsentGroup(registrationNumber);
    const enrolEvents = await chain.contracts.ConsentRegistry.queryFilter(chain.contracts.ConsentRegistry.getEvent("Enrolled")(), 0);
    let enrolGas = 0n;
    for (const log of enrolEvents) enrolGas += (await chain.provider.getTransactionReceipt(log.transactionHash))?.gasUsed ?? 0n;

    const round = async (sequence: bigint) => {
      const proofs = [];
      for (const person of people) {
        proofs.push(await prove(person, group.members, packConsentMessage({ grants: sequence === 1n ? 0b11n : 0b01n, textVersion: 1, sequence }), group.scope));
      }
      const acceptStart = performance.now();
      for (const proof of proofs) await service.submitConsent({ registrationNumber, proof });
      const acceptSeconds = (performance.now() - acceptStart) / 1000;
      const relayStart = performance.now();
      for (;;) {
        await runConsentRelayOnce(relay);
        const events = await service.getConsentEvents(registrationNumber);
        if (events.filter((e) => e.sequence === sequence.toString()).every((e) => e.status === "RECORDED")) break;
      }
      const relaySeconds = (performance.now() - relayStart) / 1000;
      let gas = 0n;
      const events = (await service.getConsentEvents(registrationNumber)).filter((e) => e.sequence === sequence.toString());
      for (const e of events) gas += (await chain.provider.getTransactionReceipt(e.txHash ?? ""))?.gasUsed ?? 0n;
      return { acceptSeconds, relaySeconds, gasEach: Number(gas) / events.length };
    };
    const first = await round(1n);
    const second = await round(2n);
    return {
      consents: 2 * count,
      acceptPerMinute: (2 * count * 60) / (first.acceptSeconds + second.acceptSeconds),
      relayPerMinute: (2 * count * 60) / (first.relaySeconds + second.relaySeconds),
      gasFirstDecision: Math.round(first.gasEach),
      gasLaterDecision: Math.round(second.gasEach),
      gasEnrolPerMember: Math.round(Number(enrolGas) / count),
    };
  } finally {
    await closeDatabase();
    await anvil.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
