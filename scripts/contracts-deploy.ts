// `npm run contracts:deploy` — deploys TrialLedger's contracts to any EVM network and records them
// in the deployments file (DEPLOYMENTS_FILE, default .data/deployments.json), under the chain id.
// Needs CHAIN_RPC_URL and DEPLOYER_PRIVATE_KEY; waits CHAIN_CONFIRMATIONS per transaction. When
// RELAYER_PRIVATE_KEY is set, its account is made a relayer of TrialRegistry and ConsentRegistry and
// a writer of LogWitness (the deployer, their owner, is the only one at first), so the portal can
// write with it.
// Contracts already recorded and still on the chain with today's code are reused, so running it
// again is safe and resumes an interrupted deployment. The portal itself never deploys to a
// network other than its own local anvil: it refuses to start until this has been run.
import { formatEther, Wallet } from "ethers";
import { openProvider, redactRpcUrl } from "@/lib/chain/client";
import { authorizeRelayer, ensureDeployment, RELAYER_GATED } from "@/lib/chain/deploy";
import { envOrExit } from "@/lib/env";

function fail(message: string): never {
  console.error(`\ncontracts:deploy: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const config = envOrExit("contracts:deploy: the configuration is invalid.");
  const missing = [
    !config.CHAIN_RPC_URL && "CHAIN_RPC_URL (the network's JSON-RPC endpoint)",
    !config.DEPLOYER_PRIVATE_KEY && "DEPLOYER_PRIVATE_KEY (0x-prefixed key of a funded account that pays for the deployment)",
  ].filter((m): m is string => Boolean(m));
  if (missing.length > 0 || !config.CHAIN_RPC_URL || !config.DEPLOYER_PRIVATE_KEY) {
    fail(`set ${missing.join(" and ")}.\nExample: CHAIN_RPC_URL=https://… DEPLOYER_PRIVATE_KEY=0x… npm run contracts:deploy`);
  }

  const { provider, chainId } = await openProvider(config.CHAIN_RPC_URL);
  try {
    const signer = new Wallet(config.DEPLOYER_PRIVATE_KEY, provider);
    const balance = await provider.getBalance(signer.address);
    console.log(
      `chain ${chainId} at ${redactRpcUrl(config.CHAIN_RPC_URL)}; deployer ${signer.address} (balance ${formatEther(balance)}); ` +
        `${config.CHAIN_CONFIRMATIONS} confirmation(s) per transaction`,
    );
    if (balance === 0n) fail(`the deployer ${signer.address} has no funds on chain ${chainId}`);

    const deployment = await ensureDeployment({
      provider,
      signer,
      file: config.deploymentsFile,
      allowDeploy: true,
      confirmations: config.CHAIN_CONFIRMATIONS,
      log: (line) => console.log(line),
    });
    // The registries let their deployer write; the portal writes with RELAYER_PRIVATE_KEY, which must be allowed too.
    const gated = RELAYER_GATED.join(", ");
    if (config.RELAYER_PRIVATE_KEY) {
      const relayer = new Wallet(config.RELAYER_PRIVATE_KEY).address;
      const sent = await authorizeRelayer({
        owner: signer,
        contracts: deployment.contracts,
        relayer,
        confirmations: config.CHAIN_CONFIRMATIONS,
      });
      console.log(`relayer ${relayer} ${sent ? "is now allowed" : "was already allowed"} to write to ${gated}`);
    } else {
      console.log(`RELAYER_PRIVATE_KEY is not set, so no relayer was added to ${gated} (their deployer may write from the start)`);
    }
    for (const [name, entry] of Object.entries(deployment.contracts)) {
      const reused = !deployment.newlyDeployed.includes(name as (typeof deployment.newlyDeployed)[number]);
      console.log(`  ${name.padEnd(20)} ${entry.address}  block ${entry.blockNumber}${reused ? "  (reused)" : ""}`);
    }
    console.log(
      deployment.newlyDeployed.length > 0
        ? `recorded in ${config.deploymentsFile}`
        : `everything was already deployed (${config.deploymentsFile})`,
    );
  } finally {
    provider.destroy();
  }
}

main().catch((error: unknown) => {
  const short = (error as { shortMessage?: unknown }).shortMessage;
  fail(typeof short === "string" ? short : error instanceof Error ? error.message : String(error));
});
