// The trials API through its route handlers: the real wrapper (input parsing, access check, error
// mapping) around the real services, database and chain. The session is given explicitly through
// the wrapper's `respondAs` (Auth.js can read the request's own session only inside Next.js):
// null, or a real sponsor's session.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import * as openApiRoute from "@/app/api/openapi.json/route";
import * as trialRoute from "@/app/api/trials/[number]/route";
import * as receiptRoute from "@/app/api/trials/[number]/versions/[version]/receipt/route";
import * as recordRoute from "@/app/api/trials/[number]/versions/[version]/record/route";
import * as versionsRoute from "@/app/api/trials/[number]/versions/route";
import * as trialsRoute from "@/app/api/trials/route";
import * as fileReceiptRoute from "@/app/api/trials/[number]/files/[digest]/receipt/route";
import * as filesRoute from "@/app/api/files/[digest]/route";
import * as uploadsRoute from "@/app/api/uploads/route";
import { fromHex } from "@/lib/merkle";
import { handlerMeta } from "@/lib/handler";
import { parseReceipt, checkReceiptProof } from "@/lib/anchoring/receipt";
import { runAnchoringOnce } from "@/lib/anchoring/worker";
import { getSessionUser } from "@/lib/auth/data";
import type { SessionUser } from "@/lib/auth/roles";
import { signUp } from "@/lib/auth/service";
import { getChain } from "@/lib/chain/client";
import { createOrganization } from "@/lib/orgs/service";
import { getTrialByNumber } from "@/lib/registry/data";
import { exampleTrialRecord } from "@/lib/registry/example";
import type { TrialRecord } from "@/lib/registry/schema";
import { registerSigned, signedAmendment, signedRegistration } from "@/scripts/test/signing";
import { uniqueEmail } from "@/scripts/test/support";

const signedIn = { as: null as SessionUser | null };
afterEach(() => {
  signedIn.as = null;
});

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

/** Calls a route handler as the signed-in person of `signedIn.as` (or nobody). */
function asSignedIn(handler: Handler): Handler {
  const respond = handlerMeta(handler)?.respondAs;
  if (!respond) throw new Error("not a wrapped route handler");
  return (request, context) => respond(signedIn.as, request, context);
}

const getOpenApi = asSignedIn(openApiRoute.GET);
const getTrial = asSignedIn(trialRoute.GET);
const getReceipt = asSignedIn(receiptRoute.GET);
const getRecord = asSignedIn(recordRoute.GET);
const uploadFile = asSignedIn(uploadsRoute.POST);
const getFile = asSignedIn(filesRoute.GET);
const getFileReceipt = asSignedIn(fileReceiptRoute.GET);
const amend = asSignedIn(versionsRoute.POST);
const listTrials = asSignedIn(trialsRoute.GET);
const register = asSignedIn(trialsRoute.POST);

const ROOT = path.resolve(import.meta.dirname, "../..");
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const context = (params: Record<string, string>) => ({ params: Promise.resolve(params) });

async function sponsor(label: string): Promise<SessionUser> {
  const user = await signUp({ name: label, email: uniqueEmail(label), password: "long enough password", accountType: "SPONSOR" });
  const session = await getSessionUser(user.id);
  if (!session) throw new Error("user vanished");
  return session;
}

async function setUp() {
  const user = await sponsor("api-sponsor");
  const org = await createOrganization({ name: "API Test Sponsor", creator: user });
  return { user, org };
}

/** A record unlike every other test's, so filters on it find exactly the trials made here. */
function recordWith(tag: string, changes: Partial<TrialRecord>): TrialRecord {
  return { ...clone(exampleTrialRecord), publicTitle: `API test ${tag}`, primarySponsor: `Sponsor ${tag}`, ...changes };
}

async function body<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

async function list(query: string) {
  const response = await listTrials(new Request(`http://localhost/api/trials?${query}`), context({}));
  expect(response.status).toBe(200);
  return body<{ results: Array<{ registrationNumber: string; phase: string; countries: string[]; currentVersion: number }>; total: number; facets: Record<string, Record<string, number>> }>(response);
}

/** A POST from the portal's own pages (signed-in changes must carry a same-origin Origin). */
function post(url: string, json: unknown, headers: Record<string, string> = {}) {
  return new Request(`http://localhost${url}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: "http://localhost", ...headers },
    body: JSON.stringify(json),
  });
}

describe("trials API", () => {
  it("lists registered trials with filters", async () => {
    const { user, org } = await setUp();
    const tag = `list${Date.now()}`;
    const a = await registerSigned({
      orgId: org.id,
      user,
      input: recordWith(`${tag}-a`, { countries: ["GB", "FR"], studyType: { ...exampleTrialRecord.studyType, phase: "phase-2" } }),
    });
    const b = await registerSigned({
      orgId: org.id,
      user,
      input: recordWith(`${tag}-b`, {
        countries: ["US"],
        studyType: { ...exampleTrialRecord.studyType, phase: "phase-3" },
        conditions: [{ name: `Rare condition ${tag}`, code: "Q99" }],
      }),
    });
    const numbers = async (query: string) => (await list(query)).results.map((t) => t.registrationNumber).sort();

    expect(await numbers(`q=${tag.toUpperCase()}`)).toEqual([a.registrationNumber, b.registrationNumber].sort());
    expect(await numbers(`q=${tag}&phase=phase-2`)).toEqual([a.registrationNumber]);
    expect(await numbers(`q=${tag}&country=us`)).toEqual([b.registrationNumber]);
    expect(await numbers(`q=rare%20condition%20${tag}`)).toEqual([b.registrationNumber]);
    expect(await numbers(`sponsor=sponsor%20${tag}-a`)).toEqual([a.registrationNumber]);
    expect(await numbers(`q=${tag}&status=${exampleTrialRecord.recruitmentStatus === "recruiting" ? "pending" : "recruiting"}`)).toEqual([]);

    const page = await list(`q=${tag}&sort=newest&pageSize=1&page=2`);
    expect(page).toMatchObject({ total: 2, totalIsExact: true, page: 2, pageSize: 1 });
    expect(page.results).toHaveLength(1);
    // Newest registration first.
    expect(page.results[0]?.registrationNumber).toBe(a.registrationNumber);
    expect(page.results[0]).toMatchObject({ phase: "phase-2", countries: ["GB", "FR"], currentVersion: 1 });
    expect(page.facets.phase).toEqual({ "phase-2": 1, "phase-3": 1 });
    expect(Object.keys(page.results[0] ?? {}).sort()).toEqual(
      ["conditions", "countries", "currentVersion", "phase", "primarySponsor", "publicTitle", "recruitmentStatus", "registeredAt", "registrationNumber"].sort(),
    );

    const refused = await listTrials(new Request("http://localhost/api/trials?pageSize=101&phase=phase-9&country=GBR"), context({}));
    expect(refused.status).toBe(422);
    expect(Object.keys((await body<{ error: { fieldErrors: object } }>(refused)).error.fieldErrors).sort()).toEqual(["country", "pageSize", "phase"]);
  });

  it("registers and amends through the API; the trial shows every version; the receipt is 202, then 200", async () => {
    const { user, org } = await setUp();
    signedIn.as = user;
    const signature = await signedRegistration(org.id, exampleTrialRecord);
    const registered = await register(post("/api/trials", { orgId: org.id, record: clone(exampleTrialRecord), signature }), context({}));
    expect(registered.status).toBe(201);
    const { registrationNumber: number } = await body<{ registrationNumber: string }>(registered);

    const changed = { ...clone(exampleTrialRecord), targetSampleSize: exampleTrialRecord.targetSampleSize + 1 };
    const amendmentSignature = await signedAmendment(number, changed);
    const amendment = () => post(`/api/trials/${number}/versions`, { basedOnVersion: 1, record: changed, signature: amendmentSignature });
    const amended = await amend(amendment(), context({ number }));
    expect(amended.status).toBe(201);
    expect(await body(amended)).toEqual({ version: 2 });
    const stale = await amend(amendment(), context({ number }));
    expect(stale.status).toBe(409);
    signedIn.as = null;

    const response = await getTrial(new Request(`http://localhost/api/trials/${number.toLowerCase()}`), context({ number: number.toLowerCase() }));
    expect(response.status).toBe(200);
    const trial = await body<{ registrationNumber: string; currentVersion: number; record: TrialRecord; versions: Array<Record<string, unknown>> }>(response);
    expect(trial).toMatchObject({ registrationNumber: number, currentVersion: 2, record: { targetSampleSize: changed.targetSampleSize } });
    expect(trial.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(trial.versions[1]?.previousDigest).toBe(trial.versions[0]?.digest);
    expect(Object.keys(trial.versions[0] ?? {}).sort()).toEqual(["chainStatus", "chainTxHash", "createdAt", "digest", "outcomeFlags", "previousDigest", "version"]);

    const receipt = () => getReceipt(new Request(`http://localhost/api/trials/${number}/versions/2/receipt`), context({ number, version: "2" }));
    const waiting = await receipt();
    expect(waiting.status).toBe(202);
    expect(await body(waiting)).toMatchObject({ state: "pending", since: expect.any(String) as unknown });

    await runAnchoringOnce({ chain: getChain, batchSize: 1000, maxAgeMs: 0, confirmations: 1 });
    const anchored = await receipt();
    expect(anchored.status).toBe(200);
    const parsed = parseReceipt(await anchored.json());
    expect(parsed.digest).toBe(trial.versions[1]?.digest);
    expect(checkReceiptProof(parsed)).toEqual({ ok: true });
  });

  it("answers 404 for malformed and unknown numbers and versions", async () => {
    const { user, org } = await setUp();
    const { registrationNumber } = await registerSigned({ orgId: org.id, user, input: clone(exampleTrialRecord) });
    for (const number of ["TLR-2026-042", "not-a-number", "TLR-1999-99999", ""]) {
      expect((await getTrial(new Request("http://localhost/api/trials/x"), context({ number }))).status).toBe(404);
    }
    for (const [number, version] of [
      [registrationNumber, "2"],
      [registrationNumber, "01"],
      [registrationNumber, "x"],
      ["TLR-1999-99999", "1"],
    ] as const) {
      const response = await getReceipt(new Request("http://localhost/api/trials/x/versions/y/receipt"), context({ number, version }));
      expect(response.status).toBe(404);
      expect(await body(response)).toMatchObject({ error: { code: "NOT_FOUND", status: 404 } });
    }
  });

  it("refuses an invalid record with field errors and an outsider with 403, creating nothing", async () => {
    const { user, org } = await setUp();
    const outsider = await sponsor("api-outsider");
    const title = `API refused ${Date.now()}`;
    const invalid = { ...recordWith(title, {}), publicTitle: title, primaryOutcomes: [] };

    signedIn.as = user;
    const refused = await register(post("/api/trials", { orgId: org.id, record: invalid }), context({}));
    expect(refused.status).toBe(422);
    const { error } = await body<{ error: { code: string; fieldErrors: Record<string, string[]> } }>(refused);
    expect(error.code).toBe("VALIDATION");
    expect(error.fieldErrors["record.primaryOutcomes"]).toEqual(["Add at least one primary outcome."]);

    signedIn.as = outsider;
    const valid = { ...recordWith(title, {}), publicTitle: title };
    const forbidden = await register(post("/api/trials", { orgId: org.id, record: valid, signature: await signedRegistration(org.id, valid) }), context({}));
    expect(forbidden.status).toBe(403);
    expect(await body(forbidden)).toMatchObject({ error: { code: "FORBIDDEN", status: 403 } });
    signedIn.as = null;
    expect((await register(post("/api/trials", { orgId: org.id, record: valid }), context({}))).status).toBe(401);
    expect((await list(`q=${encodeURIComponent(title)}`)).total).toBe(0);

    const { registrationNumber } = await registerSigned({ orgId: org.id, user, input: clone(exampleTrialRecord) });
    signedIn.as = outsider;
    const outsiderRecord = { ...clone(exampleTrialRecord), targetSampleSize: 5 };
    const amendment = { basedOnVersion: 1, record: outsiderRecord, signature: await signedAmendment(registrationNumber, outsiderRecord) };
    const byOutsider = await amend(post(`/api/trials/${registrationNumber}/versions`, amendment), context({ number: registrationNumber }));
    expect(byOutsider.status).toBe(403);
    expect((await getTrialByNumber(registrationNumber))?.versions).toHaveLength(1);
  });

  it("refuses a cross-site amendment (CSRF): a no-cors text/plain post, another origin, no origin at all", async () => {
    const { user, org } = await setUp();
    const { registrationNumber } = await registerSigned({ orgId: org.id, user, input: clone(exampleTrialRecord) });
    signedIn.as = user;
    const csrfRecord = { ...clone(exampleTrialRecord), targetSampleSize: 7 };
    const amendment = { basedOnVersion: 1, record: csrfRecord, signature: await signedAmendment(registrationNumber, csrfRecord) };
    const url = `/api/trials/${registrationNumber}/versions`;
    const attempts = [
      // The report's request: what a same-site page can send with no CORS preflight.
      post(url, amendment, { "content-type": "text/plain; application/json", origin: "http://evil.localhost:3000" }),
      post(url, amendment, { origin: "http://evil.localhost:3000" }),
      post(url, amendment, { origin: "null" }),
      new Request(`http://localhost${url}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(amendment) }),
    ];
    for (const attempt of attempts) {
      const response = await amend(attempt, context({ number: registrationNumber }));
      expect(response.status).toBe(403);
    }
    // Same origin, but text/plain: refused as the wrong type, not read as JSON.
    expect((await amend(post(url, amendment, { "content-type": "text/plain; application/json" }), context({ number: registrationNumber }))).status).toBe(415);
    const upload = await uploadFile(
      new Request("http://localhost/api/uploads", { method: "POST", headers: { "content-type": "text/plain", origin: "http://localhost" }, body: "x" }),
      context({}),
    );
    expect(upload.status).toBe(415);
    expect((await getTrialByNumber(registrationNumber))?.versions).toHaveLength(1);
    // The portal's own page, by Origin or by Sec-Fetch-Site, amends.
    const own = await amend(post(url, amendment), context({ number: registrationNumber }));
    expect(own.status).toBe(201);
  });

  it("serves an OpenAPI 3.1 document that documents every trials route", async () => {
    const response = await getOpenApi(new Request("http://localhost/api/openapi.json"), context({}));
    expect(response.status).toBe(200);
    const document = JSON.parse(await response.text()) as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(document.openapi).toBe("3.1.0");
    expect(document.components.schemas).toHaveProperty("Error");
    expect(document.components.schemas).toHaveProperty("Receipt");

    // app/api/trials/[number]/versions/route.ts → /api/trials/{number}/versions
    const routeFiles = fs
      .readdirSync(path.join(ROOT, "app/api/trials"), { recursive: true, encoding: "utf8" })
      .filter((file) => /(^|[/\\])route\.tsx?$/.test(file));
    const expected = routeFiles.map((file) =>
      `/api/trials/${path.dirname(file)}`
        .split(path.sep)
        .join("/")
        .replace(/\/\.$/, "")
        .replace(/\[([^\]]+)\]/g, "{$1}"),
    );
    expect(expected).toContain("/api/trials");
    expect(expected.length).toBeGreaterThanOrEqual(4);
    for (const p of expected) expect(document.paths, `${p} is not in lib/registry/openapi.ts`).toHaveProperty([p]);
  });

  it("serves each version's frozen record, whose SHA-256 is the version's digest", async () => {
    const { user, org } = await setUp();
    const { registrationNumber } = await registerSigned({ orgId: org.id, user, input: clone(exampleTrialRecord) });
    const response = await getRecord(new Request("http://localhost/"), context({ number: registrationNumber, version: "1" }));
    expect(response.status).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    const digest = `0x${createHash("sha256").update(bytes).digest("hex")}`;
    expect(digest).toBe((await getTrialByNumber(registrationNumber))?.versions[0]?.digest);
    expect(response.headers.get("x-content-sha256")).toBe(digest);
    const missing = await getRecord(new Request("http://localhost/"), context({ number: registrationNumber, version: "2" }));
    expect(missing.status).toBe(404);
  });

  it("uploads a protocol, attaches it at registration, serves it and its receipt", async () => {
    const { user, org } = await setUp();
    const bytes = Buffer.concat([Buffer.from("%PDF-1.7 protocol "), randomBytes(300_000)]);
    const upload = (session: SessionUser | null, headers: Record<string, string> = {}) => {
      signedIn.as = session;
      return uploadFile(
        new Request(`http://localhost/api/uploads?org=${org.id}`, {
          method: "POST",
          headers: { "content-type": "application/octet-stream", origin: "http://localhost", ...headers },
          body: bytes,
        }),
        context({}),
      );
    };
    expect((await upload(null)).status).toBe(401);
    expect((await upload(user, { "content-length": String(60 * 1024 * 1024) })).status).toBe(413);
    const uploaded = await upload(user);
    expect(uploaded.status).toBe(200);
    const { digest, size } = await body<{ digest: string; size: number }>(uploaded);
    expect(digest).toBe(`0x${createHash("sha256").update(bytes).digest("hex")}`);
    expect(size).toBe(bytes.length);

    await expect(
      registerSigned({ orgId: org.id, user, input: clone(exampleTrialRecord), attachments: [{ kind: "protocol", name: "p.pdf", digest: `0x${"0".repeat(64)}` }] }),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    const { registrationNumber } = await registerSigned({
      orgId: org.id,
      user,
      input: clone(exampleTrialRecord),
      attachments: [{ kind: "protocol", name: "protocol v1.pdf", digest }],
    });
    signedIn.as = null;
    const download = await getFile(new Request("http://localhost/"), context({ digest }));
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    expect(download.headers.get("content-disposition")).toContain("protocol%20v1.pdf");
    expect((await getFile(new Request("http://localhost/"), context({ digest: `0x${"1".repeat(64)}` }))).status).toBe(404);

    const pending = await getFileReceipt(new Request("http://localhost/"), context({ number: registrationNumber, digest }));
    expect(pending.status).toBe(202);
    await runAnchoringOnce({ chain: getChain, batchSize: 1000, maxAgeMs: 0, confirmations: 1 });
    const anchored = await getFileReceipt(new Request("http://localhost/"), context({ number: registrationNumber, digest }));
    expect(anchored.status).toBe(200);
    const receipt = parseReceipt(await anchored.json());
    expect(checkReceiptProof(receipt, fromHex(digest))).toEqual({ ok: true });
    expect(receipt.subject).toMatchObject({ kind: "file", name: "protocol v1.pdf" });
  });
});
