// trialledger — independent verification, without the portal or its database.
//   trialledger verify <file> --receipt <receipt.json> [--rpc URL] [--contract 0x…]
// Hashes the file (SHA-256, streamed), checks the receipt's Merkle inclusion proof, then asks the
// chain (over --rpc, default $CHAIN_RPC_URL) whether the receipt's root is anchored as it says.
//   trialledger verify-trial <registration number> --rpc URL [--contract 0x…] [--portal URL]
// Reads the trial's version history from TrialRegistry (trialOf and its events) and checks it is
// one complete chain; with --portal, also checks each record the portal serves against the chain.
// Exit codes: 0 verified, 1 not verified, 2 usage or input error.
import fs from "node:fs";
import path from "node:path";
import { isAddress } from "ethers";
import { openProvider } from "@/lib/chain/rpc";
import { fromHex } from "@/lib/anchoring/merkle";
import { ReceiptError, checkReceiptProof, parseReceipt } from "@/lib/anchoring/receipt";
import { checkReceiptOnChain } from "@/lib/verify/chain-check";
import { sha256File } from "@/lib/verify/file-digest";
import { checkPortalRecords, fetchPortalRecords, readTrialFromChain } from "@/lib/verify/trial-chain";

const USAGE = `Usage: trialledger verify <file> --receipt <receipt.json> [--rpc URL] [--contract 0x…]
       trialledger verify-trial <registration number> [--rpc URL] [--contract 0x…] [--portal URL]

verify: checks that a file was anchored on chain as its receipt says.
  --receipt   the receipt the portal issued for the file (JSON, format: docs/receipt-format.md)
  --rpc       an EVM JSON-RPC endpoint of your choice (default: $CHAIN_RPC_URL)
  --contract  the TrialRegistry address you trust; the receipt must name it

verify-trial: checks a trial's registered versions on chain form one complete, unbroken chain.
  --contract  the TrialRegistry address you trust (default: the one recorded for the RPC's chain
              in $DEPLOYMENTS_FILE or .data/deployments.json, e.g. by npm start or contracts:deploy)
  --rpc       an EVM JSON-RPC endpoint of your choice (default: $CHAIN_RPC_URL)
  --portal    a portal (e.g. http://localhost:3000) whose records to check against the chain

Exit codes: 0 verified, 1 not verified, 2 usage or input error.`;

function usage(message?: string): never {
  if (message) console.error(`trialledger: ${message}\n`);
  console.error(USAGE);
  process.exit(2);
}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index === -1) return undefined;
  const value = args[index + 1];
  if (!value || value.startsWith("--")) usage(`${name} needs a value`);
  args.splice(index, 2);
  return value;
}

/** The one positional argument left once the options are taken out. */
function positional(args: string[], missing: string): string {
  const [value, ...rest] = args;
  if (!value || rest.length > 0) usage(rest.length > 0 ? `unexpected arguments: ${rest.join(" ")}` : missing);
  return value;
}

function notVerified(reason: string): number {
  console.log(`NOT VERIFIED: ${reason}`);
  return 1;
}

async function verify(args: string[]): Promise<number> {
  const receiptFile = option(args, "--receipt");
  const rpc = option(args, "--rpc") ?? process.env.CHAIN_RPC_URL;
  const contract = option(args, "--contract");
  const file = positional(args, "name the file to verify");
  if (!fs.existsSync(file)) usage(`no such file: ${file}`);
  const digest = await sha256File(file);
  console.log(`file     ${file}\nsha-256  ${digest}`);
  if (!receiptFile) usage("a receipt is needed to find the anchored root (--receipt)");
  if (!rpc) usage("name an RPC endpoint (--rpc or CHAIN_RPC_URL)");

  let receipt;
  try {
    receipt = parseReceipt(JSON.parse(fs.readFileSync(receiptFile, "utf8")) as unknown);
  } catch (error) {
    if (error instanceof ReceiptError || error instanceof SyntaxError) usage(`${receiptFile}: ${error.message}`);
    throw error;
  }
  const proof = checkReceiptProof(receipt, fromHex(digest));
  if (!proof.ok) return notVerified(proof.reason);
  console.log(`proof    the digest is leaf ${receipt.leafIndex} of ${receipt.treeSize} under root ${receipt.root}`);

  const { provider } = await openProvider(rpc, { timeoutMs: 10_000 });
  try {
    const chain = await checkReceiptOnChain({ provider, receipt, ...(contract ? { trustedContract: contract } : {}) });
    if (!chain.ok) return notVerified(chain.reason);
    console.log(
      `chain    root anchored by ${receipt.chain.contract} on chain ${receipt.chain.chainId} in block ${receipt.chain.blockNumber} (${chain.confirmations} confirmations)`,
    );
    console.log(`VERIFIED: this file existed no later than ${chain.anchoredAt.toISOString()}`);
    return 0;
  } finally {
    provider.destroy();
  }
}

/** The TrialRegistry recorded for `chainId` in the deployments file, if there is one. */
function recordedRegistry(chainId: number): string | undefined {
  const file = process.env.DEPLOYMENTS_FILE || path.join(process.cwd(), ".data", "deployments.json");
  try {
    const recorded = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, { contracts?: { TrialRegistry?: { address?: string } } }>;
    const address = recorded[String(chainId)]?.contracts?.TrialRegistry?.address;
    if (address && isAddress(address)) {
      console.log(`trusting the TrialRegistry recorded in ${file}`);
      return address;
    }
  } catch {
    // no deployments file: the caller asks for --contract
  }
  return undefined;
}

async function verifyTrial(args: string[]): Promise<number> {
  const rpc = option(args, "--rpc") ?? process.env.CHAIN_RPC_URL;
  const contract = option(args, "--contract");
  const portal = option(args, "--portal");
  const registrationNumber = positional(args, "name the trial's registration number").trim().toUpperCase();
  if (contract !== undefined && !isAddress(contract)) usage("--contract is not an address (0x and 40 hex digits)");
  if (!rpc) usage("name an RPC endpoint (--rpc or CHAIN_RPC_URL)");
  if (portal !== undefined && !URL.canParse(portal)) usage(`not a URL: ${portal}`);

  const { provider, chainId } = await openProvider(rpc, { timeoutMs: 10_000 });
  try {
    const trusted = contract ?? recordedRegistry(chainId);
    if (!trusted) {
      provider.destroy();
      usage(`name the TrialRegistry address you trust (--contract): none is recorded for chain ${chainId}`);
    }
    const chain = await readTrialFromChain({ provider, contract: trusted, registrationNumber });
    if (!chain.ok) return notVerified(chain.reason);
    console.log(`trial    ${registrationNumber} in TrialRegistry ${trusted.toLowerCase()} on chain ${chainId}`);
    for (const v of chain.versions) {
      console.log(`version  ${v.version}  ${v.digest}  ${v.blockTime.toISOString()}  (block ${v.blockNumber})`);
    }
    if (portal !== undefined) {
      const versions = chain.versions.map((v) => v.version);
      const served = await fetchPortalRecords({ portal, registrationNumber, versions }).catch((error: unknown) => error as Error);
      if (served instanceof Error) return notVerified(`the portal's records could not be fetched: ${served.message}`);
      const records = checkPortalRecords({ chain: chain.versions, ...served });
      if (!records.ok) return notVerified(records.reasons.join("; "));
      console.log(`portal   ${portal} serves each version's record with the digest the chain holds`);
    }
    const last = chain.versions.at(-1);
    console.log(`VERIFIED: ${chain.versions.length} version(s) on chain, one unbroken chain up to version ${last?.version} of ${last?.blockTime.toISOString()}`);
    return 0;
  } finally {
    provider.destroy();
  }
}

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  if (command === "verify") return verify(args);
  if (command === "verify-trial") return verifyTrial(args);
  if (command === "--help" || command === "-h") {
    console.log(USAGE);
    return 0;
  }
  return usage(command ? `unknown command: ${command}` : undefined);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`trialledger: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
