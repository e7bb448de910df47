// trialledger — independent verification, without the portal or its database.
//   trialledger verify <file> --receipt <receipt.json> [--rpc URL] [--contract 0x… | --deployments FILE | --portal URL]
// Hashes the file (SHA-256, streamed), checks the receipt's Merkle inclusion proof, then asks the
// chain (over --rpc, default $CHAIN_RPC_URL) whether the receipt's root is anchored as it says in
// the TrialRegistry the user trusts — never the one the receipt names on its own word: anyone can
// deploy a contract that gives the real one's answers.
//   trialledger verify-trial <registration number> --rpc URL [--contract 0x…] [--portal URL]
// Reads the trial's version history from TrialRegistry (trialOf and its events) and checks it is
// one complete chain; with --portal, also checks each record the portal serves against the chain.
// Exit codes: 0 verified, 1 not verified, 2 usage or input error.
import fs from "node:fs";
import { isAddress } from "ethers";
import { openProvider } from "@/lib/chain/rpc";
import { fromHex } from "@/lib/merkle";
import { ReceiptError, checkReceiptProof, parseReceipt } from "@/lib/anchoring/receipt";
import { checkReceiptOnChain, deployedAddress } from "@/lib/verify/chain-check";
import { sha256File } from "@/lib/verify/file-digest";
import { checkPortalRecords, fetchPortalRecords, readTrialFromChain } from "@/lib/verify/trial-chain";

const USAGE = `Usage: trialledger verify <file> --receipt <receipt.json> [--rpc URL] [--contract 0x… | --deployments FILE | --portal URL]
       trialledger verify-trial <registration number> [--rpc URL] [--contract 0x…] [--portal URL]

verify: checks that a file was anchored on chain as its receipt says.
  --receipt      the receipt the portal issued for the file (JSON, format: docs/receipt-format.md)
  --rpc          an EVM JSON-RPC endpoint of your choice (default: $CHAIN_RPC_URL)
  The TrialRegistry to trust (the receipt must name it), from one of:
  --contract     its address
  --deployments  a deployments file (e.g. .data/deployments.json, written by npm start or
                 contracts:deploy; default: $DEPLOYMENTS_FILE, and only when it is set)
  --portal       a portal over https (e.g. https://trials.example.org; http only on loopback)
                 that publishes its deployments at /api/deployments
  A receipt alone does not say which contract to trust, nor does a file that merely lies in the
  current directory (it may have come with the receipt): with none of these, verify refuses.

verify-trial: checks a trial's registered versions on chain form one complete, unbroken chain.
  --contract  the TrialRegistry address you trust (default: the one recorded for the RPC's chain
              in $DEPLOYMENTS_FILE, when it is set, e.g. to .data/deployments.json)
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

/** Where the trusted TrialRegistry comes from: exactly one of --contract, --deployments, --portal. */
type TrustSource = { contract?: string | undefined; deployments?: string | undefined; portal?: string | undefined };

/**
 * The default deployments file: $DEPLOYMENTS_FILE, only when the user set it. Never
 * ./.data/deployments.json unasked: a bundle (file, receipt and a .data/deployments.json naming a
 * copycat contract) unpacked and verified in place would vouch for itself (review point 4).
 */
function defaultDeploymentsFile(): string | undefined {
  return process.env.DEPLOYMENTS_FILE || undefined;
}

/**
 * Whether `portal` may be trusted to name the contract: https, or plain http to this machine only
 * (a portal under development). Over plain http anyone on the path could name a copycat contract.
 */
function trustablePortal(portal: string): boolean {
  const url = new URL(portal);
  if (url.protocol === "https:") return true;
  return url.protocol === "http:" && (url.hostname === "localhost" || url.hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(url.hostname));
}

/**
 * The TrialRegistry address to trust on `chainId`, and where it came from; null (with why) when the
 * source does not list one. Never the receipt's: it would vouch for itself.
 * @throws Error when the portal or the named deployments file cannot be read
 */
async function trustedRegistry(source: TrustSource, chainId: number): Promise<{ address: string; from: string } | { address: null; why: string }> {
  if (source.contract) return { address: source.contract.toLowerCase(), from: "--contract" };
  if (source.portal) {
    const url = `${source.portal.replace(/\/+$/, "")}/api/deployments`;
    const response = await fetch(url, { signal: AbortSignal.timeout(30_000), headers: { accept: "application/json" } });
    if (!response.ok) throw new Error(`GET ${url} answered HTTP ${response.status}`);
    const address = deployedAddress(await response.json(), chainId, "TrialRegistry");
    return address ? { address, from: url } : { address: null, why: `${url} lists no TrialRegistry on chain ${chainId}` };
  }
  const file = source.deployments ?? defaultDeploymentsFile();
  if (file === undefined) return { address: null, why: "none was given, and DEPLOYMENTS_FILE is not set" };
  let document: unknown;
  try {
    document = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    // Only the default file may be absent: a file the user named must be there.
    if (source.deployments) throw new Error(`cannot read the deployments file ${file}: ${error instanceof Error ? error.message : String(error)}`);
    return { address: null, why: `no --contract, --deployments or --portal, and no deployments file at ${file}` };
  }
  const address = deployedAddress(document, chainId, "TrialRegistry");
  return address ? { address, from: file } : { address: null, why: `${file} records no TrialRegistry on chain ${chainId}` };
}

async function verify(args: string[]): Promise<number> {
  const receiptFile = option(args, "--receipt");
  const rpc = option(args, "--rpc") ?? process.env.CHAIN_RPC_URL;
  const source: TrustSource = { contract: option(args, "--contract"), deployments: option(args, "--deployments"), portal: option(args, "--portal") };
  const file = positional(args, "name the file to verify");
  const given = Object.entries(source).filter(([, value]) => value !== undefined);
  if (given.length > 1) usage(`trust one source of the TrialRegistry, not ${given.map(([name]) => `--${name}`).join(" and ")}`);
  if (source.contract !== undefined && !isAddress(source.contract)) usage("--contract is not an address (0x and 40 hex digits)");
  if (source.portal !== undefined && !URL.canParse(source.portal)) usage(`not a URL: ${source.portal}`);
  if (source.portal !== undefined && !trustablePortal(source.portal)) usage(`--portal must be an https URL (plain http only on loopback): ${source.portal}`);
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

  const { provider, chainId } = await openProvider(rpc, { timeoutMs: 10_000 });
  try {
    const trusted = await trustedRegistry(source, chainId).catch((error: unknown) => {
      provider.destroy();
      return usage(error instanceof Error ? error.message : String(error));
    });
    if (trusted.address === null) {
      provider.destroy();
      usage(`name the TrialRegistry you trust (--contract, --deployments or --portal): ${trusted.why}. The receipt's own contract (${receipt.chain.contract}) proves nothing by itself`);
    }
    console.log(`trust    TrialRegistry ${trusted.address} on chain ${chainId} (from ${trusted.from})`);
    const chain = await checkReceiptOnChain({ provider, receipt, trustedContract: trusted.address });
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

/** The TrialRegistry recorded for `chainId` in $DEPLOYMENTS_FILE, if it is set and lists one. */
function recordedRegistry(chainId: number): string | undefined {
  const file = defaultDeploymentsFile();
  if (file === undefined) return undefined;
  let address: string | null = null;
  try {
    address = deployedAddress(JSON.parse(fs.readFileSync(file, "utf8")), chainId, "TrialRegistry");
  } catch {
    // no deployments file: the caller asks for --contract
  }
  if (!address) return undefined;
  console.log(`trusting the TrialRegistry recorded in ${file}`);
  return address;
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
      usage(`name the TrialRegistry address you trust (--contract): none is recorded for chain ${chainId} in DEPLOYMENTS_FILE (${defaultDeploymentsFile() ?? "not set"})`);
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
