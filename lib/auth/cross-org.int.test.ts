// Authorization across organisations (issue 8, acceptance): for every handler that acts on an
// object owned by an organisation — a trial, its versions, files, consent items, enrolment codes,
// pseudonym challenges, the organisation's members and invitations, its uploads — an administrator
// of organisation A calls it on organisation B's object and is refused (403/404), and nothing in
// the database changes. Then B's own member makes the same call and it does change something, so
// the refusal is about the organisation, not a malformed call.
//
// Handlers come from the handler registry (scripts/test/handlers.ts): a new handler whose access
// names roles fails "covers every handler" until it gets a case in CROSS_ORG, or a reason in
// NO_ORG_OBJECT. Public and signed-in-only handlers are lib/auth/access.int.test.ts's business.
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { getSessionUser } from "@/lib/auth/data";
import type { SessionUser } from "@/lib/auth/roles";
import { signUp } from "@/lib/auth/service";
import { generateEnrolmentCodes, issuePseudonymChallenge, saveConsentItems } from "@/lib/consent/service";
import * as tusRoute from "@/app/api/uploads/tus/[[...path]]/route";
import { handlerMeta } from "@/lib/handler";
import { acceptInvite, createOrganization, inviteMember } from "@/lib/orgs/service";
import { getDataset } from "@/lib/datasets/data";
import { addFile, createDataset, publicationMeaning, publishRelease, saveDraft } from "@/lib/datasets/service";
import { recordDemoPseudonyms } from "@/lib/demo/mutations";
import { DUO_RELEASE } from "@/lib/duo/conditions";
import { getTrialByNumber } from "@/lib/registry/data";
import { exampleTrialRecord } from "@/lib/registry/example";
import type { TrialRecord } from "@/lib/registry/schema";
import { registerSigned, signedAmendment, signedRegistration } from "@/scripts/test/signing";
import { blobStore } from "@/lib/blobs/store";
import { uploadFile } from "@/lib/storage/uploads";
import { snapshotTables } from "@/scripts/test/database";
import { type HandlerCall, callAs, declaredHandlers } from "@/scripts/test/handlers";
import { uniqueEmail } from "@/scripts/test/support";

type Person = SessionUser;
type World = {
  /** An administrator of organisation A: the strongest member A has. */
  attacker: Person;
  orgA: { id: string };
  b: {
    admin: Person;
    member: Person;
    /** Has an open invitation to B; not a member yet. */
    invitee: Person;
    inviteToken: string;
    org: { id: string; slug: string };
    registrationNumber: string;
    /** A file B uploaded and has not attached: private. */
    privateDigest: string;
    challengeId: string;
    /** Resumable uploads B's member began (10 of 20 bytes sent): one to continue, one to abandon. */
    tus: { append: string; abandon: string };
    /** Datasets of B's trial: a draft being edited, a draft ready to publish, one published. */
    datasets: { draft: string; draftDocumentId: string; ready: string; published: string };
  };
};

type Call = HandlerCall;

type CrossOrgCase = {
  /** What B's object is and what A tries on it. */
  tries: string;
  call: (w: World) => Promise<Call> | Call;
  /** Who in B may make the same call (the positive control). */
  owner: (w: World) => Person;
  /** The owner's call, when it is not the same as A's (default: the same). */
  ownerCall?: (w: World) => Promise<Call> | Call;
  /** The handler only reads: the owner's call succeeds (2xx) and writes nothing either. */
  reads?: true;
  /** The refusal: 403 or 404 unless said otherwise, with the reason. */
  refusedWith?: number[];
  /** What else must still hold after the refusal, beyond "no row changed". */
  alsoUnchanged?: (w: World) => Promise<void>;
};

const currentVersion = async (registrationNumber: string) => (await getTrialByNumber(registrationNumber))?.versions.at(-1)?.version ?? 0;
const amended = (): TrialRecord => ({ ...structuredClone(exampleTrialRecord), publicTitle: `Amended ${randomBytes(4).toString("hex")}` });
const json = (value: unknown) => ({ body: JSON.stringify(value), headers: { "content-type": "application/json", origin: "http://localhost" } });
const DATASET_METADATA = { description: "Blood pressure per visit, for the cross-organisation test.", keywords: [], licence: "CC-BY-4.0", conditions: ["MONDO:0005044"], releaseNotes: "" };
const DATASET_DICTIONARY = {
  columns: [
    { name: "pseudonym", label: "Pseudonym", type: "text", required: true, pseudonym: true },
    { name: "sbp", label: "Systolic", type: "integer", required: true },
  ],
};
const DATASET_CONDITIONS = { duoRelease: DUO_RELEASE, permission: { code: "GRU" }, modifiers: {} };

/** The signature B's member would give to publish the dataset's draft (the test password). */
async function datasetSignature(number: string) {
  const row = await getDataset(number, { publishedOnly: false });
  if (!row) throw new Error(`no dataset ${number}`);
  const draft = row.releases.find((r) => r.status === "DRAFT");
  return { password: "long enough password", meaning: await publicationMeaning(row, draft?.number ?? 1) };
}

const CONSENT_ITEMS = [{ text: "My data may be used for research on other diseases.", ifGranted: ["DUO:0000042"], ifWithheld: ["DUO:0000007"] }];

/** Handler name → the calls on organisation B's objects that a member of A must not make. */
const CROSS_ORG: Record<string, CrossOrgCase[]> = {
  "audit.org.export": [
    {
      tries: "download B's audit trail with its private details",
      call: (w) => ({ kind: "route", method: "GET", url: `http://localhost/api/audit/orgs/${w.b.org.slug}/export`, params: { slug: w.b.org.slug } }),
      owner: (w) => w.b.admin,
      reads: true,
    },
  ],
  "uploads.create": [
    (() => {
      const bytes = randomBytes(20 * 1024);
      const digest = `0x${createHash("sha256").update(bytes).digest("hex")}`;
      return {
        tries: "upload a file for organisation B",
        call: (w: World): Call => ({ kind: "route", method: "POST", url: `http://localhost/api/uploads?org=${w.b.org.id}`, params: {}, body: new Uint8Array(bytes), headers: { "content-type": "application/octet-stream", origin: "http://localhost" } }),
        owner: (w: World) => w.b.member,
        alsoUnchanged: async () => expect(await blobStore().stat(digest)).toBeNull(),
      };
    })(),
  ],
  "trials.register": [
    {
      tries: "register a trial in organisation B (API)",
      call: async (w) => ({
        kind: "route",
        method: "POST",
        url: "http://localhost/api/trials",
        params: {},
        // Signed as the owner would (B's meaning, the test password), so only the organisation decides.
        ...json({ orgId: w.b.org.id, record: exampleTrialRecord, signature: await signedRegistration(w.b.org.id, exampleTrialRecord) }),
      }),
      owner: (w) => w.b.member,
    },
  ],
  "trials.amend": [
    {
      tries: "amend organisation B's trial (API)",
      call: async (w) => {
        const record = amended();
        return {
          kind: "route",
          method: "POST",
          url: `http://localhost/api/trials/${w.b.registrationNumber}/versions`,
          params: { number: w.b.registrationNumber },
          ...json({ basedOnVersion: await currentVersion(w.b.registrationNumber), record, signature: await signedAmendment(w.b.registrationNumber, record) }),
        };
      },
      owner: (w) => w.b.member,
    },
  ],
  "consent.handover.get": [
    {
      tries: "read a pseudonym challenge a member of B issued",
      call: (w) => ({ kind: "route", method: "GET", url: `http://localhost/api/consent/handover/${w.b.challengeId}`, params: { id: w.b.challengeId } }),
      owner: (w) => w.b.admin,
      reads: true,
    },
  ],
  "orgs.invite": [
    {
      tries: "invite someone into organisation B",
      call: (w) => ({ kind: "action", input: { orgId: w.b.org.id, email: uniqueEmail("smuggled"), role: "ADMIN", committee: "false" } }),
      owner: (w) => w.b.admin,
    },
  ],
  "orgs.acceptInvite": [
    {
      tries: "accept an invitation into organisation B addressed to someone else",
      call: (w) => ({ kind: "action", input: { token: w.b.inviteToken } }),
      owner: (w) => w.b.invitee,
    },
  ],
  "orgs.committeeSeat": [
    {
      tries: "give a member of organisation B a committee seat",
      call: (w) => ({ kind: "action", input: { orgId: w.b.org.id, userId: w.b.member.id, seated: "true" } }),
      owner: (w) => w.b.admin,
    },
  ],
  "registry.register": [
    {
      tries: "register a trial in organisation B",
      call: async (w) => ({ kind: "action", input: { orgId: w.b.org.id, record: exampleTrialRecord, signature: await signedRegistration(w.b.org.id, exampleTrialRecord) } }),
      owner: (w) => w.b.member,
    },
    {
      tries: "attach organisation B's private upload to a trial of A's own (issue 8, point 11)",
      call: async (w) => ({
        kind: "action",
        input: {
          orgId: w.orgA.id,
          record: exampleTrialRecord,
          attachments: [{ kind: "protocol", name: "theirs.pdf", digest: w.b.privateDigest }],
          signature: await signedRegistration(w.orgA.id, exampleTrialRecord),
        },
      }),
      owner: (w) => w.b.member,
      ownerCall: async (w) => ({
        kind: "action",
        input: {
          orgId: w.b.org.id,
          record: exampleTrialRecord,
          attachments: [{ kind: "protocol", name: "ours.pdf", digest: w.b.privateDigest }],
          signature: await signedRegistration(w.b.org.id, exampleTrialRecord),
        },
      }),
      // 422 "was not uploaded", as for a digest nobody uploaded: a 403 would tell A that B has it.
      refusedWith: [422],
    },
  ],
  "registry.amend": [
    {
      tries: "amend organisation B's trial",
      call: async (w) => {
        const record = amended();
        const signature = await signedAmendment(w.b.registrationNumber, record);
        return { kind: "action", input: { registrationNumber: w.b.registrationNumber, basedOnVersion: await currentVersion(w.b.registrationNumber), record, signature } };
      },
      owner: (w) => w.b.member,
    },
  ],
  "consent.codes.generate": [
    {
      tries: "generate enrolment codes for organisation B's trial",
      call: (w) => ({ kind: "action", input: { registrationNumber: w.b.registrationNumber, count: 3 } }),
      owner: (w) => w.b.member,
    },
  ],
  "consent.items.save": [
    {
      tries: "replace the consent items of organisation B's trial",
      call: (w) => ({ kind: "action", input: { registrationNumber: w.b.registrationNumber, items: [{ ...CONSENT_ITEMS[0], text: "Anything goes." }], basedOnVersion: 1 } }),
      owner: (w) => w.b.member,
    },
  ],
  "consent.handover.issue": [
    {
      tries: "issue a pseudonym challenge for organisation B's trial",
      call: (w) => ({ kind: "action", input: { registrationNumber: w.b.registrationNumber } }),
      owner: (w) => w.b.member,
    },
  ],
};

Object.assign(CROSS_ORG, {
  "datasets.create": [
    {
      tries: "create a dataset for organisation B's trial",
      call: (w: World): Call => ({ kind: "action", input: { registrationNumber: w.b.registrationNumber, title: "Smuggled dataset", orgSlug: w.b.org.slug } }),
      owner: (w: World) => w.b.member,
    },
  ],
  "datasets.save-draft": [
    {
      tries: "rewrite the draft of organisation B's dataset",
      call: (w: World): Call => ({ kind: "action", input: { datasetNumber: w.b.datasets.draft, section: "metadata", value: JSON.stringify({ ...DATASET_METADATA, description: "Rewritten by someone else entirely." }) } }),
      owner: (w: World) => w.b.member,
    },
  ],
  "datasets.add-file": [
    {
      tries: "add B's private upload to the draft of B's dataset",
      call: (w: World): Call => ({ kind: "action", input: { datasetNumber: w.b.datasets.draft, name: "extra.bin", digest: w.b.privateDigest } }),
      owner: (w: World) => w.b.member,
    },
  ],
  "datasets.validate": [
    {
      tries: "validate the files of B's draft (which writes their reports)",
      call: (w: World): Call => ({ kind: "action", input: { datasetNumber: w.b.datasets.draft } }),
      owner: (w: World) => w.b.member,
    },
  ],
  "datasets.remove-file": [
    {
      tries: "remove a file from the draft of B's dataset",
      call: (w: World): Call => ({ kind: "action", input: { datasetNumber: w.b.datasets.draft, fileId: w.b.datasets.draftDocumentId } }),
      owner: (w: World) => w.b.member,
    },
  ],
  "datasets.pseudonyms": [
    {
      tries: "download the pseudonyms B's participants proved",
      call: (w: World): Call => ({ kind: "action", input: { datasetNumber: w.b.datasets.draft } }),
      owner: (w: World) => w.b.member,
      reads: true,
    },
  ],
  "datasets.publish": [
    {
      tries: "publish B's dataset release, signing with B's meaning",
      call: async (w: World): Promise<Call> => ({ kind: "action", input: { datasetNumber: w.b.datasets.ready, signature: await datasetSignature(w.b.datasets.ready) } }),
      owner: (w: World) => w.b.member,
    },
  ],
  "datasets.new-release": [
    {
      tries: "start a new release of B's published dataset",
      call: (w: World): Call => ({ kind: "action", input: { datasetNumber: w.b.datasets.published } }),
      owner: (w: World) => w.b.member,
    },
  ],
} satisfies Record<string, CrossOrgCase[]>);

const TUS = "http://localhost/api/uploads/tus";
const tusHeaders = (extra: Record<string, string>) => ({ "tus-resumable": "1.0.0", origin: "http://localhost", ...extra });
const tusMetadata = (orgId: string, filename: string) => `orgId ${Buffer.from(orgId).toString("base64")},filename ${Buffer.from(filename).toString("base64")}`;
/** A tus creation for organisation `orgId` carrying the whole (tiny) file: it finishes at once. */
const tusCreate = (orgId: string, bytes: Uint8Array): Call => ({
  kind: "route",
  method: "POST",
  url: TUS,
  params: {},
  body: new Uint8Array(bytes),
  headers: tusHeaders({ "upload-length": String(bytes.length), "upload-metadata": tusMetadata(orgId, "visits.csv"), "content-type": "application/offset+octet-stream" }),
});

Object.assign(CROSS_ORG, {
  "uploads.tus.create": [
    {
      tries: "begin a resumable upload for organisation B",
      call: (w: World) => tusCreate(w.b.org.id, randomBytes(32)),
      owner: (w: World) => w.b.member,
    },
  ],
  "uploads.tus.offset": [
    {
      tries: "read the offset of an upload B's member began",
      call: (w: World): Call => ({ kind: "route", method: "HEAD", url: w.b.tus.append, params: {}, headers: tusHeaders({}) }),
      owner: (w: World) => w.b.member,
      reads: true,
    },
  ],
  "uploads.tus.append": [
    {
      tries: "finish an upload B's member began",
      call: (w: World): Call => ({
        kind: "route",
        method: "PATCH",
        url: w.b.tus.append,
        params: {},
        body: new Uint8Array(10),
        headers: tusHeaders({ "upload-offset": "10", "content-type": "application/offset+octet-stream" }),
      }),
      owner: (w: World) => w.b.member,
    },
  ],
  "uploads.tus.abandon": [
    {
      tries: "abandon an upload B's member began",
      call: (w: World): Call => ({ kind: "route", method: "DELETE", url: w.b.tus.abandon, params: {}, headers: tusHeaders({}) }),
      owner: (w: World) => w.b.member,
      // Abandoning removes the bytes in flight from the tus datastore, which is outside the
      // database: the owner's call succeeds and changes no row (checked like a read).
      reads: true,
      alsoUnchanged: async (w: World) => {
        const meta = handlerMeta(tusRoute.HEAD);
        if (!meta) throw new Error("no uploads.tus.offset handler");
        expect(await callAs(meta, w.b.member, { kind: "route", method: "HEAD", url: w.b.tus.abandon, params: {}, headers: tusHeaders({}) })).toBe(200);
      },
    },
  ],
} satisfies Record<string, CrossOrgCase[]>);

/** Name prefixes whose handlers another file walks from the registry (lib/access/authorization.int.test.ts). */
const DELEGATED = ["access.", "committee."];

/** Handlers limited to roles that act on no object of an existing organisation, with the reason. */
const NO_ORG_OBJECT: Record<string, string> = {
  "audit.export": "the whole audit trail, for site administrators only; its organisation filter narrows the export, it grants nothing",
  "orgs.create": "creates a new organisation with the caller as its administrator; it names no existing one",
  "ga4gh.passport": "the caller's own visas: it takes no input, and the session's account id is its only filter (lib/access/decisions.int.test.ts: another researcher's passport holds none of them)",
};

async function sponsor(label: string): Promise<Person> {
  const created = await signUp({ name: `${label} person`, email: uniqueEmail(label), password: "long enough password", accountType: "SPONSOR" });
  const user = await getSessionUser(created.id);
  if (!user) throw new Error("user vanished");
  return user;
}

describe("no handler lets a member of one organisation act on another's objects", async () => {
  const { routes, actions } = await declaredHandlers();
  const declared = [...routes, ...actions];
  const byName = new Map(declared.map((d) => [d.meta.name, d.meta]));
  const roleLimited = declared.filter((d) => Array.isArray(d.meta.access)).map((d) => d.meta.name);

  it("covers every handler limited to roles: a cross-organisation case, or the reason it acts on no organisation's object", () => {
    const covered = [...Object.keys(CROSS_ORG), ...Object.keys(NO_ORG_OBJECT)];
    expect(Object.keys(CROSS_ORG).filter((name) => name in NO_ORG_OBJECT)).toEqual([]);
    // Access requests have their own walk of the registry, with another researcher and another
    // organisation's committee as the callers: lib/access/authorization.int.test.ts.
    expect(new Set(covered)).toEqual(new Set(roleLimited.filter((name) => !DELEGATED.some((prefix) => name.startsWith(prefix)))));
  });

  const world = {} as World;
  beforeAll(async () => {
    const attacker = await sponsor("attacker");
    const orgA = await createOrganization({ name: "Attacker Trials", creator: attacker });
    const admin = await sponsor("b-admin");
    const member = await sponsor("b-member");
    const invitee = await sponsor("b-invitee");
    const org = await createOrganization({ name: "Victim Trials", creator: admin });
    const joined = await inviteMember({ orgId: org.id, email: member.email, role: "MEMBER", committee: false, inviter: admin });
    await acceptInvite({ token: joined.link.split("/invite/")[1] ?? "", user: member });
    const pending = await inviteMember({ orgId: org.id, email: invitee.email, role: "ADMIN", committee: false, inviter: admin });

    const attachedUpload = await uploadFile({ orgId: org.id, user: admin, body: Readable.from([randomBytes(16 * 1024)]) });
    const privateUpload = await uploadFile({ orgId: org.id, user: member, body: Readable.from([randomBytes(16 * 1024)]) });
    const { registrationNumber } = await registerSigned({
      orgId: org.id,
      user: admin,
      input: structuredClone(exampleTrialRecord),
      attachments: [{ kind: "protocol", name: "protocol.pdf", digest: attachedUpload.digest }],
    });
    await saveConsentItems({ registrationNumber, items: CONSENT_ITEMS, user: admin });
    await generateEnrolmentCodes({ registrationNumber, count: 2, user: admin });
    const challenge = await issuePseudonymChallenge({ registrationNumber, user: admin });
    const trial = await getTrialByNumber(registrationNumber);
    const pseudonyms = await recordDemoPseudonyms(trial?.id ?? "", 2);
    const rows = uploadFile({ orgId: org.id, user: admin, body: Readable.from([Buffer.from(`pseudonym,sbp\n${pseudonyms.map((p) => `${p},120`).join("\n")}\n`)]) });
    const document = uploadFile({ orgId: org.id, user: admin, body: Readable.from([randomBytes(4 * 1024)]) });
    const dataset = async (publish: boolean, withDocument = false) => {
      const { number } = await createDataset({ user: admin, registrationNumber, title: "Blood pressure by visit" });
      for (const [section, value] of [["metadata", DATASET_METADATA], ["dictionary", DATASET_DICTIONARY], ["conditions", DATASET_CONDITIONS]] as const) {
        await saveDraft({ user: admin, datasetNumber: number, section, value });
      }
      await addFile({ user: admin, datasetNumber: number, name: "visits.csv", digest: (await rows).digest });
      const added = withDocument ? await addFile({ user: admin, datasetNumber: number, name: "protocol.pdf", digest: (await document).digest }) : null;
      if (publish) await publishRelease({ user: admin, datasetNumber: number, signature: await datasetSignature(number) });
      return { number, documentId: added?.fileId ?? "" };
    };
    const begin = async () => {
      const meta = handlerMeta(tusRoute.POST);
      if (!meta?.respondAs) throw new Error("no uploads.tus.create route");
      const call = tusCreate(org.id, new Uint8Array(20)) as Extract<Call, { kind: "route" }>;
      const response = await meta.respondAs(member, new Request(call.url, { method: "POST", body: new Uint8Array(10), headers: { ...call.headers, "upload-length": "20" } }), { params: Promise.resolve({}) });
      if (response.status !== 201) throw new Error(`tus creation answered ${response.status}`);
      return new URL(response.headers.get("location") ?? "", TUS).toString();
    };
    const tus = { append: await begin(), abandon: await begin() };
    const draft = await dataset(false, true);
    const datasets = { draft: draft.number, draftDocumentId: draft.documentId, ready: (await dataset(false)).number, published: (await dataset(true)).number };
    Object.assign(world, {
      attacker,
      orgA,
      b: { admin, member, invitee, inviteToken: pending.link.split("/invite/")[1] ?? "", org, registrationNumber, privateDigest: privateUpload.digest, challengeId: challenge.id, datasets, tus },
    });
  });

  const cases = Object.entries(CROSS_ORG).flatMap(([name, list]) => list.map((c) => [`${name}: ${c.tries}`, name, c] as const));
  it.each(cases)("%s", async (_label, name, c) => {
    const meta = byName.get(name);
    expect(meta, `no handler is named ${name}`).toBeDefined();
    if (!meta) return;

    const before = await snapshotTables();
    const refused = await callAs(meta, world.attacker, await c.call(world));
    expect(c.refusedWith ?? [403, 404]).toContain(refused);
    expect(await snapshotTables()).toEqual(before);
    await c.alsoUnchanged?.(world);

    // The same call by B's own member goes through and writes something, so the refusal above was
    // about the organisation. Actions that revalidate a page answer 500 outside Next.js after
    // their work is done (revalidatePath needs Next's request store): the changed rows show it.
    const allowed = await callAs(meta, c.owner(world), await (c.ownerCall ?? c.call)(world));
    if (c.reads) {
      expect(allowed, `${name} as B's member`).toBeLessThan(300);
      expect(await snapshotTables()).toEqual(before);
    } else {
      expect(allowed === 500 || allowed < 400, `${name} as B's member answered ${allowed}`).toBe(true);
      expect(await snapshotTables()).not.toEqual(before);
    }
  });
});
