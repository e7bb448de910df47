// Search over real search rows (issue 10, point 8): trials written by the registry's own
// registration and amendment (which index them in their transaction), datasets written here as
// the publishing code would and indexed with indexDataset. A marker word unique to each run keeps
// every search to this file's rows, on PGlite and on a shared PostgreSQL alike.
import { randomBytes, randomInt } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getSessionUser } from "@/lib/auth/data";
import type { SessionUser } from "@/lib/auth/roles";
import { signUp } from "@/lib/auth/service";
// eslint-disable-next-line no-restricted-imports -- the fixtures are datasets, releases and ontology terms written directly, as the publishing code (not in this branch) will, and rows read back to check what was indexed
import { prisma } from "@/lib/db";
import { DUO_RELEASE, type PermissionCode } from "@/lib/duo/conditions";
import { createOrganization } from "@/lib/orgs/service";
import { exampleTrialRecord } from "@/lib/registry/example";
import type { TrialRecord } from "@/lib/registry/schema";
import { searchCatalogue } from "@/lib/search/data";
import { datasetDocumentId, indexDataset, indexMissingTrials, trialDocumentId } from "@/lib/search/mutations";
import { type SearchQueryInput, searchQuery } from "@/lib/search/schema";
import { amendSigned, registerSigned } from "@/scripts/test/signing";
import { uniqueEmail } from "@/scripts/test/support";

const marker = `zq${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
const query = (input: SearchQueryInput) => searchQuery.parse(input);
const trials = async (input: SearchQueryInput) => (await searchCatalogue("trial", query({ q: marker, ...input }))).results.map((r) => r.registrationNumber);
const datasets = async (input: SearchQueryInput) => (await searchCatalogue("dataset", query({ q: marker, ...input }))).results.map((r) => r.number);

type Setup = { user: SessionUser; org: { id: string; name: string } };
let setup: Setup;

beforeAll(async () => {
  const created = await signUp({ name: "Search tester", email: uniqueEmail("search"), password: "long enough password", accountType: "SPONSOR" });
  const user = await getSessionUser(created.id);
  if (!user) throw new Error("user vanished");
  const org = await createOrganization({ name: `Sponsor ${marker}`, creator: user });
  setup = { user, org: { id: org.id, name: `Sponsor ${marker}` } };
});

function variant(patch: (r: TrialRecord) => void): TrialRecord {
  const record: TrialRecord = structuredClone(exampleTrialRecord);
  record.acronym = marker;
  patch(record);
  return record;
}

const register = async (record: TrialRecord) => {
  const trial = await registerSigned({ orgId: setup.org.id, user: setup.user, input: record });
  const row = await prisma().trial.findUniqueOrThrow({ where: { registrationNumber: trial.registrationNumber }, select: { id: true } });
  return { number: trial.registrationNumber, id: row.id };
};

/** Mondo-like ids no real term has (9xxxxxx), fresh per run: parent ⊃ child ⊃ grandchild, and an unrelated one. */
function ontologyIds() {
  const base = 9_000_000 + randomInt(0, 900_000);
  const id = (n: number) => `MONDO:${String(base + n).padStart(7, "0")}`;
  return { parent: id(0), child: id(1), grandchild: id(2), unrelated: id(3) };
}

type DatasetSpec = { trialId: string; title: string; conditions: string[]; permission: PermissionCode; formats: string[]; published?: boolean };

/** A dataset with one release (published unless said otherwise) and its files, as the publishing code writes them. */
async function writeDataset(spec: DatasetSpec, db: Parameters<typeof indexDataset>[0]) {
  const trial = await db.trial.findUniqueOrThrow({ where: { id: spec.trialId }, select: { registrationNumber: true } });
  const count = await db.dataset.count({ where: { trialId: spec.trialId } });
  const dataset = await db.dataset.create({
    data: { number: `${trial.registrationNumber}.D${count + 1}`, trialId: spec.trialId, orgId: setup.org.id, title: spec.title, createdById: setup.user.id },
  });
  const published = spec.published ?? true;
  await db.datasetRelease.create({
    data: {
      datasetId: dataset.id,
      number: 1,
      status: published ? "PUBLISHED" : "DRAFT",
      publishedAt: published ? new Date() : null,
      publishedById: published ? setup.user.id : null,
      createdById: setup.user.id,
      metadata: { description: `Participant-level data of the ${marker} study, one row per visit.`, keywords: ["blood pressure"], licence: "CC-BY-4.0", conditions: spec.conditions, releaseNotes: "" },
      dictionary: { columns: [] },
      conditions: {
        duoRelease: DUO_RELEASE,
        permission: spec.permission === "DS" ? { code: "DS", diseases: spec.conditions } : { code: spec.permission },
        modifiers: {},
      },
      files: {
        create: spec.formats.map((format, i) => ({
          name: `file-${i}.${format}`,
          digest: `0x${randomBytes(32).toString("hex")}`,
          size: BigInt(1000 + i),
          format,
          mediaType: "text/plain",
        })),
      },
    },
  });
  await indexDataset(db, dataset.id);
  return { id: dataset.id, number: dataset.number };
}

const publish = (spec: DatasetSpec) => prisma().$transaction((tx) => writeDataset(spec, tx));

describe("registry search", () => {
  let htn: { number: string; id: string };
  let asthma: { number: string; id: string };
  let amended: { number: string; id: string };

  beforeAll(async () => {
    htn = await register(variant((r) => (r.publicTitle = `Insulin pumps for adults with type 1 diabetes (${marker} one)`)));
    asthma = await register(
      variant((r) => {
        r.publicTitle = `Inhaled steroids in severe asthma (${marker} two)`;
        r.conditions = [{ name: "Severe asthma", code: "J45" }];
        r.studyType.phase = "phase-2";
        r.recruitmentStatus = "recruiting";
        r.countries = ["US"];
        r.primarySponsor = "Southwind Pharma";
        r.secondarySponsors = [];
      }),
    );
    amended = await register(variant((r) => (r.publicTitle = `A pill for blood pressure (${marker} three)`)));
    // An amendment changes the status and countries: search sees the current version only.
    await amendSigned({
      registrationNumber: amended.number,
      user: setup.user,
      basedOnVersion: 1,
      input: variant((r) => {
        r.publicTitle = `A pill for blood pressure (${marker} three)`;
        r.recruitmentStatus = "suspended";
        r.countries = ["DE"];
      }),
    });
  });

  it("indexes a trial in the registration's and the amendment's transaction", async () => {
    const row = await prisma().searchDocument.findUniqueOrThrow({ where: { id: trialDocumentId(amended.id) } });
    expect(row).toMatchObject({ kind: "trial", ref: amended.number, status: "suspended", countries: ["DE"], sponsor: "Northwind Clinical Research" });
    expect(row.summary).toMatchObject({ registrationNumber: amended.number, currentVersion: 2, recruitmentStatus: "suspended" });
  });

  it("stems words: “diabetic” finds a trial about diabetes", async () => {
    expect(await trials({ q: `diabetic ${marker}` })).toEqual([htn.number]);
    expect(await trials({ q: `steroid ${marker}` })).toEqual([asthma.number]);
    expect(await trials({ q: `"severe asthma" ${marker}` })).toEqual([asthma.number]);
    expect(await trials({ q: `${marker} -asthma` })).not.toContain(asthma.number);
  });

  it("matches parts of words through pg_trgm", async () => {
    // "diab" and "nhale" are no stem of any word here: only the part-word match finds them.
    expect(await trials({ q: `diab ${marker}` })).toEqual([htn.number]);
    expect(await trials({ q: `nhale ${marker}` })).toEqual([asthma.number]); // "Inhaled"
    expect(await trials({ q: marker.slice(0, -2) })).toEqual(expect.arrayContaining([htn.number, asthma.number, amended.number]));
    // The registration number is searchable text too.
    expect(await trials({ q: asthma.number })).toEqual([asthma.number]);
  });

  it("filters by each facet and counts the facets among the matches", async () => {
    const sorted = (list: string[]) => [...list].sort();
    expect(sorted(await trials({}))).toEqual(sorted([htn.number, asthma.number, amended.number]));
    expect(await trials({ phase: "phase-2" })).toEqual([asthma.number]);
    expect(await trials({ phase: "phase-4" })).toEqual([]);
    expect(await trials({ status: "suspended" })).toEqual([amended.number]);
    expect(await trials({ status: "pending" })).toEqual([htn.number]);
    expect(await trials({ country: "us" })).toEqual([asthma.number]);
    expect(await trials({ country: "DE" })).toEqual([amended.number]);
    expect(await trials({ sponsor: "southwind pharma" })).toEqual([asthma.number]);
    expect(await trials({ phase: "phase-3", country: "GB" })).toEqual([htn.number]);

    const result = await searchCatalogue("trial", query({ q: marker }));
    expect(result).toMatchObject({ total: 3, totalIsExact: true });
    expect(result.facets.phase).toEqual({ "phase-3": 2, "phase-2": 1 });
    expect(result.facets.status).toEqual({ pending: 1, recruiting: 1, suspended: 1 });
    expect(result.facets.country).toEqual({ GB: 1, IE: 1, NL: 1, US: 1, DE: 1 });
    expect(result.facets.sponsor).toEqual({ "Northwind Clinical Research": 2, "Southwind Pharma": 1 });
    expect(result.facets.permission).toEqual({});
  });

  it("sorts by newest, oldest, title and relevance", async () => {
    expect(await trials({ sort: "newest" })).toEqual([amended.number, asthma.number, htn.number]);
    expect(await trials({ sort: "oldest" })).toEqual([htn.number, asthma.number, amended.number]);
    expect(await trials({ sort: "title" })).toEqual([amended.number, asthma.number, htn.number]); // A pill, Inhaled, Insulin
    // "adults" is in every trial's scientific title (weight B) and in the oldest one's public title
    // (weight A): that one ranks first, though ties go to the newest.
    const byRelevance = await trials({ q: `${marker} adult`, sort: "relevance" });
    expect(byRelevance).toHaveLength(3);
    expect(byRelevance[0]).toBe(htn.number);
    // With text and no sort given, relevance is the default.
    expect(await trials({ q: `${marker} adult` })).toEqual(byRelevance);
  });

  it("pages through the results within bounds", async () => {
    const first = await searchCatalogue("trial", query({ q: marker, sort: "oldest", pageSize: 2 }));
    expect(first.results.map((r) => r.registrationNumber)).toEqual([htn.number, asthma.number]);
    expect(first).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    const second = await searchCatalogue("trial", query({ q: marker, sort: "oldest", pageSize: 2, page: 2 }));
    expect(second.results.map((r) => r.registrationNumber)).toEqual([amended.number]);
    const past = await searchCatalogue("trial", query({ q: marker, pageSize: 2, page: 3 }));
    expect(past.results).toEqual([]);
    expect(past.total).toBe(3);
    // The same page under relevance, ordered in the window.
    const relevancePage = await searchCatalogue("trial", query({ q: marker, sort: "title", pageSize: 1, page: 2 }));
    expect(relevancePage.results.map((r) => r.registrationNumber)).toEqual([asthma.number]);
  });

  it("counts up to 1,000 and still pages the newest and oldest over every match beyond", async () => {
    const many = `${marker}many`;
    // 1,005 rows written in one statement: through registrations this would take minutes.
    await prisma().$executeRaw`
      INSERT INTO "SearchDocument" ("id", "kind", "ref", "title", "text", "sponsor", "countries", "conditionIds", "fileTypes",
        "registeredAt", "updatedAt", "summary", "tsv")
      SELECT 'trial:' || ${many} || g, 'trial', ${many} || '-' || g, 'Bulk ' || g, ${many}, 'Bulk sponsor', '{}', '{}', '{}',
        timestamp '2020-01-01' + g * interval '1 minute', now(), jsonb_build_object('registrationNumber', ${many} || '-' || g),
        to_tsvector('english', ${many})
      FROM generate_series(1, 1005) g`;
    const newest = await searchCatalogue("trial", query({ q: many, sort: "newest", pageSize: 2 }));
    expect(newest).toMatchObject({ total: 1000, totalIsExact: false });
    expect(newest.results.map((r) => r.registrationNumber)).toEqual([`${many}-1005`, `${many}-1004`]);
    const oldest = await searchCatalogue("trial", query({ q: many, sort: "oldest", pageSize: 2, page: 2 }));
    expect(oldest.results.map((r) => r.registrationNumber)).toEqual([`${many}-3`, `${many}-4`]);
    expect(newest.facets.sponsor).toEqual({ "Bulk sponsor": 1001 });
    await prisma().searchDocument.deleteMany({ where: { text: many } });
  });

  it("indexes at boot the trials that have no search row", async () => {
    await prisma().searchDocument.delete({ where: { id: trialDocumentId(htn.id) } });
    expect(await trials({ q: `diabetic ${marker}` })).toEqual([]);
    expect(await indexMissingTrials()).toBeGreaterThanOrEqual(1);
    expect(await trials({ q: `diabetic ${marker}` })).toEqual([htn.number]);
    expect(await indexMissingTrials()).toBe(0);
  });
});

describe("dataset catalogue search", () => {
  const ids = ontologyIds();
  let trialId: string;

  beforeAll(async () => {
    await prisma().ontologyTerm.createMany({
      data: [
        { id: ids.parent, label: `Parent disease ${marker}`, synonyms: [], parents: [], source: "test" },
        { id: ids.child, label: `Child disease ${marker}`, synonyms: [], parents: [ids.parent], source: "test" },
        { id: ids.grandchild, label: `Grandchild nephropathy ${marker}`, synonyms: [], parents: [ids.child], source: "test" },
        { id: ids.unrelated, label: `Unrelated disease ${marker}`, synonyms: [], parents: [], source: "test" },
      ],
    });
    trialId = (await register(variant((r) => (r.publicTitle = `Trial with datasets (${marker})`)))).id;
  });

  it("finds a dataset by a parent disease of its condition, and shows the condition's label", async () => {
    const dataset = await publish({ trialId, title: `Visits ${marker}`, conditions: [ids.grandchild], permission: "DS", formats: ["csv"] });
    expect(await datasets({ condition: ids.grandchild })).toContain(dataset.number);
    expect(await datasets({ condition: ids.child })).toContain(dataset.number);
    expect(await datasets({ condition: ids.parent.toLowerCase() })).toContain(dataset.number);
    expect(await datasets({ condition: ids.unrelated })).not.toContain(dataset.number);
    const result = await searchCatalogue("dataset", query({ q: marker, condition: ids.parent }));
    expect(result.results.find((r) => r.number === dataset.number)).toMatchObject({
      conditions: [{ id: ids.grandchild, label: `Grandchild nephropathy ${marker}` }],
      permission: "DS",
      fileTypes: ["csv"],
      sponsor: setup.org.name,
      release: 1,
    });
    // The condition's label is searchable text, stemmed: "nephropathies" finds "nephropathy".
    expect(await datasets({ q: `nephropathies ${marker}` })).toContain(dataset.number);
    // Trials (no Mondo ids) are never in a dataset search and the other way round.
    expect(await trials({ condition: ids.grandchild })).toEqual([]);
  });

  it("filters datasets by permission, file type, phase, country and sponsor", async () => {
    const gru = await publish({ trialId, title: `Labs ${marker}`, conditions: [ids.unrelated], permission: "GRU", formats: ["tsv", "other"] });
    const hmb = await publish({ trialId, title: `Diaries ${marker}`, conditions: [ids.unrelated], permission: "HMB", formats: ["ndjson"] });
    expect(await datasets({ permission: "GRU" })).toEqual([gru.number]);
    expect(await datasets({ permission: "HMB" })).toEqual([hmb.number]);
    expect(await datasets({ fileType: "other" })).toEqual([gru.number]);
    expect(await datasets({ fileType: "ndjson" })).toEqual([hmb.number]);
    expect(await datasets({ phase: "phase-3", permission: "GRU" })).toEqual([gru.number]);
    expect(await datasets({ phase: "phase-1", permission: "GRU" })).toEqual([]);
    expect(await datasets({ country: "nl", permission: "HMB" })).toEqual([hmb.number]);
    expect(await datasets({ country: "US", permission: "HMB" })).toEqual([]);
    expect(await datasets({ sponsor: setup.org.name.toUpperCase(), permission: "HMB" })).toEqual([hmb.number]);
    expect(await datasets({ sponsor: "Someone else", permission: "HMB" })).toEqual([]);
    const { facets } = await searchCatalogue("dataset", query({ q: marker, condition: ids.unrelated }));
    expect(facets.permission).toEqual({ GRU: 1, HMB: 1 });
    expect(facets.fileType).toEqual({ ndjson: 1, other: 1, tsv: 1 });
  });

  it("keeps a dataset with no published release out of the catalogue", async () => {
    const draft = await publish({ trialId, title: `Draft only ${marker}`, conditions: [ids.parent], permission: "GRU", formats: ["csv"], published: false });
    expect(await prisma().searchDocument.findUnique({ where: { id: datasetDocumentId(draft.id) } })).toBeNull();
    expect(await datasets({ q: `draft ${marker}` })).toEqual([]);
  });

  it("writes the search row in the publishing transaction: rolled back with it", async () => {
    const title = `Rolled back ${marker}`;
    let written: string | undefined;
    await expect(
      prisma().$transaction(async (tx) => {
        const dataset = await writeDataset({ trialId, title, conditions: [ids.parent], permission: "GRU", formats: ["csv"] }, tx);
        written = dataset.id;
        // Inside the transaction, the row is there.
        expect(await tx.searchDocument.count({ where: { id: datasetDocumentId(dataset.id) } })).toBe(1);
        throw new Error("publishing failed after indexing");
      }),
    ).rejects.toThrow("publishing failed after indexing");
    expect(written).toBeDefined();
    expect(await prisma().searchDocument.count({ where: { id: datasetDocumentId(written ?? "") } })).toBe(0);
    expect(await datasets({ q: `rolled ${marker}` })).toEqual([]);
  });
});
