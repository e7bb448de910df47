// trialledger — independent verification, without the portal or its database.
//   trialledger verify <file> <receipt.json> [--rpc URL] [--contract 0x… | --deployments FILE | --portal URL]
// Hashes the file (SHA-256, streamed), checks the receipt's Merkle inclusion proof, then asks the
// chain (over --rpc, default $CHAIN_RPC_URL) whether the receipt's root is anchored as it says in
// the TrialRegistry the user trusts — never the one the receipt names on its own word: anyone can
// deploy a contract that gives the real one's answers. Receipt versions 1 and 2.
//   trialledger verify <manifest.json> <receipt.json> [--files DIR | <file> …] [trust options]
// A dataset release: the manifest against its receipt and the chain as above, then every file
// in DIR (or each file given) against the digest and size the manifest lists for its name.
//   trialledger verify-trial <registration number> --rpc URL [--contract 0x…] [--portal URL]
// Reads the trial's version history from TrialRegistry (trialOf and its events) and checks it is
// one complete chain; with --portal, also checks each record the portal serves against the chain.
//   trialledger log verify --portal URL --rpc URL [--witness 0x…] [--vkey KEY] [--state FILE] [--full]
// Checks the transparency log's signed checkpoint, its consistency with the checkpoint anchored in
// LogWitness on chain and with the one this machine saw last time, and (--full) recomputes the
// root from every entry bundle. Only the portal's public C2SP tiles API and the chain are asked.
//   trialledger log prove <index> --portal URL [--vkey KEY] [--state FILE] [--save FILE]
// Checks that entry <index> is in the log under its signed checkpoint, from the tiles, and that the
// portal's receipt for it (a C2SP tlog-proof) verifies.
//   trialledger log keygen <origin>
// Makes a log signing key (LOG_SIGNING_KEY) and prints its verifier key.
//   trialledger verify-visa <jwt | -> --portal URL
// Checks a GA4GH Passport visa the portal issued: its header (ES256, the visa typ, a jku under the
// portal) before anything is fetched, then its signature against the portal's JWKS, its issuer,
// expiry and ControlledAccessGrants claim (docs/visas.md).
//   trialledger verify-export <manifest.json> <file…> (--portal URL | --jwks FILE)
// Checks an export's signed manifest (its ES256 JWS against the portal's published keys, and that
// it signs this very manifest), then each file given against the digest and size the manifest lists
// for it: a plaintext file by its name, a Crypt4GH file as <name>.c4gh (docs/exports.md).
//   trialledger visa keygen
// Makes a visa signing key (VISA_SIGNING_KEY) and prints its kid and public key.
// Exit codes: 0 verified, 1 not verified, 2 usage or input error.
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isAddress } from "ethers";
import { openProvider } from "@/lib/chain/rpc";
import { fromHex } from "@/lib/merkle";
import { ReceiptError, checkReceiptProof, parseReceipt } from "@/lib/anchoring/receipt";
import { ManifestError, type ReleaseManifest, isCanonicalManifest, parseManifest } from "@/lib/datasets/manifest";
import { checkReceiptOnChain, deployedAddress } from "@/lib/verify/chain-check";
import { sha256File } from "@/lib/verify/file-digest";
import { describeManifest, describeSubject } from "@/lib/verify/subject";
import { checkPortalRecords, fetchPortalRecords, readTrialFromChain } from "@/lib/verify/trial-chain";
import {
  LogFetchError,
  LogVerifyError,
  checkConsistent,
  checkHead,
  logClient,
  proveEntry,
  readWitness,
  recomputeRoot,
  verifyReceipt,
  type TreeHead,
} from "@/lib/log/client";
import type { Checkpoint } from "@/lib/log/checkpoint";
import { NoteError, decodeBase64, encodeBase64, parseVerifierKey } from "@/lib/log/note";
import { generateSignerKey } from "@/lib/log/signing-key";
import { JWKS_PATH, VisaError, verifyVisa, visaHeader, type VerifiedVisa } from "@/lib/access/visa";
import { generateVisaKey, parseVisaKey } from "@/lib/access/visa-key";
import { ExportManifestError, checkExportFiles, verifyExportManifest } from "@/lib/exports/manifest";

const USAGE = `Usage: trialledger verify <file> <receipt.json> [--rpc URL] [--contract 0x… | --deployments FILE | --portal URL]
       trialledger verify <manifest.json> <receipt.json> [--files DIR | <file> …] [--rpc URL] [--contract … | --deployments … | --portal …]
       trialledger verify-trial <registration number> [--rpc URL] [--contract 0x…] [--portal URL]
       trialledger verify-visa <jwt | -> --portal URL
       trialledger verify-export <manifest.json> <file…> (--portal URL | --jwks FILE)

verify: checks that a file was anchored on chain as its receipt says (a trial record, a protocol,
  a dataset file, …). Given a dataset release's manifest and its receipt, also checks the release's
  files against the manifest: each one's SHA-256 and size.
  <receipt.json> the receipt the portal issued for the file (JSON, version 1 or 2, format:
                 docs/receipt-format.md); or give it as --receipt <receipt.json>
  --files        a folder holding the release's files under the names the manifest lists: every
                 listed file must be there and match (or name the files themselves after the receipt)
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

log verify: checks the portal's transparency log (C2SP checkpoint, tiles) against the chain and
  against the checkpoint this machine saw last time.
  --portal   the portal (e.g. https://trials.example.org)
  --rpc      an EVM JSON-RPC endpoint of your choice (default: $CHAIN_RPC_URL)
  --witness  the LogWitness contract you trust (default: the one pinned in the state file, else the
             one the portal names, pinned from then on)
  --vkey     the log's verifier key, <name>+<key ID>+<key> (default: the pinned one, else the one the
             portal publishes at /log/vkey, trusted on first use — over https or loopback only)
  --state    where the last checkpoint seen and the pinned key and contract are kept
             (default: ~/.trialledger/log-<portal host>.json)
  --full     also fetch every entry bundle and recompute the root (what a monitor does)

log prove <index>: checks that entry <index> is in the log, from the tiles; prints the entry, and
  checks the portal's receipt for it (a C2SP tlog-proof).
  --portal, --vkey, --state as for log verify
  --save     where to write the receipt (e.g. entry-42.tlog-proof)

log keygen <origin>: prints a new log signing key for LOG_SIGNING_KEY and its verifier key.

verify-visa <jwt>: checks a GA4GH Passport visa (a ControlledAccessGrants Visa Document Token) the
  portal issued, e.g. one of the list /api/ga4gh/passport gives; "-" reads it from standard input.
  --portal   the portal that issued it (its iss), over https (http only on loopback). The visa's
             jku must be under it, checked before the key set is fetched; the signature must be
             ES256 under the key its kid names, and the visa unexpired and asserted by a committee.

verify-export <manifest.json> <file…>: checks a consent-gated export: the manifest's signature
  against the portal's keys, then each file against the SHA-256 and size the manifest lists (a file
  named <name>.c4gh against the Crypt4GH ciphertext's). Every file given must be listed.
  --portal   the portal that made the export, over https (http only on loopback): its keys are
             fetched from <portal>/.well-known/jwks.json
  --jwks     or a file holding that key set (offline)

visa keygen: prints a new visa signing key for VISA_SIGNING_KEY (a private P-256 JWK) and its kid.

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

/**
 * 64 MiB: a manifest lists at most 10,000 files (lib/datasets/manifest.ts) with a dictionary of 500
 * columns — well under a few MiB. A larger "manifest" is some other file, and is not read whole.
 */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

type FileCheck = { ok: true; checked: number; listed: number } | { ok: false; reason: string };

/**
 * Checks files against a verified manifest: each file's SHA-256 and size must be the ones the
 * manifest lists under its name. With `dir`, every listed file must be in it; `extra` files are
 * matched to the manifest by their base name and must be listed.
 */
async function checkManifestFiles(manifest: ReleaseManifest, dir: string | undefined, extra: string[]): Promise<FileCheck> {
  const byName = new Map(manifest.files.map((file) => [file.name, file]));
  const targets: Array<{ path: string; name: string }> = [];
  if (dir !== undefined) {
    for (const file of manifest.files) {
      // A listed name is looked up in the folder only as a plain file name: "../x" or "a/b" names nothing there.
      if (path.basename(file.name) !== file.name || file.name === "." || file.name === "..") return { ok: false, reason: `the manifest lists “${file.name}”, which is not a plain file name` };
      targets.push({ path: path.join(dir, file.name), name: file.name });
    }
  }
  for (const given of extra) {
    const name = path.basename(given);
    if (!byName.has(name)) return { ok: false, reason: `${given}: the manifest lists no file named “${name}” (it lists ${manifest.files.map((f) => f.name).join(", ") || "no files"})` };
    const at = targets.findIndex((t) => t.name === name);
    if (at === -1) targets.push({ path: given, name });
    else targets[at] = { path: given, name };
  }
  const problems: string[] = [];
  for (const target of targets) {
    const listed = byName.get(target.name);
    if (!listed) continue;
    if (!fs.existsSync(target.path)) {
      problems.push(`${target.name} is missing from ${dir ?? "the files given"}`);
      console.log(`file     MISSING  ${target.name}`);
      continue;
    }
    const size = fs.statSync(target.path).size;
    const digest = await sha256File(target.path);
    if (digest === listed.digest && size === listed.size) {
      console.log(`file     ok       ${target.name}  ${digest}  ${size} bytes`);
      continue;
    }
    console.log(`file     CHANGED  ${target.name}  ${digest}  ${size} bytes`);
    problems.push(
      size !== listed.size
        ? `${target.path} has ${size} bytes, the manifest lists ${listed.size} for “${target.name}”: it is another file, or it was changed`
        : `${target.path} has SHA-256 ${digest}, the manifest lists ${listed.digest} for “${target.name}”: it is another file, or it was changed`,
    );
  }
  if (problems.length > 0) return { ok: false, reason: problems.join("; ") };
  return { ok: true, checked: targets.length, listed: manifest.files.length };
}

async function verify(args: string[]): Promise<number> {
  const receiptOption = option(args, "--receipt");
  const filesDir = option(args, "--files");
  const rpc = option(args, "--rpc") ?? process.env.CHAIN_RPC_URL;
  const source: TrustSource = { contract: option(args, "--contract"), deployments: option(args, "--deployments"), portal: option(args, "--portal") };
  const unknown = args.find((arg) => arg.startsWith("--"));
  if (unknown) usage(`unknown option: ${unknown}`);
  const [file, ...rest] = args;
  if (!file) usage("name the file to verify");
  // `verify <file> <receipt>`, or `verify <file> --receipt <receipt>`; further files only for a manifest.
  const receiptFile = receiptOption ?? rest.shift();
  const extraFiles = rest;
  const given = Object.entries(source).filter(([, value]) => value !== undefined);
  if (given.length > 1) usage(`trust one source of the TrialRegistry, not ${given.map(([name]) => `--${name}`).join(" and ")}`);
  if (source.contract !== undefined && !isAddress(source.contract)) usage("--contract is not an address (0x and 40 hex digits)");
  if (source.portal !== undefined && !URL.canParse(source.portal)) usage(`not a URL: ${source.portal}`);
  if (source.portal !== undefined && !trustablePortal(source.portal)) usage(`--portal must be an https URL (plain http only on loopback): ${source.portal}`);
  if (!fs.existsSync(file)) usage(`no such file: ${file}`);
  if (filesDir !== undefined && !fs.statSync(filesDir, { throwIfNoEntry: false })?.isDirectory()) usage(`--files: no such folder: ${filesDir}`);
  const digest = await sha256File(file);
  console.log(`file     ${file}\nsha-256  ${digest}`);
  if (!receiptFile) usage("a receipt is needed to find the anchored root (verify <file> <receipt.json>, or --receipt)");
  if (!rpc) usage("name an RPC endpoint (--rpc or CHAIN_RPC_URL)");

  let receipt;
  try {
    receipt = parseReceipt(JSON.parse(fs.readFileSync(receiptFile, "utf8")) as unknown);
  } catch (error) {
    if (error instanceof ReceiptError || error instanceof SyntaxError) usage(`${receiptFile}: ${error.message}`);
    throw error;
  }
  const label = describeSubject(receipt.subject);
  console.log(`receipt  version ${receipt.version}${label ? `, for ${label} (the receipt's label: not covered by the proof)` : ""}`);

  // A manifest receipt: the file must be the manifest, whose listed files can then be checked too.
  const isManifest = receipt.subject?.kind === "dataset-manifest";
  if (!isManifest && (filesDir !== undefined || extraFiles.length > 0)) {
    usage(`--files and further files go with a dataset manifest's receipt; this receipt is for ${receipt.subject?.kind ?? "an item without a kind"}${extraFiles.length > 0 ? ` (unexpected arguments: ${extraFiles.join(" ")})` : ""}`);
  }
  let manifest: ReleaseManifest | undefined;
  if (isManifest) {
    if (fs.statSync(file).size > MAX_MANIFEST_BYTES) return notVerified(`${file} is larger than ${MAX_MANIFEST_BYTES} bytes: it is not a dataset manifest`);
    const text = fs.readFileSync(file, "utf8");
    try {
      manifest = parseManifest(text);
    } catch (error) {
      if (!(error instanceof ManifestError)) throw error;
      return notVerified(`${file} is not a dataset release manifest: ${error.problems.join("; ")}`);
    }
    if (digest !== receipt.digest && !isCanonicalManifest(text)) {
      return notVerified(
        `the manifest's SHA-256 is ${digest}, but the receipt is for ${receipt.digest}; the file is not in canonical JSON form (was it reformatted?): use the manifest exactly as the portal serves it`,
      );
    }
  }
  const proof = checkReceiptProof(receipt, fromHex(digest));
  if (!proof.ok) return notVerified(isManifest ? proof.reason.replace("the item was changed", "the manifest was changed") : proof.reason);
  console.log(`proof    the digest is leaf ${receipt.leafIndex} of ${receipt.treeSize} under root ${receipt.root}`);

  const { provider, chainId } = await openProvider(rpc, { timeoutMs: 10_000 });
  let anchoredAt: Date;
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
    anchoredAt = chain.anchoredAt;
  } finally {
    provider.destroy();
  }

  if (!manifest) {
    const what = label && receipt.subject?.kind.startsWith("dataset-") ? ` (${label}, as the receipt labels it; the release's manifest lists its digest)` : "";
    console.log(`VERIFIED: this file existed no later than ${anchoredAt.toISOString()}${what}`);
    return 0;
  }
  console.log(`manifest ${describeManifest(manifest)}, “${manifest.dataset.title}”, trial ${manifest.trial.registrationNumber}; ${manifest.files.length} file(s); previous release ${manifest.previousDigest ?? "none"}`);
  const files = await checkManifestFiles(manifest, filesDir, extraFiles);
  if (!files.ok) return notVerified(files.reason);
  const checked =
    files.checked === 0
      ? "no files checked (give --files DIR or the files themselves to check them)"
      : files.checked === files.listed
        ? `all ${files.listed} listed file(s) match it`
        : `${files.checked} of its ${files.listed} listed files checked, and they match it`;
  console.log(`VERIFIED: this manifest is ${describeManifest(manifest)}, anchored no later than ${anchoredAt.toISOString()}; ${checked}`);
  return 0;
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

/** What `log verify` remembers about one portal's log between runs. */
type LogState = {
  origin: string;
  verifierKey: string;
  witness?: { chainId: number; contract: string } | undefined;
  /** The last checkpoint seen, as signed: evidence if a later one contradicts it. */
  checkpoint?: { size: number; root: string; note: string } | undefined;
};

function defaultStateFile(portal: string): string {
  return path.join(os.homedir(), ".trialledger", `log-${new URL(portal).host.replace(/[^A-Za-z0-9.-]/g, "_")}.json`);
}

function readState(file: string): LogState | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    const state = JSON.parse(fs.readFileSync(file, "utf8")) as LogState;
    if (typeof state.origin !== "string" || typeof state.verifierKey !== "string") throw new Error("no origin or verifier key");
    return state;
  } catch (error) {
    return usage(`the state file ${file} is not one this tool wrote (${error instanceof Error ? error.message : String(error)}); move it away to start afresh`);
  }
}

/** Written whole or not at all (a temporary file renamed over it), readable by its owner only. */
function writeState(file: string, state: LogState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
}

/** Both signed notes of an inconsistency, kept beside the state file for whoever investigates. */
function keepEvidence(stateFile: string, evidence: string[]): string | undefined {
  if (evidence.length === 0) return undefined;
  const file = `${stateFile}.evidence-${new Date().toISOString().replace(/[:.]/g, "-")}.txt`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, evidence.join("\n----\n"));
  return file;
}

function headOf(state: LogState["checkpoint"]): TreeHead | undefined {
  if (!state) return undefined;
  const root = decodeBase64(state.root);
  return root && root.length === 32 ? { size: state.size, root } : undefined;
}

type LogOptions = { portal: string; vkey?: string | undefined; stateFile: string };

function logOptions(args: string[]): LogOptions {
  const portal = option(args, "--portal");
  const vkey = option(args, "--vkey");
  const stateFile = option(args, "--state");
  if (!portal) usage("name the portal (--portal URL)");
  if (!URL.canParse(portal) || !/^https?:$/.test(new URL(portal).protocol)) usage(`not an http(s) URL: ${portal}`);
  if (vkey !== undefined) {
    try {
      parseVerifierKey(vkey);
    } catch (error) {
      usage(`--vkey: ${(error as Error).message}`);
    }
  }
  return { portal, vkey, stateFile: stateFile ?? defaultStateFile(portal) };
}

/**
 * The log's checkpoint, verified with the pinned (or given, or first-seen) key, and checked
 * consistent with the checkpoint seen last time. Returns the state to save.
 */
async function openLog(opts: LogOptions): Promise<{ client: ReturnType<typeof logClient>; checkpoint: Checkpoint; note: string; state: LogState }> {
  const client = logClient(opts.portal);
  const previous = readState(opts.stateFile);
  let verifierKey = opts.vkey ?? previous?.verifierKey;
  if (verifierKey === undefined) {
    // Trust on first use, like ssh: only where nobody on the path can swap the key.
    if (!trustablePortal(opts.portal)) usage(`give the log's verifier key (--vkey): ${opts.portal} is not https, so its /log/vkey could be anyone's`);
    verifierKey = await client.verifierKey();
    console.log(`key      ${verifierKey} (published by the portal; trusted on first use and pinned in ${opts.stateFile})`);
  } else if (opts.vkey !== undefined && previous && previous.verifierKey !== opts.vkey) {
    console.log(`key      ${opts.vkey} (given; replaces the pinned ${previous.verifierKey})`);
  } else {
    console.log(`key      ${verifierKey}${opts.vkey ? " (given)" : ` (pinned in ${opts.stateFile})`}`);
  }
  let verifier;
  try {
    verifier = parseVerifierKey(verifierKey);
  } catch (error) {
    if (error instanceof NoteError) usage(`the verifier key ${verifierKey}: ${error.message}`);
    throw error;
  }
  // tlog-checkpoint: the log's key name SHOULD be its origin, and the portal names its key so.
  const origin = previous && previous.verifierKey === verifierKey ? previous.origin : verifier.name;
  const { checkpoint, note } = await client.checkpoint([verifier], origin);
  checkHead(checkpoint, [note]);
  console.log(`log      ${origin}: ${checkpoint.size} entries, root ${toHexRoot(checkpoint.root)} (signature verified)`);

  const seen = headOf(previous?.checkpoint);
  let state: LogState = { ...previous, origin, verifierKey };
  if (seen && previous?.checkpoint && previous.origin === origin) {
    await checkConsistent(client, seen, checkpoint, [previous.checkpoint.note, note]);
    if (checkpoint.size < seen.size) {
      console.log(`history  NOTE: the portal serves ${checkpoint.size} entries, fewer than the ${seen.size} seen last time (consistent: a stale cache, or a log going back)`);
    } else {
      console.log(`history  consistent with the checkpoint seen last time (${seen.size} entries)`);
    }
  } else {
    console.log(`history  no earlier checkpoint of this log on this machine`);
  }
  if (!seen || checkpoint.size >= seen.size) state = { ...state, checkpoint: { size: checkpoint.size, root: encodeBase64(checkpoint.root), note } };
  return { client, checkpoint, note, state };
}

function toHexRoot(root: Uint8Array): string {
  return `0x${Buffer.from(root).toString("hex")}`;
}

async function logVerify(args: string[]): Promise<number> {
  const rpc = option(args, "--rpc") ?? process.env.CHAIN_RPC_URL;
  const witnessArg = option(args, "--witness");
  const full = args.includes("--full");
  if (full) args.splice(args.indexOf("--full"), 1);
  const opts = logOptions(args);
  if (args.length > 0) usage(`unexpected arguments: ${args.join(" ")}`);
  if (witnessArg !== undefined && !isAddress(witnessArg)) usage("--witness is not an address (0x and 40 hex digits)");
  if (!rpc) usage("name an RPC endpoint (--rpc or CHAIN_RPC_URL)");
  return reportLogErrors(opts.stateFile, () => checkLog(opts, rpc, witnessArg, full));
}

async function checkLog(opts: LogOptions, rpc: string, witnessArg: string | undefined, full: boolean): Promise<number> {
  const { client, checkpoint, note, state } = await openLog(opts);
  const { provider, chainId } = await openProvider(rpc, { timeoutMs: 10_000 });
  let next: LogState = state;
  try {
    let contract = witnessArg?.toLowerCase() ?? (state.witness?.chainId === chainId ? state.witness.contract : undefined);
    let from = witnessArg ? "--witness" : `pinned in ${opts.stateFile}`;
    if (state.witness && state.witness.chainId !== chainId && !witnessArg) {
      return notVerified(`the RPC is on chain ${chainId}, but this log was witnessed on chain ${state.witness.chainId} (give --witness to change)`);
    }
    if (!contract) {
      const info = await client.witnessInfo();
      if (!info.contract) return notVerified("the portal names no LogWitness contract, and none was given (--witness)");
      if (info.chainId !== chainId) return notVerified(`the portal's LogWitness is on chain ${info.chainId}, the RPC on chain ${chainId}`);
      contract = info.contract.toLowerCase();
      from = `named by the portal; pinned in ${opts.stateFile} from now on`;
    }
    next = { ...next, witness: { chainId, contract } };
    const anchored = await readWitness(provider, contract);
    console.log(`witness  LogWitness ${contract} on chain ${chainId} (${from})`);
    if (anchored.size === 0) {
      console.log("chain    nothing anchored yet");
    } else {
      await checkConsistent(client, anchored, checkpoint, [note]);
      const relation = anchored.size <= checkpoint.size ? "extends" : "is a prefix of";
      console.log(`chain    the checkpoint ${relation} the tree anchored in block ${anchored.blockNumber} (${anchored.size} entries, root ${toHexRoot(anchored.root)})`);
    }
    if (full) {
      await recomputeRoot(client, checkpoint);
      console.log(`entries  all ${checkpoint.size} entries fetched; they hash to the signed root, and every tile agrees with them`);
    }
  } finally {
    provider.destroy();
  }
  writeState(opts.stateFile, next);
  console.log(`VERIFIED: the log ${state.origin} of ${checkpoint.size} entries is signed by its key and consistent with the chain and with what this machine saw before`);
  return 0;
}

async function logProve(args: string[]): Promise<number> {
  const save = option(args, "--save");
  const opts = logOptions(args);
  const indexText = positional(args, "name the entry's index");
  if (!/^(0|[1-9][0-9]{0,15})$/.test(indexText) || !Number.isSafeInteger(Number(indexText))) usage(`not an entry index: ${indexText}`);
  const index = Number(indexText);
  return reportLogErrors(opts.stateFile, () => proveLogEntry(opts, index, save));
}

async function proveLogEntry(opts: LogOptions, index: number, save: string | undefined): Promise<number> {
  const { client, checkpoint, note, state } = await openLog(opts);
  if (index >= checkpoint.size) return notVerified(`the log has ${checkpoint.size} entries: there is no entry ${index} (yet)`);
  const { entry, leafHash } = await proveEntry(client, checkpoint, index);
  console.log(`entry    ${new TextDecoder().decode(entry)}`);
  console.log(`leaf     ${toHexRoot(leafHash)} (sha-256 of the entry: ${createHash("sha256").update(entry).digest("hex")})`);
  // The portal's receipt for it: checked offline, and its checkpoint against the one just verified.
  const receipt = await client.receipt(index);
  const verifier = parseVerifierKey(state.verifierKey);
  const opened = await verifyReceipt(receipt, entry, [verifier], state.origin);
  await checkConsistent(client, opened.checkpoint, checkpoint, [opened.note, note]);
  const anchor = opened.extra ? ` (extra, unauthenticated: ${new TextDecoder().decode(opened.extra)})` : "";
  console.log(`receipt  the portal's tlog-proof verifies: entry ${index} of a checkpoint of ${opened.checkpoint.size} entries${anchor}`);
  if (save) {
    fs.writeFileSync(save, receipt);
    console.log(`receipt  saved to ${save}`);
  }
  writeState(opts.stateFile, state);
  console.log(`VERIFIED: entry ${index} is in the log ${state.origin} of ${checkpoint.size} entries under its signed root`);
  return 0;
}

function logKeygen(args: string[]): number {
  const origin = positional(args, "name the log's origin, e.g. trials.example.org/log");
  if (/[\s+]/u.test(origin)) usage("an origin has no space and no '+'");
  const { signerKey, verifierKey } = generateSignerKey(origin);
  console.log(`LOG_ORIGIN=${origin}\nLOG_SIGNING_KEY=${signerKey}\n\nverifier key (publish it): ${verifierKey}`);
  return 0;
}

/** 64 KiB: the portal's key set holds one key of about 200 bytes; a few rotated keys fit many times over. */
const MAX_JWKS_BYTES = 64 * 1024;

/**
 * The key set at `jku`, which visaHeader already found under the portal. Redirects are refused:
 * one could lead off the portal after the check.
 * @throws Error when it cannot be fetched or is not a key set (cannot tell: exit 2)
 */
async function fetchJwks(jku: string): Promise<{ keys: Array<Record<string, unknown>> }> {
  const response = await fetch(jku, { redirect: "error", signal: AbortSignal.timeout(30_000), headers: { accept: "application/jwk-set+json, application/json" } });
  if (!response.ok) throw new Error(`GET ${jku} answered HTTP ${response.status}`);
  const text = await response.text();
  if (text.length > MAX_JWKS_BYTES) throw new Error(`${jku} is larger than ${MAX_JWKS_BYTES} bytes: not a key set`);
  const document = JSON.parse(text) as { keys?: unknown };
  if (!Array.isArray(document.keys)) throw new Error(`${jku} is not a JWKS (no "keys" list)`);
  return { keys: document.keys as Array<Record<string, unknown>> };
}

function describeVisa(v: VerifiedVisa): string[] {
  const at = (s: number) => new Date(s * 1000).toISOString();
  return [
    `visa     a ControlledAccessGrants visa (grant ${v.jti}), signed ES256 by key ${v.kid} of ${v.jku}`,
    `grants   account ${v.sub} access to ${v.visa.value}`,
    `by       the data-access committee ${v.visa.source} (by: ${v.visa.by}), decided ${at(v.visa.asserted)}`,
    `valid    issued ${at(v.iat)}, until ${at(v.exp)} (no new access after it; the portal may revoke the grant sooner)`,
  ];
}

async function verifyVisaCommand(args: string[]): Promise<number> {
  const portal = option(args, "--portal");
  const unknown = args.find((arg) => arg.startsWith("--"));
  if (unknown) usage(`unknown option: ${unknown}`);
  const given = positional(args, "give the visa (a JWT), or - to read it from standard input");
  if (portal === undefined) usage("--portal is needed: the portal that issued the visa (its iss)");
  if (!URL.canParse(portal)) usage(`not a URL: ${portal}`);
  if (!trustablePortal(portal)) usage(`--portal must be an https URL (plain http only on loopback): ${portal}`);
  const jwt = (given === "-" ? fs.readFileSync(0, "utf8") : given).trim();
  const issuer = portal.replace(/\/+$/, "");
  try {
    // The header first: a jku off the portal is never fetched.
    const { jku } = visaHeader(jwt, issuer);
    let jwks;
    try {
      jwks = await fetchJwks(jku);
    } catch (error) {
      return usage(`cannot tell: ${error instanceof Error ? error.message : String(error)}`);
    }
    const verified = await verifyVisa(jwt, { jwks, issuer });
    for (const line of describeVisa(verified)) console.log(line);
    console.log(`VERIFIED: a visa of ${issuer}, signed with the key it publishes, unexpired, asserted by its data-access committee`);
    return 0;
  } catch (error) {
    if (error instanceof VisaError) return notVerified(error.message);
    throw error;
  }
}

async function verifyExportCommand(args: string[]): Promise<number> {
  const portal = option(args, "--portal");
  const jwksFile = option(args, "--jwks");
  const unknown = args.find((arg) => arg.startsWith("--"));
  if (unknown) usage(`unknown option: ${unknown}`);
  const [manifestFile, ...files] = args;
  if (!manifestFile) usage("give the export's manifest.json, then its files");
  if (files.length === 0) usage("give the files to check beside the manifest");
  if ((portal === undefined) === (jwksFile === undefined)) usage("give the portal's keys: exactly one of --portal URL or --jwks FILE");
  if (portal !== undefined && (!URL.canParse(portal) || !trustablePortal(portal))) usage(`--portal must be an https URL (plain http only on loopback): ${portal}`);
  for (const file of [manifestFile, ...files]) if (!fs.existsSync(file)) usage(`no such file: ${file}`);
  let document: unknown;
  let jwks: { keys: Array<Record<string, unknown>> };
  try {
    document = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
    jwks = jwksFile ? (JSON.parse(fs.readFileSync(jwksFile, "utf8")) as { keys: Array<Record<string, unknown>> }) : await fetchJwks(`${portal!.replace(/\/+$/, "")}${JWKS_PATH}`);
    if (!Array.isArray(jwks.keys)) return usage("the key set holds no \"keys\" list");
  } catch (error) {
    return usage(`cannot tell: ${error instanceof Error ? error.message : String(error)}`);
  }
  let manifest;
  try {
    manifest = await verifyExportManifest(document, jwks);
  } catch (error) {
    if (error instanceof ExportManifestError) return notVerified(error.message);
    throw error;
  }
  console.log(`manifest  export ${manifest.export.number} of ${manifest.release.dataset} release ${manifest.release.number} under ${manifest.grant.request}, consent as of block ${manifest.consent.blockNumber} (chain ${manifest.consent.chainId}, ConsentRegistry ${manifest.consent.registry}); signature verified`);
  const checks = await checkExportFiles(manifest, files);
  for (const check of checks) console.log(`${check.ok ? "ok" : "FAILED"}  ${check.says}`);
  const failed = checks.filter((c) => !c.ok);
  if (failed.length) return notVerified(`${failed.length} of ${checks.length} files do not match the signed manifest`);
  console.log(`VERIFIED: the manifest is signed by the portal, and all ${checks.length} files match it`);
  return 0;
}

async function visaCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "keygen") return usage(sub ? `unknown visa command: ${sub}` : "visa keygen");
  if (rest.length > 0) usage(`unexpected arguments: ${rest.join(" ")}`);
  const { signingKey, kid } = await generateVisaKey();
  const { publicJwk } = await parseVisaKey(signingKey);
  console.log(`VISA_SIGNING_KEY='${signingKey}'\n\nkid: ${kid}\npublic key (served at /.well-known/jwks.json): ${JSON.stringify(publicJwk)}`);
  return 0;
}

/**
 * Runs a log check: a LogVerifyError is "not verified" (exit 1, with the contradicting signed
 * checkpoints kept as evidence), a LogFetchError "cannot tell" (exit 2).
 */
async function reportLogErrors(stateFile: string, check: () => Promise<number>): Promise<number> {
  try {
    return await check();
  } catch (error) {
    if (error instanceof LogFetchError) return usage(`cannot tell: ${error.message}`);
    if (!(error instanceof LogVerifyError)) throw error;
    const kept = keepEvidence(stateFile, error.evidence.length > 1 ? error.evidence : []);
    return notVerified(`${error.message}${kept ? ` (both signed checkpoints kept in ${kept})` : ""}`);
  }
}

async function logCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "verify") return logVerify(rest);
  if (sub === "prove") return logProve(rest);
  if (sub === "keygen") return logKeygen(rest);
  return usage(sub ? `unknown log command: ${sub}` : "log verify, log prove or log keygen");
}

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  if (command === "verify") return verify(args);
  if (command === "verify-trial") return verifyTrial(args);
  if (command === "log") return logCommand(args);
  if (command === "verify-visa") return verifyVisaCommand(args);
  if (command === "visa") return visaCommand(args);
  if (command === "verify-export") return verifyExportCommand(args);
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
