// Consent-gated exports end to end on the real database, blob store and chain (issue 12,
// integration acceptance): rows filtered by each participant's current consent, pseudonyms re-keyed
// per approved request so two requests' exports share no value, a signed manifest that verifies and
// fails after a byte changes, links that expire and that a revoked grant stops at once, every
// download logged, Crypt4GH delivery to a registered key, and a withdrawal that the next export follows.
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { acceptAgreement, createRequest, decide, revokeGrant, saveRequest, submitRequest } from "@/lib/access/service";
import { mintVisa } from "@/lib/access/visa";
import { publicJwks } from "@/lib/access/visa-key";
import { requestForCommittee, listMyGrants } from "@/lib/access/views";
import type { SessionUser } from "@/lib/auth/roles";
import { canonicalize } from "@/lib/canonical-json";
import { seedOntologyIfEmpty } from "@/lib/duo/mutations";
import { crypt4ghDecrypt, crypt4ghKeyPair, formatCrypt4ghPublicKey } from "@/lib/exports/crypt4gh";
import { inclusionTagger } from "@/lib/exports/inclusion";
import { type ExportManifest, verifyExportManifest } from "@/lib/exports/manifest";
import { buildExport, createDownloadLink, exportInclusion, openDownload, setCrypt4ghKey, showExport } from "@/lib/exports/service";
import { type AccessFixture, accessFixture, account, completeForm } from "@/scripts/test/access";
import { query } from "@/scripts/test/database";
import { expectValidR4 } from "@/scripts/test/fhir-r4";
import { TEST_PASSWORD } from "@/scripts/test/signing";

const DAY = 86_400_000;
const HYPERTENSIVE_DISORDER = "MONDO:0005044";

// The demo trial's consent items (lib/demo/service.ts).
const ITEMS = [
  { number: 0, text: "My coded data may be used for research on this trial's condition (high blood pressure).", ifGranted: ["DUO:0000007"], ifWithheld: [] },
  { number: 1, text: "My coded data may also be used for research on other diseases.", ifGranted: ["DUO:0000042"], ifWithheld: ["DUO:0000007"] },
  { number: 2, text: "My coded data may be used by commercial companies.", ifGranted: [], ifWithheld: ["DUO:0000046"] },
];

type World = { sponsor: AccessFixture; nullifiers: { consented: string; withdrawn: string; undecided: string }; a: SessionUser; b: SessionUser; requestA: string; requestB: string };
const w = {} as World;

/** The participant's current decision in the portal's mirror of ConsentRegistry (what accepting a proof writes). */
async function setDecision(nullifier: string, grants: bigint, sequence: number): Promise<void> {
  await query(
    `INSERT INTO "ConsentState" ("trialId", "nullifier", "eventId", "sequence", "grants", "textVersion") VALUES ($1, $2, $3, $4, $5, 1)
     ON CONFLICT ("trialId", "nullifier") DO UPDATE SET "eventId" = EXCLUDED."eventId", "sequence" = EXCLUDED."sequence", "grants" = EXCLUDED."grants"`,
    [w.sponsor.trial.id, nullifier, `event-${nullifier.slice(0, 12)}-${sequence}`, sequence, grants.toString()],
  );
}

async function approvedRequest(researcher: SessionUser): Promise<string> {
  const { number } = await createRequest({ user: researcher, releases: [w.sponsor.release] });
  await saveRequest({ user: researcher, number, form: completeForm() });
  await acceptAgreement({ user: researcher, number });
  await submitRequest({ user: researcher, number });
  const meaning = (await requestForCommittee(w.sponsor.committee, number)).decisionMeanings.approve;
  await decide({ user: w.sponsor.committee, number, input: { decision: "approve", end: new Date(Date.now() + 200 * DAY), signature: { password: TEST_PASSWORD, meaning } }, mintVisa });
  return number;
}

/** Downloads every file of an export through fresh links, as the researcher's browser would. */
async function download(user: SessionUser, number: string): Promise<Map<string, Buffer>> {
  const shown = await showExport({ user, number });
  const files = new Map<string, Buffer>();
  for (const file of shown.files) {
    const link = await createDownloadLink({ user, number, fileId: file.id });
    const opened = await openDownload(link.token);
    const chunks: Buffer[] = [];
    for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
    files.set(opened.name, Buffer.concat(chunks));
  }
  return files;
}

const pseudonymsOf = (csv: Buffer) =>
  csv
    .toString("utf8")
    .split(/\r?\n/)
    .slice(1)
    .filter(Boolean)
    .map((line) => line.split(",")[0] ?? "");

beforeAll(async () => {
  // The built-in Mondo subset, as the portal seeds it: the matcher places hypertension under it.
  await seedOntologyIfEmpty();
  w.sponsor = await accessFixture("exports", { permission: { code: "DS", diseases: [HYPERTENSIVE_DISORDER] }, modifiers: {} });
  const rows = await query(`SELECT "nullifier" FROM "PseudonymChallenge" WHERE "trialId" = $1 ORDER BY "nullifier"`, [w.sponsor.trial.id]);
  const [consented, withdrawn, undecided] = rows.map((r) => String(r.nullifier));
  if (!consented || !withdrawn || !undecided) throw new Error("the fixture's release has three participants");
  w.nullifiers = { consented, withdrawn, undecided };
  const canonical = canonicalize(ITEMS);
  await query(`INSERT INTO "ConsentVersion" ("id", "trialId", "version", "items", "canonical", "digest", "createdById") VALUES ($1, $2, 1, $3::jsonb, $4, $5, $6)`, [
    `cv-${w.sponsor.trial.id}`,
    w.sponsor.trial.id,
    JSON.stringify(ITEMS),
    canonical,
    `0x${createHash("sha256").update(canonical).digest("hex")}`,
    w.sponsor.user.id,
  ]);
  await setDecision(consented, 0b001n, 1);
  await setDecision(withdrawn, 0b001n, 1);
  await setDecision(withdrawn, 0n, 2);
  w.a = await account("exports-a");
  w.b = await account("exports-b");
  w.requestA = await approvedRequest(w.a);
  w.requestB = await approvedRequest(w.b);
}, 120_000);

describe("a consent-gated export", () => {
  let first: { number: string; files: Map<string, Buffer> };

  it("keeps only the rows whose participant's current consent covers the purpose, re-keyed", async () => {
    const { number } = await buildExport({ user: w.a, number: w.requestA, release: w.sponsor.release });
    first = { number, files: await download(w.a, number) };
    const shown = await showExport({ user: w.a, number });
    expect(shown.status).toBe("ready");
    expect(shown.files.find((f) => f.kind === "data")).toMatchObject({ name: "visits.csv", rowsKept: 1, rowsExcluded: 2, encrypted: false });
    const csv = first.files.get("visits.csv");
    expect(csv).toBeDefined();
    const kept = pseudonymsOf(csv ?? Buffer.alloc(0));
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatch(/^[0-9a-f]{64}$/);
    const text = csv?.toString("utf8") ?? "";
    for (const raw of Object.values(w.nullifiers)) expect(text).not.toContain(raw);
    expect(first.files.has("data-dictionary.json")).toBe(true);
    const fhir = (first.files.get("fhir-r4.ndjson") ?? Buffer.alloc(0)).toString("utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as { resourceType: string; status: string });
    expect(fhir.map((r) => [r.resourceType, r.status])).toEqual([["Consent", "active"], ["ResearchSubject", "on-study"]]);
    for (const resource of fhir) expectValidR4(resource, resource.resourceType);
  });

  it("gives two requests' exports no pseudonym in common", async () => {
    const { number } = await buildExport({ user: w.b, number: w.requestB, release: w.sponsor.release });
    const other = pseudonymsOf((await download(w.b, number)).get("visits.csv") ?? Buffer.alloc(0));
    const mine = pseudonymsOf(first.files.get("visits.csv") ?? Buffer.alloc(0));
    expect(other).toHaveLength(1);
    expect(other.filter((p) => mine.includes(p))).toEqual([]);
  });

  it("comes with a signed manifest that verifies, names the consent block and every file's digest", async () => {
    const shown = await showExport({ user: w.a, number: first.number });
    const manifest: ExportManifest = await verifyExportManifest(shown.manifest, await publicJwks());
    expect(manifest.consent.blockNumber).toBeGreaterThan(0);
    expect(manifest.grant.request).toBe(w.requestA);
    for (const file of manifest.files) {
      const bytes = first.files.get(file.name);
      expect(bytes, file.name).toBeDefined();
      expect(`0x${createHash("sha256").update(bytes ?? "").digest("hex")}`).toBe(file.sha256);
    }
    const logged = await query(`SELECT "body" FROM "LogEntry" WHERE "kind" = 'export.created' AND "subjectId" = $1`, [first.number]);
    expect(logged).toHaveLength(1);
    expect(Buffer.from(logged[0]?.body as Uint8Array).toString("utf8")).toContain(shown.manifestDigest ?? "missing");
    const anchored = await query(`SELECT "digest" FROM "AnchorItem" WHERE "kind" = 'export-manifest' AND "digest" = $1`, [shown.manifestDigest]);
    expect(anchored).toHaveLength(1);
  });

  it("publishes inclusion tags: the consented participant's device finds itself, the others do not", async () => {
    const list = await exportInclusion(first.number);
    const tag = await inclusionTagger(list.exportId);
    expect(list.tags).toContain(await tag(w.nullifiers.consented));
    expect(list.tags).not.toContain(await tag(w.nullifiers.withdrawn));
    expect(list.tags).not.toContain(await tag(w.nullifiers.undecided));
  });

  it("logs every download with who, which file and how many bytes", async () => {
    const rows = await query(`SELECT "actorId", "body" FROM "LogEntry" WHERE "kind" = 'export.downloaded' AND "subjectId" = $1`, [first.number]);
    expect(rows.length).toBe(first.files.size);
    expect(rows.every((r) => r.actorId === w.a.id)).toBe(true);
    const bodies = rows.map((r) => JSON.parse(Buffer.from(r.body as Uint8Array).toString("utf8")) as { details: { file: string; bytes: number } });
    expect(bodies.find((b) => b.details.file === "visits.csv")?.details.bytes).toBe(first.files.get("visits.csv")?.length);
  });

  it("encrypts to the researcher's registered Crypt4GH key", async () => {
    const keys = crypt4ghKeyPair();
    await setCrypt4ghKey({ user: w.b, publicKey: formatCrypt4ghPublicKey(keys.publicKey) });
    const { number } = await buildExport({ user: w.b, number: w.requestB, release: w.sponsor.release });
    const files = await download(w.b, number);
    const sealed = files.get("visits.csv.c4gh");
    expect(sealed?.subarray(0, 8).toString("latin1")).toBe("crypt4gh");
    const plain = Buffer.from(crypt4ghDecrypt(new Uint8Array(sealed ?? Buffer.alloc(0)), keys.secretKey));
    const manifest = await verifyExportManifest((await showExport({ user: w.b, number })).manifest, await publicJwks());
    const listed = manifest.files.find((f) => f.name === "visits.csv");
    expect(`0x${createHash("sha256").update(plain).digest("hex")}`).toBe(listed?.sha256);
    expect(`0x${createHash("sha256").update(sealed ?? "").digest("hex")}`).toBe(listed?.encrypted?.sha256);
    await expect(setCrypt4ghKey({ user: w.b, publicKey: "not a key" })).rejects.toMatchObject({ code: "VALIDATION" });
  });

  it("follows a withdrawal: the next export leaves the row out", async () => {
    await setDecision(w.nullifiers.consented, 0n, 2);
    const { number } = await buildExport({ user: w.a, number: w.requestA, release: w.sponsor.release });
    const shown = await showExport({ user: w.a, number });
    expect(shown.files.find((f) => f.kind === "data")).toMatchObject({ rowsKept: 0, rowsExcluded: 3 });
    const list = await exportInclusion(number);
    expect(list.tags).not.toContain(await (await inclusionTagger(list.exportId))(w.nullifiers.consented));
    // The FHIR file says the participant the researcher received before has withdrawn, under the
    // same per-request pseudonym, and names no one the researcher never received.
    const [earlier] = pseudonymsOf(first.files.get("visits.csv") ?? Buffer.alloc(0));
    const resources = ((await download(w.a, number)).get("fhir-r4.ndjson") ?? Buffer.alloc(0))
      .toString("utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { resourceType: string; status: string; individual?: { identifier: { value: string } } });
    const subjects = resources.filter((r) => r.resourceType === "ResearchSubject");
    expect(subjects.map((r) => [r.status, r.individual?.identifier.value])).toEqual([["withdrawn", earlier]]);
    for (const resource of resources) expectValidR4(resource, `${resource.resourceType} after the withdrawal`);
    await setDecision(w.nullifiers.consented, 0b001n, 3);
  });

  it("refuses an expired link, and a revoked grant at the next request", async () => {
    const shown = await showExport({ user: w.a, number: first.number });
    const fileId = shown.files[0]?.id ?? "";
    const link = await createDownloadLink({ user: w.a, number: first.number, fileId });
    await expect(openDownload(link.token, new Date(Date.now() + 11 * 60 * 1000))).rejects.toMatchObject({ code: "GONE" });
    await expect(openDownload(`${link.token.slice(0, -2)}xx`)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const grant = (await listMyGrants(w.a)).find((g) => g.request === w.requestA);
    await revokeGrant({ user: w.sponsor.committee, grantId: grant?.id ?? "", reason: "Breach of the data use agreement." });
    await expect(openDownload(link.token)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createDownloadLink({ user: w.a, number: first.number, fileId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(buildExport({ user: w.a, number: w.requestA, release: w.sponsor.release })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("is not shown to anyone off the request's team", async () => {
    await expect(showExport({ user: w.b, number: first.number })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
