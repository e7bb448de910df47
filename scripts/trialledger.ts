// trialledger — independent verification, without the portal or its database.
//   trialledger verify <file> --receipt <receipt.json> [--rpc URL] [--contract 0x…]
// Hashes the file (SHA-256, streamed), checks the receipt's Merkle inclusion proof, then asks the
// chain (over --rpc, default $CHAIN_RPC_URL) whether the receipt's root is anchored as it says.
// Exit codes: 0 verified, 1 not verified, 2 usage or input error.
import fs from "node:fs";
import { JsonRpcProvider, Network } from "ethers";
import { fromHex } from "@/lib/anchoring/merkle";
import { ReceiptError, checkReceiptProof, parseReceipt } from "@/lib/anchoring/receipt";
import { checkReceiptOnChain } from "@/lib/verify/chain-check";
import { sha256File } from "@/lib/verify/file-digest";

const USAGE = `Usage: trialledger verify <file> --receipt <receipt.json> [--rpc URL] [--contract 0x…]

  --receipt   the receipt the portal issued for the file (JSON, format: docs/receipt-format.md)
  --rpc       an EVM JSON-RPC endpoint of your choice (default: $CHAIN_RPC_URL)
  --contract  the TrialRegistry address you trust; the receipt must name it`;

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

async function verify(args: string[]): Promise<number> {
  const receiptFile = option(args, "--receipt");
  const rpc = option(args, "--rpc") ?? process.env.CHAIN_RPC_URL;
  const contract = option(args, "--contract");
  const [file, ...rest] = args;
  if (!file || rest.length > 0) usage(rest.length > 0 ? `unexpected arguments: ${rest.join(" ")}` : "name the file to verify");
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
  if (!proof.ok) {
    console.log(`NOT VERIFIED: ${proof.reason}`);
    return 1;
  }
  console.log(`proof    the digest is leaf ${receipt.leafIndex} of ${receipt.treeSize} under root ${receipt.root}`);

  const provider = new JsonRpcProvider(rpc, Network.from(receipt.chain.chainId), { staticNetwork: true });
  try {
    const chain = await checkReceiptOnChain({ provider, receipt, ...(contract ? { trustedContract: contract } : {}) });
    if (!chain.ok) {
      console.log(`NOT VERIFIED: ${chain.reason}`);
      return 1;
    }
    console.log(
      `chain    root anchored by ${receipt.chain.contract} on chain ${receipt.chain.chainId} in block ${receipt.chain.blockNumber} (${chain.confirmations} confirmations)`,
    );
    console.log(`VERIFIED: this file existed no later than ${chain.anchoredAt.toISOString()}`);
    return 0;
  } finally {
    provider.destroy();
  }
}

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  if (command === "verify") return verify(args);
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
