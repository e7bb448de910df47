// The public access register through GET /api/access/register, signed out, over entries appended
// with the log's public API (recordLogEvent) and integrated by the sequencer: what the route shows
// is what the log holds, and nothing the sequencer has not integrated yet.
import { randomInt } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import * as openApiRoute from "@/app/api/openapi.json/route";
import * as registerRoute from "@/app/api/access/register/route";
import type { AccessRegister } from "@/lib/access/register/data";
import { DUO_RELEASE } from "@/lib/duo/conditions";
import { PURPOSE_FLAG_NAMES } from "@/lib/duo/purpose";
import { handlerMeta } from "@/lib/handler";
import type { LogEvent } from "@/lib/log/entry";
import { recordLogEvent } from "@/lib/log/mutations";
import { runSequencerOnce } from "@/lib/log/sequencer";
import { query } from "@/scripts/test/database";

// Numbers of a year no other test uses, random within it: the PostgreSQL database is shared by files.
const trial = `TLR-2099-${String(randomInt(10_000, 100_000))}`;
const DATASET = `${trial}.D1`;
const OTHER = `${trial}.D2`;
const base = randomInt(10_000, 90_000);
const request = (n: number) => `DAR-2099-${String(base + n)}`;
const [APPROVED, DENIED, REVOKED, LATE] = [request(1), request(2), request(3), request(4)];

const DIGEST = `0x${"cd".repeat(32)}`;
const SIGNATURE = { meaning: "I decide this request as the committee", method: "password-reauthentication" as const };
const DAY = 86_400_000;
const t0 = Date.UTC(2026, 10, 2, 9);
const day = (n: number) => new Date(t0 + n * DAY);
const noFlags = Object.fromEntries(PURPOSE_FLAG_NAMES.map((f) => [f, false]));
const PURPOSE = { duoRelease: DUO_RELEASE, category: "DS", diseases: ["MONDO:0005105"], flags: { ...noFlags, methods: true } };

const about = (id: string) => ({ actor: { type: "user" as const, id: "researcher-1" }, subject: { type: "access-request", id } });

function submitted(id: string, releases: string[]): LogEvent<"access.request-submitted"> {
  return { kind: "access.request-submitted", ...about(id), details: { releases, revision: 1, agreement: { version: 1, digest: DIGEST } }, private: { title: "secret title", researcherEmail: "ada@example.org" } };
}
function approved(id: string, releases: string[]): LogEvent<"access.approved"> {
  return {
    kind: "access.approved",
    ...about(id),
    details: {
      releases,
      researcher: { id: "researcher-1", name: "Ada Lovelace" },
      institution: { name: "Analytical Institute", notForProfit: true },
      title: "Melanoma recurrence after adjuvant therapy",
      laySummary: "Why some melanomas come back after treatment.",
      purpose: PURPOSE,
      withConditions: "No linkage with other datasets.",
      start: day(10).toISOString(),
      end: day(375).toISOString(),
      analysisPlanDigest: DIGEST,
      decidedVia: "manual",
      signature: SIGNATURE,
    },
    private: { signerEmail: "chair@example.org" },
  };
}

async function sequenceAll(): Promise<void> {
  // Other files' sequencers may hold the lease a moment: try until nothing of ours waits.
  for (let i = 0; i < 100; i++) {
    await runSequencerOnce({ holder: `register-test-${base}`, leaseMs: 1 });
    const [row] = await query(`SELECT count(*)::int AS n FROM "LogEntry" WHERE "idx" IS NULL AND "subjectId" LIKE $1`, [`DAR-2099-%`]);
    if (row?.n === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the sequencer never integrated the test's entries");
}

async function get(search: string): Promise<{ status: number; body: AccessRegister & { error?: { fieldErrors?: Record<string, string[]> } } }> {
  const response = await handlerMeta(registerRoute.GET)?.respondAs?.(null, new Request(`http://localhost/api/access/register${search}`));
  if (!response) throw new Error("not a wrapped route");
  return { status: response.status, body: (await response.json()) as never };
}

beforeAll(async () => {
  const releases = [`${DATASET}/1`];
  await recordLogEvent(submitted(APPROVED, releases), day(0));
  await recordLogEvent(submitted(DENIED, [`${DATASET}/1`, `${OTHER}/1`]), day(0));
  await recordLogEvent(submitted(REVOKED, releases), day(0));
  await recordLogEvent({ kind: "access.vote-cast", ...about(DENIED), details: {}, private: { vote: "deny", rationale: "out of scope" } }, day(1));
  await recordLogEvent(
    { kind: "access.denied", ...about(DENIED), details: { releases: [`${DATASET}/1`, `${OTHER}/1`], signature: SIGNATURE }, private: { reason: "out of scope", signerEmail: "chair@example.org" } },
    day(4),
  );
  await recordLogEvent(approved(REVOKED, releases), day(2));
  await recordLogEvent({ kind: "access.grant-revoked", ...about(REVOKED), details: { grant: "grant-r3", userId: "researcher-1", release: `${DATASET}/1` }, private: { reason: "breach" } }, day(5));
  await recordLogEvent(approved(APPROVED, releases), day(10));
  await sequenceAll();
});

describe("GET /api/access/register", () => {
  it("publishes the approved request from its log entry, linked by index", async () => {
    const { status, body } = await get(`?dataset=${DATASET.toLowerCase()}`);
    expect(status).toBe(200);
    expect(body.dataset).toBe(DATASET);
    expect(body.approved.map((a) => a.request)).toEqual([APPROVED, REVOKED]);
    const entry = body.approved[0];
    expect(entry).toMatchObject({
      researcher: { id: "researcher-1", name: "Ada Lovelace" },
      institution: { name: "Analytical Institute", notForProfit: true },
      title: "Melanoma recurrence after adjuvant therapy",
      laySummary: "Why some melanomas come back after treatment.",
      releases: [`${DATASET}/1`],
      withConditions: "No linkage with other datasets.",
      approvedAt: day(10).toISOString(),
      start: day(10).toISOString(),
      end: day(375).toISOString(),
      revocations: 0,
    });
    // The built-in Mondo subset may or may not be seeded in this file's database: the id is there either way.
    expect(entry?.purpose?.text).toMatch(/^Disease-specific research: (melanoma \()?MONDO:0005105\)?; methods development$/);
    // The index is the approval's: its body in the log is what the register shows.
    const [row] = await query(`SELECT convert_from("body", 'UTF8') AS body FROM "LogEntry" WHERE "idx" = $1`, [entry?.logIndex]);
    expect(JSON.parse(String(row?.body))).toMatchObject({ kind: "access.approved", subject: { id: APPROVED }, details: { title: entry?.title } });
    // Private details never reach the register.
    expect(JSON.stringify(body)).not.toMatch(/secret title|ada@example\.org|chair@example\.org|out of scope|breach/);
  });

  it("counts the denied request for each dataset it named, lists the revocation, and computes the metrics", async () => {
    const { body } = await get(`?dataset=${DATASET}`);
    expect(body.denied).toEqual([{ dataset: DATASET, requests: 1 }]);
    expect(body.revocations).toMatchObject([{ request: REVOKED, release: `${DATASET}/1`, grant: "grant-r3", at: day(5).toISOString() }]);
    expect(body.approved.find((a) => a.request === REVOKED)?.revocations).toBe(1);
    // Days to decision 10, 4 and 2: the median is 4; two approvals of three decisions.
    expect(body.metrics).toEqual({
      submitted: 3,
      byState: { submitted: 0, "in-review": 0, returned: 0, approved: 2, denied: 1, withdrawn: 0 },
      decided: 3,
      medianDaysToDecision: 4,
      approvalRate: 2 / 3,
    });
    expect(body.window).toMatchObject({ requests: 3, truncated: false });

    const ofTrial = (await get(`?trial=${trial}`)).body;
    expect(ofTrial).toMatchObject({ trial, dataset: null, denied: [{ dataset: DATASET, requests: 1 }, { dataset: OTHER, requests: 1 }] });
    expect(ofTrial.metrics.submitted).toBe(3);

    const other = (await get(`?dataset=${OTHER}`)).body;
    expect(other.approved).toEqual([]);
    expect(other.denied).toEqual([{ dataset: OTHER, requests: 1 }]);
    expect(other.metrics.submitted).toBe(1);
  });

  it("shows the whole register without a dataset, our requests among any others", async () => {
    const { body } = await get("");
    expect(body.dataset).toBeNull();
    expect(body.approved.map((a) => a.request)).toEqual(expect.arrayContaining([APPROVED, REVOKED]));
    expect(body.denied).toEqual(expect.arrayContaining([{ dataset: DATASET, requests: 1 }]));
  });

  it("leaves out an entry the sequencer has not integrated yet, and shows it once it has", async () => {
    await recordLogEvent(submitted(LATE, [`${DATASET}/2`]), day(20));
    expect((await get(`?dataset=${DATASET}`)).body.metrics.submitted).toBe(3);
    await sequenceAll();
    const { body } = await get(`?dataset=${DATASET}`);
    expect(body.metrics.submitted).toBe(4);
    expect(body.metrics.byState.submitted).toBe(1);
  });

  it("refuses a malformed dataset with 422 naming the field", async () => {
    const { status, body } = await get("?dataset=TLR-2026-1.D1");
    expect(status).toBe(422);
    expect(body.error?.fieldErrors).toHaveProperty("dataset");
    expect((await get("?trial=TLR-2026")).body.error?.fieldErrors).toHaveProperty("trial");
    expect((await get("?dataset=")).status).toBe(200);
  });

  it("is in the OpenAPI document", async () => {
    const response = await handlerMeta(openApiRoute.GET)?.respondAs?.(null, new Request("http://localhost/api/openapi.json"));
    const doc = (await response?.json()) as { paths: Record<string, { get?: { operationId: string } }>; components: { schemas: Record<string, unknown> } };
    expect(doc.paths["/api/access/register"]?.get?.operationId).toBe("getAccessRegister");
    expect(doc.components.schemas).toHaveProperty("AccessRegister");
  });
});
