// Dataset releases, end to end: a published release's manifest and files are queued for anchoring
// as publishing queues them (scripts/test/datasets.ts), anchored by the worker on anvil, served
// with their receipts by the public routes, and verified by `trialledger verify` against the
// chain alone — a file on its own, and the manifest with every file of the release. A changed
// file, a changed or reformatted manifest and a missing file are refused with a reason.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as fileReceiptRoute from "@/app/api/datasets/[number]/releases/[release]/files/[digest]/receipt/route";
import * as manifestRoute from "@/app/api/datasets/[number]/releases/[release]/manifest/route";
import * as releaseReceiptRoute from "@/app/api/datasets/[number]/releases/[release]/receipt/route";
import { checkReceiptProof, parseReceipt } from "@/lib/anchoring/receipt";
import { runAnchoringOnce } from "@/lib/anchoring/worker";
import { getSessionUser } from "@/lib/auth/data";
import { signUp } from "@/lib/auth/service";
import { getChain } from "@/lib/chain/client";
import { parseManifest } from "@/lib/datasets/manifest";
import { handlerMeta } from "@/lib/handler";
import { fromHex } from "@/lib/merkle";
import { createOrganization } from "@/lib/orgs/service";
import { exampleTrialRecord } from "@/lib/registry/example";
import { insertTestRelease, type TestRelease } from "@/scripts/test/datasets";
import { registerSigned } from "@/scripts/test/signing";
import { uniqueEmail } from "@/scripts/test/support";

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-cli-datasets-"));
const releaseDir = path.join(dir, "release");
const rpc = process.env.CHAIN_RPC_URL ?? "";
const visits = Buffer.from("participant,visit,sbp\nP-7f3a,1,128\nP-7f3a,2,131\nP-09bc,1,142\n");
const readme = Buffer.from("Visit measurements, pseudonymised. One row per participant and visit.\n");

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.resolve("scripts/trialledger.mjs"), ...args], { env: { ...process.env, CHAIN_RPC_URL: "" } });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/** Calls a public route through its wrapper, with the path's params, as a visitor without a session. */
function get(handler: unknown, params: Record<string, string>): Promise<Response> {
  const respond = handlerMeta(handler)?.respondAs;
  if (!respond) throw new Error("not a wrapped route");
  return respond(null, new Request("http://localhost/api/datasets"), { params: Promise.resolve(params) });
}

let release: TestRelease;
let draft: TestRelease;
const at = (name: string) => path.join(dir, name);

beforeAll(async () => {
  const signedUp = await signUp({ name: "dataset sponsor", email: uniqueEmail("ds-sponsor"), password: "long enough password", accountType: "SPONSOR" });
  const user = await getSessionUser(signedUp.id);
  if (!user) throw new Error("user vanished");
  const org = await createOrganization({ name: "Dataset Receipts Sponsor", creator: user });
  const trial = await registerSigned({ orgId: org.id, user, input: JSON.parse(JSON.stringify(exampleTrialRecord)) as typeof exampleTrialRecord });
  const stored = { id: trial.id, registrationNumber: trial.registrationNumber, orgId: org.id };
  release = await insertTestRelease({
    trial: stored,
    userId: user.id,
    files: [
      { name: "visits.csv", bytes: visits, format: "csv" },
      { name: "README.txt", bytes: readme, format: "other" },
    ],
  });
  draft = await insertTestRelease({ trial: stored, userId: user.id, release: 2, dataset: { id: release.datasetId, number: release.datasetNumber }, files: [], status: "DRAFT" });
  fs.mkdirSync(releaseDir);
  fs.writeFileSync(path.join(releaseDir, "visits.csv"), visits);
  fs.writeFileSync(path.join(releaseDir, "README.txt"), readme);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("dataset receipt routes", () => {
  it("answer 202 until anchored, then serve the receipts and the manifest exactly as digested", async () => {
    const params = { number: release.datasetNumber.toLowerCase(), release: "1" };
    const visitsFile = release.files.find((f) => f.name === "visits.csv");
    const fileParams = { ...params, digest: visitsFile?.digest.toUpperCase().replace("0X", "0x") ?? "" };
    const waiting = await get(releaseReceiptRoute.GET, params);
    expect(waiting.status).toBe(202);
    expect(await waiting.json()).toMatchObject({ state: "pending" });
    expect((await get(fileReceiptRoute.GET, fileParams)).status).toBe(202);

    await runAnchoringOnce({ chain: getChain, batchSize: 1000, maxAgeMs: 0, confirmations: 1 });

    const manifestResponse = await get(manifestRoute.GET, params);
    expect(manifestResponse.status).toBe(200);
    expect(manifestResponse.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(manifestResponse.headers.get("x-content-sha256")).toBe(release.manifest?.digest);
    const manifestText = await manifestResponse.text();
    expect(manifestText).toBe(release.manifest?.json);
    expect(parseManifest(manifestText).files.map((f) => f.name)).toEqual(["README.txt", "visits.csv"]);
    fs.writeFileSync(at("manifest.json"), manifestText);

    const manifestReceipt = parseReceipt(await (await get(releaseReceiptRoute.GET, params)).json());
    expect(manifestReceipt).toMatchObject({
      version: 2,
      digest: release.manifest?.digest,
      subject: { kind: "dataset-manifest", id: release.releaseId, name: `${release.datasetNumber} release 1` },
    });
    expect(checkReceiptProof(manifestReceipt, fromHex(release.manifest?.digest ?? ""))).toEqual({ ok: true });
    fs.writeFileSync(at("manifest-receipt.json"), JSON.stringify(manifestReceipt, null, 2));

    const fileReceipt = parseReceipt(await (await get(fileReceiptRoute.GET, fileParams)).json());
    expect(fileReceipt).toMatchObject({ version: 2, digest: visitsFile?.digest, subject: { kind: "dataset-file", id: visitsFile?.id, name: `${release.datasetNumber} release 1 — visits.csv` } });
    fs.writeFileSync(at("visits-receipt.json"), JSON.stringify(fileReceipt, null, 2));
    // The same receipt as version 1 code would have issued it (v1 has no dataset kinds: "file").
    fs.writeFileSync(at("visits-receipt-v1.json"), JSON.stringify({ ...fileReceipt, version: 1, subject: { ...fileReceipt.subject, kind: "file" } }));
  });

  it("answer 404 for a draft release, an unknown release or file, and malformed params", async () => {
    const visitsDigest = release.files[0]?.digest ?? "";
    for (const params of [
      { number: draft.datasetNumber, release: "2" },
      { number: release.datasetNumber, release: "3" },
      { number: release.datasetNumber, release: "01" },
      { number: release.datasetNumber.replace(".D1", ""), release: "1" },
      { number: "TLR-2026-00001.D0", release: "1" },
    ]) {
      for (const handler of [releaseReceiptRoute.GET, manifestRoute.GET]) {
        const response = await get(handler, params);
        expect(response.status).toBe(404);
        expect(await response.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
      }
    }
    expect((await get(fileReceiptRoute.GET, { number: release.datasetNumber, release: "1", digest: `0x${"0".repeat(64)}` })).status).toBe(404);
    expect((await get(fileReceiptRoute.GET, { number: release.datasetNumber, release: "1", digest: "0x1234" })).status).toBe(404);
    expect((await get(fileReceiptRoute.GET, { number: draft.datasetNumber, release: "2", digest: visitsDigest })).status).toBe(404);
  });
});

describe("trialledger verify with dataset receipts", () => {
  it("verifies a dataset file against its receipt and the chain, in version 2 and as version 1", async () => {
    const [v2, v1] = await Promise.all([
      cli("verify", path.join(releaseDir, "visits.csv"), at("visits-receipt.json"), "--rpc", rpc),
      cli("verify", path.join(releaseDir, "visits.csv"), "--receipt", at("visits-receipt-v1.json"), "--rpc", rpc),
    ]);
    expect(v2.out).toContain(`receipt  version 2, for the file “visits.csv” of release 1 of ${release.datasetNumber} (the receipt's label`);
    expect(v2.out).toMatch(new RegExp(`VERIFIED: this file existed no later than \\S+ \\(the file “visits.csv” of release 1 of ${release.datasetNumber.replaceAll(".", "\\.")}, as the receipt labels it`));
    expect(v2.code).toBe(0);
    expect(v1.out).toContain("receipt  version 1");
    expect(v1.out).toContain("VERIFIED: this file existed no later than");
    expect(v1.code).toBe(0);
  });

  it("verifies the manifest and every file of the release in a folder, or the files named", async () => {
    const [all, one] = await Promise.all([
      cli("verify", at("manifest.json"), at("manifest-receipt.json"), "--files", releaseDir, "--rpc", rpc),
      cli("verify", at("manifest.json"), at("manifest-receipt.json"), path.join(releaseDir, "visits.csv"), "--rpc", rpc),
    ]);
    expect(all.out).toContain(`manifest release 1 of ${release.datasetNumber}, “Visit measurements, pseudonymised”`);
    expect(all.out).toMatch(/file {5}ok {7}README\.txt {2}0x[0-9a-f]{64} {2}\d+ bytes/);
    expect(all.out).toContain(`VERIFIED: this manifest is release 1 of ${release.datasetNumber}, anchored no later than`);
    expect(all.out).toContain("all 2 listed file(s) match it");
    expect(all.code).toBe(0);
    expect(one.out).toContain("1 of its 2 listed files checked, and they match it");
    expect(one.code).toBe(0);
  });

  it("refuses a changed file, a missing one and one the manifest does not list", async () => {
    const changedDir = fs.mkdtempSync(path.join(dir, "changed-"));
    const changed = Buffer.from(visits);
    changed[30] = (changed[30] ?? 0) ^ 1;
    fs.writeFileSync(path.join(changedDir, "visits.csv"), changed);
    fs.writeFileSync(path.join(changedDir, "README.txt"), readme);
    const missingDir = fs.mkdtempSync(path.join(dir, "missing-"));
    fs.writeFileSync(path.join(missingDir, "visits.csv"), visits);
    const [tampered, alone, missing, unlisted] = await Promise.all([
      cli("verify", at("manifest.json"), at("manifest-receipt.json"), "--files", changedDir, "--rpc", rpc),
      cli("verify", path.join(changedDir, "visits.csv"), at("visits-receipt.json"), "--rpc", rpc),
      cli("verify", at("manifest.json"), at("manifest-receipt.json"), "--files", missingDir, "--rpc", rpc),
      cli("verify", at("manifest.json"), at("manifest-receipt.json"), at("visits-receipt.json"), "--rpc", rpc),
    ]);
    expect(tampered.code).toBe(1);
    expect(tampered.out).toContain("file     CHANGED  visits.csv");
    expect(tampered.out).toMatch(/NOT VERIFIED: \S+visits\.csv has SHA-256 0x[0-9a-f]{64}, the manifest lists 0x[0-9a-f]{64} for “visits\.csv”: it is another file, or it was changed/);
    expect(alone.code).toBe(1);
    expect(alone.out).toMatch(/NOT VERIFIED: .*the item was changed/);
    expect(missing.code).toBe(1);
    expect(missing.out).toContain(`NOT VERIFIED: README.txt is missing from ${missingDir}`);
    expect(unlisted.code).toBe(1);
    expect(unlisted.out).toContain("the manifest lists no file named “visits-receipt.json” (it lists README.txt, visits.csv)");
  });

  it("refuses a changed manifest, a reformatted one, and files given with a file's receipt", async () => {
    const text = fs.readFileSync(at("manifest.json"), "utf8");
    // Another size for visits.csv: still a well-formed, canonical manifest, but not the anchored one.
    const visitsSize = String(visits.byteLength);
    fs.writeFileSync(at("manifest-changed.json"), text.replace(`"size":${visitsSize}`, `"size":${visits.byteLength + 1}`));
    fs.writeFileSync(at("manifest-pretty.json"), JSON.stringify(JSON.parse(text), null, 2));
    const [changed, pretty, wrongReceipt] = await Promise.all([
      cli("verify", at("manifest-changed.json"), at("manifest-receipt.json"), "--files", releaseDir, "--rpc", rpc),
      cli("verify", at("manifest-pretty.json"), at("manifest-receipt.json"), "--rpc", rpc),
      cli("verify", path.join(releaseDir, "visits.csv"), at("visits-receipt.json"), "--files", releaseDir, "--rpc", rpc),
    ]);
    expect(fs.readFileSync(at("manifest-changed.json"), "utf8")).not.toBe(text);
    expect(changed.code).toBe(1);
    expect(changed.out).toMatch(/NOT VERIFIED: .*the manifest was changed/);
    expect(changed.out).not.toContain("file     ok");
    expect(pretty.code).toBe(1);
    expect(pretty.out).toContain("not in canonical JSON form (was it reformatted?)");
    expect(wrongReceipt.code).toBe(2);
    expect(wrongReceipt.out).toContain("--files and further files go with a dataset manifest's receipt; this receipt is for dataset-file");
  });
});
