// The independent verifier, end to end: a file anchored by the worker on anvil verifies with the
// CLI, which asks only the chain; a copy with one byte changed, a tampered receipt and an
// untrusted contract are rejected. A registered and amended trial verifies with verify-trial from
// the chain alone; its records are checked against the chain's digests.
import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { ContractFactory, HDNodeWallet } from "ethers";
import solc from "solc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as deploymentsRoute from "@/app/api/deployments/route";
import { anchorState, queueForAnchoring } from "@/lib/anchoring/service";
import { runAnchoringOnce } from "@/lib/anchoring/worker";
import { getSessionUser } from "@/lib/auth/data";
import { signUp } from "@/lib/auth/service";
import { getChain } from "@/lib/chain/client";
import { createOrganization } from "@/lib/orgs/service";
import { syncTrialsToChain } from "@/lib/registry/chain-sync";
import { getTrialByNumber, getVersionCanonical } from "@/lib/registry/data";
import { exampleTrialRecord } from "@/lib/registry/example";
import { amendSigned, registerSigned } from "@/scripts/test/signing";
import { sha256File } from "@/lib/verify/file-digest";
import { checkPortalRecords, readTrialFromChain } from "@/lib/verify/trial-chain";
import { handlerMeta } from "@/lib/handler";
import { uniqueEmail } from "@/scripts/test/support";

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-cli-"));
const file = path.join(dir, "protocol.pdf");
const receiptFile = path.join(dir, "receipt.json");
const rpc = process.env.CHAIN_RPC_URL ?? "";

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  return cliWith({}, ...args);
}

async function cliWith(env: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string }> {
  return cliIn(process.cwd(), env, ...args);
}

async function cliIn(cwd: string, env: Record<string, string>, ...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const cli = path.resolve("scripts/trialledger.mjs");
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd, env: { ...process.env, CHAIN_RPC_URL: "", ...env } });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

beforeAll(async () => {
  fs.writeFileSync(file, Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(200_000, 7)]));
  const [item] = await queueForAnchoring([{ digest: await sha256File(file), kind: "file", subjectName: "protocol.pdf" }]);
  await runAnchoringOnce({ chain: getChain, batchSize: 1000, maxAgeMs: 0, confirmations: 1 });
  const state = await anchorState(item?.id ?? "");
  if (state.state !== "anchored") throw new Error("not anchored");
  fs.writeFileSync(receiptFile, JSON.stringify(state.receipt, null, 2));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("trialledger verify", () => {
  it("verifies an anchored file against the chain", async () => {
    const result = await cli("verify", file, "--receipt", receiptFile, "--rpc", rpc);
    expect(result.out).toContain("VERIFIED: this file existed no later than");
    expect(result.code).toBe(0);
  });

  it("rejects a copy with one byte changed", async () => {
    const copy = path.join(dir, "protocol-changed.pdf");
    const bytes = fs.readFileSync(file);
    bytes[100_000] = (bytes[100_000] ?? 0) ^ 1;
    fs.writeFileSync(copy, bytes);
    const result = await cli("verify", copy, "--receipt", receiptFile, "--rpc", rpc);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/NOT VERIFIED: .*the item was changed/);
  });

  it("rejects a receipt whose root was never anchored, and an untrusted contract", async () => {
    const receipt = JSON.parse(fs.readFileSync(receiptFile, "utf8")) as { root: string; path: string[]; treeSize: number };
    // A forged two-leaf tree with a made-up sibling: the proof holds, but the chain never saw that root.
    const { leafHash, nodeHash, toHex, fromHex } = await import("@/lib/merkle");
    const sibling = fromHex(`0x${"ab".repeat(32)}`);
    const root = toHex(nodeHash(leafHash(fromHex(await sha256File(file))), sibling));
    const forged = { ...receipt, treeSize: 2, leafIndex: 0, path: [toHex(sibling)], root };
    const forgedFile = path.join(dir, "forged.json");
    fs.writeFileSync(forgedFile, JSON.stringify(forged));
    const result = await cli("verify", file, "--receipt", forgedFile, "--rpc", rpc);
    expect(result.code).toBe(1);
    expect(result.out).toContain("is not anchored");

    const untrusted = await cli("verify", file, "--receipt", receiptFile, "--rpc", rpc, "--contract", `0x${"12".repeat(20)}`);
    expect(untrusted.code).toBe(1);
    expect(untrusted.out).toContain("not the trusted");
  });

  it("explains its usage errors with exit code 2", async () => {
    const noReceipt = await cli("verify", file, "--rpc", rpc);
    expect(noReceipt.code).toBe(2);
    expect(noReceipt.out).toContain("a receipt is needed");
    const missing = await cli("verify", path.join(dir, "nope.pdf"), "--receipt", receiptFile);
    expect(missing.code).toBe(2);
    expect(missing.out).toContain("no such file");
  });
});

describe("trialledger verify-trial", () => {
  let number = "";
  let contract = "";

  beforeAll(async () => {
    const signedUp = await signUp({ name: "cli sponsor", email: uniqueEmail("cli-sponsor"), password: "long enough password", accountType: "SPONSOR" });
    const user = await getSessionUser(signedUp.id);
    if (!user) throw new Error("user vanished");
    const org = await createOrganization({ name: "CLI Test Sponsor", creator: user });
    // A year no other test registers in: test files share one anvil, and the on-chain id is the number's hash.
    const now = new Date("2047-06-01T00:00:00Z");
    const record = JSON.parse(JSON.stringify(exampleTrialRecord)) as typeof exampleTrialRecord;
    const trial = await registerSigned({ orgId: org.id, user, input: record, now });
    number = trial.registrationNumber;
    await amendSigned({ registrationNumber: number, user, input: { ...record, targetSampleSize: record.targetSampleSize + 5 }, basedOnVersion: 1 });
    // One version per trial per run: version 2 reaches the contract on the second.
    await syncTrialsToChain({ chain: getChain, confirmations: 1 });
    await syncTrialsToChain({ chain: getChain, confirmations: 1 });
    const stored = await getTrialByNumber(number);
    if (stored?.versions.some((v) => v.chainStatus !== "CONFIRMED")) throw new Error("trial versions not on chain");
    contract = (await getChain()).deployment.contracts.TrialRegistry.address;
  });

  it("verifies a registered and amended trial from the chain alone, listing both versions", async () => {
    const stored = await getTrialByNumber(number);
    const result = await cli("verify-trial", number, "--rpc", rpc, "--contract", contract);
    expect(result.code).toBe(0);
    expect(result.out).toContain("VERIFIED: 2 version(s) on chain");
    for (const v of stored?.versions ?? []) {
      expect(result.out).toMatch(new RegExp(`version  ${v.version}  ${v.digest}  \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z`));
    }
  });

  it("does not verify an unregistered number or a contract that is not the registry", async () => {
    const unknown = await cli("verify-trial", "TLR-1999-99999", "--rpc", rpc, "--contract", contract);
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain("NOT VERIFIED: TLR-1999-99999 is not registered on chain");

    const empty = await cli("verify-trial", number, "--rpc", rpc, "--contract", `0x${"12".repeat(20)}`);
    expect(empty.code).toBe(1);
    expect(empty.out).toContain("NOT VERIFIED: there is no contract at");
  });

  it("trusts the registry recorded for the chain when --contract is not given", async () => {
    const result = await cli("verify-trial", number, "--rpc", rpc);
    expect(result.code).toBe(0);
    expect(result.out).toContain("trusting the TrialRegistry recorded in");
  });

  it("explains its usage errors with exit code 2", async () => {
    const noContract = await cliWith({ DEPLOYMENTS_FILE: "/nonexistent/deployments.json" }, "verify-trial", number, "--rpc", rpc);
    expect(noContract.code).toBe(2);
    expect(noContract.out).toContain("--contract");
    const noNumber = await cli("verify-trial", "--rpc", rpc, "--contract", contract);
    expect(noNumber.code).toBe(2);
  });

  it("checks records against the chain's digests: the canonical records pass, a changed byte fails", async () => {
    const chain = await readTrialFromChain({ provider: (await getChain()).provider, contract, registrationNumber: number });
    if (!chain.ok) throw new Error(chain.reason);
    const stored = await getTrialByNumber(number);
    const listed = (stored?.versions ?? []).map((v) => ({ version: v.version, digest: v.digest }));
    const records = new Map<number, Uint8Array>();
    for (const v of listed) records.set(v.version, Buffer.from((await getVersionCanonical(number, v.version))?.canonical ?? "", "utf8"));
    expect(checkPortalRecords({ chain: chain.versions, listed, records })).toEqual({ ok: true });

    const changed = Buffer.from(records.get(2) ?? []);
    changed[10] = (changed[10] ?? 0) ^ 1;
    const tampered = checkPortalRecords({ chain: chain.versions, listed, records: new Map(records).set(2, changed) });
    expect(tampered.ok).toBe(false);
    if (!tampered.ok) expect(tampered.reasons).toEqual([expect.stringMatching(/record the portal serves for version 2 has SHA-256 .* but the chain holds/)]);

    const reordered = checkPortalRecords({ chain: chain.versions, listed: [...listed].reverse(), records });
    expect(reordered.ok).toBe(false);
    if (!reordered.ok) expect(reordered.reasons[0]).toContain("the portal lists versions [2, 1], the chain has [1, 2]");
  });
});

/**
 * A contract that copies the real TrialRegistry's answers: `anchorOf` forwards to it. A receipt
 * naming it passes every check a verifier makes when it trusts the receipt's own contract.
 */
const COPYCAT_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
interface IAnchors { function anchorOf(bytes32 root) external view returns (uint64, uint64, uint32); }
contract CopyCat {
  IAnchors private immutable real;
  constructor(IAnchors registry) { real = registry; }
  function anchorOf(bytes32 root) external view returns (uint64, uint64, uint32) { return real.anchorOf(root); }
}`;

/** Compiles COPYCAT_SOURCE with the repository's solc-js (cancun, as scripts/contracts-build.ts). */
function compileCopyCat(): { abi: unknown[]; bytecode: string } {
  const input = {
    language: "Solidity",
    sources: { "CopyCat.sol": { content: COPYCAT_SOURCE } },
    settings: { evmVersion: "cancun", outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
  };
  const output = JSON.parse((solc.compile as (input: string) => string)(JSON.stringify(input))) as {
    errors?: Array<{ severity: string; formattedMessage: string }>;
    contracts?: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join("\n"));
  const compiled = output.contracts?.["CopyCat.sol"]?.CopyCat;
  if (!compiled) throw new Error("solc produced no CopyCat");
  return { abi: compiled.abi, bytecode: `0x${compiled.evm.bytecode.object}` };
}

describe("trialledger verify trusts only a contract the user names or the operator publishes", () => {
  let copycatReceipt = "";
  let wrongKindReceipt = "";
  let registry = "";
  let copycatAddress = "";
  let semaphoreVerifier = "";
  let portal = "";
  let server: http.Server | undefined;
  const noDeployments = { DEPLOYMENTS_FILE: path.join(dir, "no-such-deployments.json") };

  beforeAll(async () => {
    const chain = await getChain();
    registry = chain.deployment.contracts.TrialRegistry.address.toLowerCase();
    semaphoreVerifier = chain.deployment.contracts.SemaphoreVerifier.address.toLowerCase();
    // anvil's dev account 9: the portal's relayer (#0) counts its nonces locally in every test file.
    const deployer = HDNodeWallet.fromPhrase("test test test test test test test test test test test junk", undefined, "m/44'/60'/0'/0/9").connect(chain.provider);
    const { abi, bytecode } = compileCopyCat();
    const copycat = await new ContractFactory(abi as never[], bytecode, deployer).deploy(registry);
    await copycat.waitForDeployment();
    const genuine = JSON.parse(fs.readFileSync(receiptFile, "utf8")) as { chain: Record<string, unknown> };
    copycatReceipt = path.join(dir, "copycat-receipt.json");
    copycatAddress = (await copycat.getAddress()).toLowerCase();
    fs.writeFileSync(copycatReceipt, JSON.stringify({ ...genuine, chain: { ...genuine.chain, contract: copycatAddress } }));
    wrongKindReceipt = path.join(dir, "wrong-kind-receipt.json");
    fs.writeFileSync(wrongKindReceipt, JSON.stringify({ ...genuine, chain: { ...genuine.chain, contract: semaphoreVerifier } }));

    // The portal's GET /api/deployments, served over HTTP as `npm start` would.
    const respond = handlerMeta(deploymentsRoute.GET)?.respondAs;
    if (!respond) throw new Error("GET /api/deployments is not a wrapped route");
    server = http.createServer((req, res) => {
      const request = new Request(`http://localhost${req.url ?? "/"}`);
      const answer = req.url === "/api/deployments" ? respond(null, request, { params: Promise.resolve({}) }) : Promise.resolve(new Response("not found", { status: 404 }));
      void answer.then(async (response) => {
        res.writeHead(response.status, { "content-type": response.headers.get("content-type") ?? "text/plain" });
        res.end(Buffer.from(await response.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    portal = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it("refuses to verify without a trusted TrialRegistry, even a receipt whose contract copies the real answers", async () => {
    const result = await cliWith(noDeployments, "verify", file, "--receipt", copycatReceipt, "--rpc", rpc);
    expect(result.code).toBe(2);
    expect(result.out).toContain("name the TrialRegistry you trust (--contract, --deployments or --portal)");
    expect(result.out).not.toMatch(/^VERIFIED/m);
    // The genuine receipt too: what it names proves nothing by itself.
    const genuine = await cliWith(noDeployments, "verify", file, "--receipt", receiptFile, "--rpc", rpc);
    expect(genuine.code).toBe(2);
    expect(genuine.out).not.toMatch(/^VERIFIED/m);
  });

  it("does not verify the copycat's receipt against the real registry, from --contract, a deployments file or a portal", async () => {
    const fromContract = await cliWith(noDeployments, "verify", file, "--receipt", copycatReceipt, "--rpc", rpc, "--contract", registry);
    expect(fromContract.code).toBe(1);
    expect(fromContract.out).toContain(`NOT VERIFIED: the receipt names contract`);
    expect(fromContract.out).toContain(`not the trusted ${registry}`);

    const fromFile = await cliWith(noDeployments, "verify", file, "--receipt", copycatReceipt, "--rpc", rpc, "--deployments", process.env.DEPLOYMENTS_FILE ?? "");
    expect(fromFile.code).toBe(1);
    expect(fromFile.out).toContain(`not the trusted ${registry}`);

    const fromPortal = await cliWith(noDeployments, "verify", file, "--receipt", copycatReceipt, "--rpc", rpc, "--portal", portal);
    expect(fromPortal.code).toBe(1);
    expect(fromPortal.out).toContain(`trust    TrialRegistry ${registry} on chain 31337 (from ${portal}/api/deployments)`);
    expect(fromPortal.out).toContain(`not the trusted ${registry}`);
  });

  it("verifies the genuine receipt with the registry a portal publishes", async () => {
    const result = await cliWith(noDeployments, "verify", file, "--receipt", receiptFile, "--rpc", rpc, "--portal", portal);
    expect(result.code).toBe(0);
    expect(result.out).toContain("VERIFIED: this file existed no later than");
  });

  it("says NOT VERIFIED (exit 1), not a raw revert, for a receipt naming another kind of contract", async () => {
    const trusted = await cliWith(noDeployments, "verify", file, "--receipt", wrongKindReceipt, "--rpc", rpc, "--contract", semaphoreVerifier);
    expect(trusted.code).toBe(1);
    expect(trusted.out).toContain(`NOT VERIFIED: the contract at ${semaphoreVerifier} is not a TrialRegistry`);
    const untrusted = await cli("verify", file, "--receipt", wrongKindReceipt, "--rpc", rpc);
    expect(untrusted.code).toBe(1);
    expect(untrusted.out).toContain("NOT VERIFIED: the receipt names contract");
  });

  it("does not trust a .data/deployments.json that came with the receipt, nor a portal over plain http", async () => {
    // A bundle: the file, the copycat's receipt and a deployments file naming the copycat, unpacked
    // and verified in place with no trust source named (DEPLOYMENTS_FILE unset).
    const bundle = fs.mkdtempSync(path.join(dir, "bundle-"));
    fs.mkdirSync(path.join(bundle, ".data"));
    fs.writeFileSync(path.join(bundle, ".data", "deployments.json"), JSON.stringify({ "31337": { contracts: { TrialRegistry: { address: copycatAddress } } } }));
    fs.copyFileSync(file, path.join(bundle, "protocol.pdf"));
    fs.copyFileSync(copycatReceipt, path.join(bundle, "receipt.json"));
    const unset = { DEPLOYMENTS_FILE: "" };
    const [inPlace, trialInPlace, plainHttp] = await Promise.all([
      cliIn(bundle, unset, "verify", "protocol.pdf", "--receipt", "receipt.json", "--rpc", rpc),
      cliIn(bundle, unset, "verify-trial", "TLR-1999-99999", "--rpc", rpc),
      cliWith(noDeployments, "verify", file, "--receipt", receiptFile, "--rpc", rpc, "--portal", "http://portal.example.org"),
    ]);
    expect(inPlace.out).not.toMatch(/^VERIFIED/m);
    expect(inPlace.code).toBe(2);
    expect(inPlace.out).toContain("name the TrialRegistry you trust (--contract, --deployments or --portal): none was given, and DEPLOYMENTS_FILE is not set");
    expect(trialInPlace.code).toBe(2);
    expect(trialInPlace.out).toContain("name the TrialRegistry address you trust (--contract)");
    expect(trialInPlace.out).not.toContain("trusting the TrialRegistry recorded in");
    expect(plainHttp.code).toBe(2);
    expect(plainHttp.out).toContain("--portal must be an https URL (plain http only on loopback): http://portal.example.org");
  });

  it("explains a bad or doubled trust source with exit code 2", async () => {
    const both = await cli("verify", file, "--receipt", receiptFile, "--rpc", rpc, "--contract", registry, "--portal", portal);
    expect(both.code).toBe(2);
    expect(both.out).toContain("trust one source of the TrialRegistry, not --contract and --portal");
    const missingFile = await cli("verify", file, "--receipt", receiptFile, "--rpc", rpc, "--deployments", path.join(dir, "nope.json"));
    expect(missingFile.code).toBe(2);
    expect(missingFile.out).toContain("cannot read the deployments file");
  });
});

