// Authorization of every access-request handler (issue 11, acceptance): for each route and action
// that acts on a request, a grant or a committee's settings, another researcher (for the
// researcher's acts) and a member of another organisation's committee (for the committee's) make
// the call and are refused with 403/404, and nothing in the database changes; then the request's
// own applicant, colleague or the deciding committee makes the same call and it goes through, so
// the refusal was about who asked, not a malformed call.
//
// Handlers come from the handler registry (scripts/test/handlers.ts): a new access handler fails
// "covers every access handler" until it gets a case here or a reason in OWN_ONLY, and
// lib/auth/cross-org.int.test.ts leaves the access.* and committee.api.* names to this file.
import { Readable } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { listMyGrants, requestForCommittee, requestForResearcher, committeeInbox } from "@/lib/access/views";
import { acceptAgreement, createRequest, decide, inviteMember, saveRequest, submitRequest, uploadDocument } from "@/lib/access/service";
import { mintVisa } from "@/lib/access/visa";
import { buildExport, showExport } from "@/lib/exports/service";
import type { SessionUser } from "@/lib/auth/roles";
import { listDevMail } from "@/lib/mail/data";
import { type AccessFixture, accessFixture, account, completeForm, publishedRelease } from "@/scripts/test/access";
import { snapshotTables } from "@/scripts/test/database";
import { type HandlerCall, callAs, declaredHandlers } from "@/scripts/test/handlers";
import { TEST_PASSWORD } from "@/scripts/test/signing";
import { uniqueEmail } from "@/scripts/test/support";

type World = {
  sponsor: AccessFixture;
  /** A second published release of the sponsor's (for adding and removing releases). */
  release2: string;
  applicant: SessionUser;
  colleague: SessionUser;
  /** Another researcher: the attacker on the researcher's side. */
  otherResearcher: SessionUser;
  /** Organisation A: its admin and a member of its committee, the attackers on the sponsor's side. */
  other: AccessFixture;
};
type Side = "researcher" | "committee" | "admin";
type Call = HandlerCall;
type Ctx = { number: string; grantId?: string; memberId?: string; token?: string; exportNumber?: string; fileId?: string };
type Case = {
  tries: string;
  side: Side;
  prepare: (w: World) => Promise<Ctx>;
  call: (w: World, ctx: Ctx) => Promise<Call> | Call;
  /** Who may make the call (default: the applicant for the researcher's side, the committee, the sponsor's admin). */
  owner?: (w: World) => SessionUser;
  reads?: true;
};

const DAY = 86_400_000;
const ORIGIN = { origin: "http://localhost" };
const jsonBody = (value: unknown) => ({ body: JSON.stringify(value), headers: { "content-type": "application/json", ...ORIGIN } });

async function draft(w: World, releases: string[] = [w.sponsor.release], accept = true): Promise<Ctx> {
  const { number } = await createRequest({ user: w.applicant, releases });
  await saveRequest({ user: w.applicant, number, form: completeForm() });
  if (accept) await acceptAgreement({ user: w.applicant, number });
  return { number };
}
async function submitted(w: World): Promise<Ctx> {
  const ctx = await draft(w);
  await submitRequest({ user: w.applicant, number: ctx.number });
  return ctx;
}
async function decisionSignature(w: World, number: string, decision: "approve" | "deny") {
  return { password: TEST_PASSWORD, meaning: (await requestForCommittee(w.sponsor.committee, number)).decisionMeanings[decision] };
}
async function approved(w: World): Promise<Ctx> {
  const ctx = await submitted(w);
  await decide({ user: w.sponsor.committee, number: ctx.number, input: { decision: "approve", end: new Date(Date.now() + 200 * DAY), signature: await decisionSignature(w, ctx.number, "approve") }, mintVisa });
  const grant = (await listMyGrants(w.applicant)).find((g) => g.request === ctx.number);
  return { ...ctx, grantId: grant?.id ?? "" };
}
async function exported(w: World): Promise<Ctx> {
  const ctx = await approved(w);
  const { number: exportNumber } = await buildExport({ user: w.applicant, number: ctx.number, release: w.sponsor.release });
  const fileId = (await showExport({ user: w.applicant, number: exportNumber })).files[0]?.id ?? "";
  return { ...ctx, exportNumber, fileId };
}
async function withDocument(w: World): Promise<Ctx> {
  const ctx = await draft(w);
  await uploadDocument({ user: w.applicant, number: ctx.number, kind: "sap", name: "sap.pdf", body: Readable.from([Buffer.from("%PDF-1.7 plan")]) });
  return ctx;
}
async function invited(w: World): Promise<Ctx> {
  const ctx = await draft(w);
  await inviteMember({ user: w.applicant, number: ctx.number, email: w.colleague.email });
  const mail = (await listDevMail(w.colleague.email, 1))[0];
  const token = /invitations\/([A-Za-z0-9_-]{43})/.exec(mail?.body ?? "")?.[1] ?? "";
  const member = (await requestForResearcher(w.applicant, ctx.number)).members.find((m) => !m.applicant);
  return { ...ctx, token, memberId: member?.id ?? "" };
}

const action = (input: Record<string, unknown>): Call => ({ kind: "action", input });
const document = (method: "GET" | "POST" | "DELETE", number: string, extra: Partial<Extract<Call, { kind: "route" }>> = {}): Call => ({
  kind: "route",
  method,
  url: `http://localhost/api/uploads/access/${number}/sap`,
  params: { number, kind: "sap" },
  headers: ORIGIN,
  ...extra,
});

const CASES: Record<string, Case[]> = {
  "access.add-release": [{ tries: "add a release to another researcher's draft", side: "researcher", prepare: (w) => draft(w), call: (w, c) => action({ number: c.number, release: w.release2 }) }],
  "access.remove-release": [{ tries: "remove a release from another researcher's draft", side: "researcher", prepare: (w) => draft(w, [w.sponsor.release, w.release2]), call: (w, c) => action({ number: c.number, release: w.release2 }) }],
  "access.save": [{ tries: "rewrite another researcher's draft", side: "researcher", prepare: (w) => draft(w), call: (_w, c) => action({ number: c.number, form: JSON.stringify({ title: "Rewritten by someone else" }) }) }],
  "access.explain": [{ tries: "read the explained match of another researcher's draft", side: "researcher", prepare: (w) => draft(w), call: (_w, c) => action({ number: c.number }), reads: true }],
  "access.invite": [{ tries: "invite someone to another researcher's team", side: "researcher", prepare: (w) => draft(w), call: (_w, c) => action({ number: c.number, email: uniqueEmail("smuggled") }) }],
  "access.remove-member": [{ tries: "remove a member of another researcher's team", side: "researcher", prepare: (w) => invited(w), call: (_w, c) => action({ number: c.number, memberId: c.memberId }) }],
  "access.accept-agreement": [{ tries: "accept the agreement on another researcher's request", side: "researcher", prepare: (w) => draft(w, [w.sponsor.release], false), call: (_w, c) => action({ number: c.number }) }],
  "access.accept-invitation": [
    { tries: "take a colleague's invitation to another researcher's team", side: "researcher", prepare: (w) => invited(w), call: (_w, c) => action({ token: c.token }), owner: (w) => w.colleague },
  ],
  "access.submit": [{ tries: "submit another researcher's request", side: "researcher", prepare: (w) => draft(w), call: (_w, c) => action({ number: c.number }) }],
  "access.withdraw": [{ tries: "withdraw another researcher's request", side: "researcher", prepare: (w) => submitted(w), call: (_w, c) => action({ number: c.number }) }],
  "access.renew": [{ tries: "ask to renew another researcher's access", side: "researcher", prepare: (w) => approved(w), call: (_w, c) => action({ number: c.number, months: 6 }) }],
  "access.closeout": [
    {
      tries: "close out another researcher's request",
      side: "researcher",
      prepare: (w) => approved(w),
      call: (_w, c) => action({ number: c.number, report: JSON.stringify({ publications: [], summary: "Closing someone else's request.", dataDestroyed: true }) }),
    },
  ],
  "access.message": [
    { tries: "write in another researcher's conversation", side: "researcher", prepare: (w) => submitted(w), call: (_w, c) => action({ number: c.number, text: "Not my request." }) },
    { tries: "write as another organisation's committee", side: "committee", prepare: (w) => submitted(w), call: (_w, c) => action({ number: c.number, text: "Not our request." }) },
  ],
  "access.start-review": [{ tries: "start reviewing another organisation's request", side: "committee", prepare: (w) => submitted(w), call: (_w, c) => action({ number: c.number }) }],
  "access.note": [{ tries: "add a note to another organisation's request", side: "committee", prepare: (w) => submitted(w), call: (_w, c) => action({ number: c.number, text: "A note from outside." }) }],
  "access.vote": [{ tries: "vote on another organisation's request", side: "committee", prepare: (w) => submitted(w), call: (_w, c) => action({ number: c.number, vote: "deny", rationale: "Voting on another committee's request." }) }],
  "access.decide": [
    {
      tries: "decide another organisation's request, signing with its meaning",
      side: "committee",
      prepare: (w) => submitted(w),
      call: async (w, c) => action({ number: c.number, decision: "deny", reason: "Denied by an outsider.", signature: await decisionSignature(w, c.number, "deny") }),
    },
  ],
  "access.revoke": [{ tries: "revoke a grant of another organisation's request", side: "committee", prepare: (w) => approved(w), call: (_w, c) => action({ grantId: c.grantId, reason: "Revoked by an outsider." }) }],
  "access.committee-rule": [
    { tries: "change another organisation's committee rule", side: "admin", prepare: async () => ({ number: "" }), call: (w) => action({ orgSlug: w.sponsor.org.slug, rule: "ONE_DECIDER", targetDays: 21 }) },
  ],
  "access.document.upload": [
    {
      tries: "upload a document to another researcher's draft",
      side: "researcher",
      prepare: (w) => draft(w),
      call: (_w, c) => document("POST", c.number, { body: new Uint8Array(Buffer.from("%PDF-1.7 smuggled")), headers: { "content-type": "application/octet-stream", "x-file-name": "sap.pdf", ...ORIGIN } }),
    },
  ],
  "access.document.get": [
    { tries: "download a document of another researcher's request", side: "researcher", prepare: (w) => withDocument(w), call: (_w, c) => document("GET", c.number), reads: true },
    {
      tries: "download a document as another organisation's committee",
      side: "committee",
      prepare: async (w) => {
        const ctx = await withDocument(w);
        await submitRequest({ user: w.applicant, number: ctx.number });
        return ctx;
      },
      call: (_w, c) => document("GET", c.number),
      reads: true,
    },
  ],
  "access.document.remove": [{ tries: "remove a document of another researcher's draft", side: "researcher", prepare: (w) => withDocument(w), call: (_w, c) => document("DELETE", c.number) }],
  "access.api.get": [
    { tries: "read another researcher's request", side: "researcher", prepare: (w) => draft(w), call: (_w, c) => ({ kind: "route", method: "GET", url: `http://localhost/api/access/requests/${c.number}`, params: { number: c.number } }), reads: true },
  ],
  "access.api.save": [
    {
      tries: "save another researcher's draft through the API",
      side: "researcher",
      prepare: (w) => draft(w),
      call: (_w, c) => ({ kind: "route", method: "PATCH", url: `http://localhost/api/access/requests/${c.number}`, params: { number: c.number }, ...jsonBody({ title: "Rewritten through the API" }) }),
    },
  ],
  "access.api.submit": [
    {
      tries: "submit another researcher's request through the API",
      side: "researcher",
      prepare: (w) => draft(w),
      call: (_w, c) => ({ kind: "route", method: "POST", url: `http://localhost/api/access/requests/${c.number}/submit`, params: { number: c.number }, ...jsonBody({}) }),
    },
  ],
  "access.export.create": [
    {
      tries: "export a release under another researcher's approved request",
      side: "researcher",
      prepare: (w) => approved(w),
      call: (w, c) => ({ kind: "route", method: "POST", url: `http://localhost/api/access/requests/${c.number}/exports`, params: { number: c.number }, ...jsonBody({ release: w.sponsor.release }) }),
    },
  ],
  "access.export.list": [
    { tries: "list another researcher's exports", side: "researcher", prepare: (w) => exported(w), call: (_w, c) => ({ kind: "route", method: "GET", url: `http://localhost/api/access/requests/${c.number}/exports`, params: { number: c.number } }), reads: true },
  ],
  "access.export.show": [
    {
      tries: "read another researcher's export and its manifest",
      side: "researcher",
      prepare: (w) => exported(w),
      call: (_w, c) => ({ kind: "route", method: "GET", url: `http://localhost/api/exports/${c.exportNumber}`, params: { number: c.exportNumber ?? "" } }),
      reads: true,
    },
  ],
  "access.export.link": [
    {
      tries: "make a download link to a file of another researcher's export",
      side: "researcher",
      prepare: (w) => exported(w),
      call: (_w, c) => ({ kind: "route", method: "POST", url: `http://localhost/api/exports/${c.exportNumber}/files/${c.fileId}/link`, params: { number: c.exportNumber ?? "", fileId: c.fileId ?? "" }, ...jsonBody({}) }),
      reads: true,
    },
  ],
  "committee.api.get": [
    {
      tries: "read another organisation's request as its committee would",
      side: "committee",
      prepare: (w) => submitted(w),
      call: (_w, c) => ({ kind: "route", method: "GET", url: `http://localhost/api/committee/requests/${c.number}`, params: { number: c.number } }),
      reads: true,
    },
  ],
  "committee.api.decide": [
    {
      tries: "decide another organisation's request through the API",
      side: "committee",
      prepare: (w) => submitted(w),
      call: async (w, c) => ({
        kind: "route",
        method: "POST",
        url: `http://localhost/api/committee/requests/${c.number}/decision`,
        params: { number: c.number },
        ...jsonBody({ decision: "approve", end: new Date(Date.now() + 100 * DAY).toISOString(), signature: await decisionSignature(w, c.number, "approve") }),
      }),
    },
  ],
};

/** Handlers that act only on the caller's own things, with the reason (and where that is tested). */
const OWN_ONLY: Record<string, string> = {
  "access.create": "starts the caller's own request for published (public) releases",
  "access.api.create": "the same through the API",
  "access.api.list": "lists the caller's own requests: the account id is its only filter (below: another researcher's list holds none)",
  "access.crypt4gh-key.get": "the caller's own Crypt4GH key: the account id is its only key",
  "access.crypt4gh-key.set": "registers the caller's own Crypt4GH key: the account id is its only key",
  "access.crypt4gh-key.remove": "removes the caller's own Crypt4GH key: the account id is its only key",
  "committee.api.inbox": "the caller's own committees' queues (below: another organisation's committee sees none of these requests)",
};

function attackerOf(w: World, side: Side): SessionUser {
  return side === "researcher" ? w.otherResearcher : side === "committee" ? w.other.committee : w.other.user;
}
function ownerOf(w: World, c: Case): SessionUser {
  if (c.owner) return c.owner(w);
  return c.side === "researcher" ? w.applicant : c.side === "committee" ? w.sponsor.committee : w.sponsor.user;
}

describe("no access handler lets another researcher or another organisation's committee act on a request", async () => {
  const { routes, actions } = await declaredHandlers();
  const declared = [...routes, ...actions];
  const byName = new Map(declared.map((d) => [d.meta.name, d.meta]));
  const accessNames = declared.map((d) => d.meta.name).filter((name) => name.startsWith("access.") || name.startsWith("committee."));

  it("covers every access handler limited to roles: a case, or the reason it acts only on the caller's own", () => {
    const limited = declared.filter((d) => Array.isArray(d.meta.access) && accessNames.includes(d.meta.name)).map((d) => d.meta.name);
    expect(Object.keys(CASES).filter((name) => name in OWN_ONLY)).toEqual([]);
    expect(new Set([...Object.keys(CASES), ...Object.keys(OWN_ONLY)])).toEqual(new Set(limited));
  });

  const world = {} as World;
  beforeAll(async () => {
    const sponsor = await accessFixture("authz", { permission: { code: "GRU" }, modifiers: {} });
    const second = await publishedRelease(sponsor, { permission: { code: "HMB" }, modifiers: {} });
    const other = await accessFixture("authz-other", { permission: { code: "GRU" }, modifiers: {} });
    Object.assign(world, { sponsor, release2: second.release, other, applicant: await account("authz-applicant"), colleague: await account("authz-colleague"), otherResearcher: await account("authz-other-researcher") });
  });

  it("shows no one else's requests in their own lists", async () => {
    const ctx = await submitted(world);
    const inbox = await committeeInbox(world.other.committee);
    expect(JSON.stringify(inbox)).not.toContain(ctx.number);
    expect(JSON.stringify(await committeeInbox(world.sponsor.committee))).toContain(ctx.number);
    const list = byName.get("access.api.list");
    const response = await list?.respondAs?.(world.otherResearcher, new Request("http://localhost/api/access/requests"));
    expect(JSON.stringify(await response?.json())).not.toContain(ctx.number);
  });

  const cases = Object.entries(CASES).flatMap(([name, list]) => list.map((c) => [`${name}: ${c.tries}`, name, c] as const));
  it.each(cases)("%s", async (_label, name, c) => {
    const meta = byName.get(name);
    expect(meta, `no handler is named ${name}`).toBeDefined();
    if (!meta) return;
    const ctx = await c.prepare(world);
    const before = await snapshotTables();
    const refused = await callAs(meta, attackerOf(world, c.side), await c.call(world, ctx));
    expect([403, 404]).toContain(refused);
    expect(await snapshotTables()).toEqual(before);

    // The request's own people make the same call: it goes through (actions that revalidate a page
    // answer 500 outside Next.js once their work is done; the changed rows show it).
    const allowed = await callAs(meta, ownerOf(world, c), await c.call(world, ctx));
    if (c.reads) {
      expect(allowed, `${name} by its owner`).toBeLessThan(300);
      expect(await snapshotTables()).toEqual(before);
    } else {
      expect(allowed === 500 || allowed < 400, `${name} by its owner answered ${allowed}`).toBe(true);
      expect(await snapshotTables()).not.toEqual(before);
    }
  });
});
