// The audit trail (issue 9, point 7) against a real database: entries written by appendLogEntry are
// read back within a scope (the whole trail, or one organisation's), filtered by actor, kind,
// subject, time and organisation, paged without gaps or repeats, checked against their commitments
// (a tampered detail, salt or column is caught; an erased one is told apart), and exported as CSV by
// the two routes, which refuse anyone else. Accounts and organisations are made directly, so the
// only entries here are the ones each test appends.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import * as orgExportRoute from "@/app/api/audit/orgs/[slug]/export/route";
import * as siteExportRoute from "@/app/api/audit/export/route";
import { listAuditEntries, searchPublicEntries, type AuditEntry, type AuditScope } from "@/lib/audit/data";
import { AUDIT_CSV_HEADER, auditCsvRow } from "@/lib/audit/service";
import { auditFilterInput, publicEntryFilterInput, type AuditFilterInput } from "@/lib/audit/schema";
import type { SessionUser } from "@/lib/auth/roles";
// eslint-disable-next-line no-restricted-imports -- the fixtures are accounts and log entries made, and rows tampered with, directly: production code appends entries only inside its own changes' transactions
import { prisma } from "@/lib/db";
import { handlerMeta } from "@/lib/handler";
import { type LogEvent, commitmentOf } from "@/lib/log/entry";
import { appendLogEntry } from "@/lib/log/mutations";
import { runSequencerOnce } from "@/lib/log/sequencer";
import { uniqueEmail } from "@/scripts/test/support";

type Person = SessionUser;

async function person(label: string, siteAdmin = false, name = `${label} person`): Promise<Person> {
  const email = uniqueEmail(label);
  const user = await prisma().user.create({ data: { email, name, accountType: "SPONSOR", siteAdmin, emailVerified: new Date() }, select: { id: true } });
  return { id: user.id, email, name, roles: siteAdmin ? ["sponsor", "site-admin"] : ["sponsor"] };
}

async function org(label: string, admin: Person, member?: Person) {
  const slug = `${label}-${randomBytes(4).toString("hex")}`;
  return prisma().organization.create({
    data: {
      name: `${label} Trials`,
      slug,
      members: { create: [{ userId: admin.id, role: "ADMIN" }, ...(member ? [{ userId: member.id, role: "MEMBER" as const }] : [])] },
    },
    select: { id: true, slug: true, name: true },
  });
}

async function append(event: LogEvent, at: Date = new Date()): Promise<bigint> {
  return prisma().$transaction((tx) => appendLogEntry(tx, event, at));
}

const filter = (input: AuditFilterInput) => auditFilterInput.parse(input);
const ids = (entries: AuditEntry[]) => entries.map((e) => e.id);
/** A subject id unique to one test, so its entries can be found among everyone else's. */
const tag = () => `T-${randomBytes(5).toString("hex")}`;

describe("audit trail", () => {
  let admin: Person;
  let orgAdminA: Person;
  let memberA: Person;
  let orgAdminB: Person;
  let orgA: { id: string; slug: string };
  let orgB: { id: string; slug: string };

  beforeAll(async () => {
    admin = await person("site-admin", true);
    orgAdminA = await person("a-admin");
    memberA = await person("a-member");
    orgAdminB = await person("b-admin");
    orgA = await org("alpha", orgAdminA, memberA);
    orgB = await org("beta", orgAdminB);
  });

  it("shows the site administrator every entry with its private details, and an organisation's admin only that organisation's", async () => {
    const subject = tag();
    const inA = await append({
      kind: "org.member-invited",
      actor: { type: "user", id: orgAdminA.id },
      subject: { type: "org", id: subject },
      details: { role: "MEMBER", committee: false },
      private: { email: "invited-a@example.org" },
      orgId: orgA.id,
    });
    const inB = await append({
      kind: "org.member-invited",
      actor: { type: "user", id: orgAdminB.id },
      subject: { type: "org", id: subject },
      details: { role: "ADMIN", committee: true },
      private: { email: "invited-b@example.org" },
      orgId: orgB.id,
    });
    const noOrg = await append({ kind: "auth.signed-out", actor: { type: "user", id: memberA.id }, subject: { type: "org", id: subject }, details: {} });

    const site = await listAuditEntries({ scope: { kind: "site" }, filter: filter({ subject: `org:${subject}` }) });
    expect(ids(site.entries)).toEqual([noOrg, inB, inA]); // newest first
    const a = site.entries.find((e) => e.id === inA);
    expect(a?.privateDetails).toEqual({ email: "invited-a@example.org" });
    expect(a?.actorUser).toEqual({ name: orgAdminA.name, email: orgAdminA.email });
    expect(a?.org?.slug).toBe(orgA.slug);
    expect(a?.check).toEqual({ status: "opens" });
    expect(a?.document?.details).toEqual({ role: "MEMBER", committee: false });

    const scopeA: AuditScope = { kind: "org", orgId: orgA.id };
    expect(ids((await listAuditEntries({ scope: scopeA, filter: filter({ subject: `org:${subject}` }) })).entries)).toEqual([inA]);
    // The organisation filter narrows the whole trail the same way; an unknown one matches nothing.
    expect(ids((await listAuditEntries({ scope: { kind: "site" }, filter: filter({ subject: `org:${subject}`, org: orgB.slug }) })).entries)).toEqual([inB]);
    expect((await listAuditEntries({ scope: { kind: "site" }, filter: filter({ org: "no-such-org" }) })).entries).toEqual([]);
  });

  it("filters by actor (e-mail, account id, kind of actor), kind, subject type and time", async () => {
    const subject = tag();
    const t0 = new Date("2031-03-04T10:00:00.000Z");
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    const signIn = await append({ kind: "auth.signed-in", actor: { type: "user", id: memberA.id }, subject: { type: "account", id: subject }, details: { method: "password" }, private: {} }, at(0));
    const failed = await append(
      { kind: "auth.sign-in-failed", actor: { type: "anonymous" }, subject: { type: "account", id: subject }, details: { method: "password" }, private: { email: memberA.email, reason: "wrong password" } },
      at(5),
    );
    const byAdmin = await append({ kind: "org.role-changed", actor: { type: "user", id: orgAdminA.id }, subject: { type: "account", id: subject }, details: { userId: memberA.id, from: "MEMBER", to: "ADMIN" }, orgId: orgA.id }, at(10));
    const bySystem = await append({ kind: "consent.handover-verified", actor: { type: "system", id: "relay" }, subject: { type: "account", id: subject }, details: {} }, at(24 * 60 + 1));
    const site: AuditScope = { kind: "site" };
    const find = async (input: AuditFilterInput) => ids((await listAuditEntries({ scope: site, filter: filter({ subject: `account:${subject}`, ...input }) })).entries);

    expect(await find({})).toEqual([bySystem, byAdmin, failed, signIn]);
    expect(await find({ actor: memberA.email.toUpperCase() })).toEqual([signIn]); // e-mails compare lower-cased
    expect(await find({ actor: orgAdminA.id })).toEqual([byAdmin]);
    expect(await find({ actor: "anonymous" })).toEqual([failed]);
    expect(await find({ actor: "system:relay" })).toEqual([bySystem]);
    // An address with no account narrows to nothing; it is not a filter to be ignored.
    expect(await find({ actor: uniqueEmail("nobody") })).toEqual([]);
    expect(await find({ kind: "auth.sign-in-failed" })).toEqual([failed]);
    expect(await find({ from: "2031-03-04T10:05", to: "2031-03-04T10:10" })).toEqual([byAdmin, failed]);
    // A bare day as `to` includes the whole day.
    expect(await find({ to: "2031-03-04" })).toEqual([byAdmin, failed, signIn]);
    expect(await find({ from: "2031-03-05" })).toEqual([bySystem]);
    expect(ids((await listAuditEntries({ scope: site, filter: filter({ subject: "account", actor: "system:relay", from: "2031-03-05", to: "2031-03-05" }) })).entries)).toEqual([bySystem]);
  });

  it("pages through the trail newest first, forwards and back, without a gap or a repeat", async () => {
    const subject = tag();
    const written: bigint[] = [];
    for (let i = 0; i < 7; i++) written.push(await append({ kind: "consent.codes-issued", actor: { type: "user", id: orgAdminB.id }, subject: { type: "trial", id: subject }, details: { count: i + 1 }, orgId: orgB.id }));
    const newestFirst = [...written].reverse();
    const base = { subject: `trial:${subject}` };
    const scope: AuditScope = { kind: "org", orgId: orgB.id };

    const first = await listAuditEntries({ scope, filter: filter(base), limit: 3 });
    expect(ids(first.entries)).toEqual(newestFirst.slice(0, 3));
    expect(first.newerThan).toBeNull();
    const second = await listAuditEntries({ scope, filter: filter({ ...base, before: String(first.olderThan) }), limit: 3 });
    expect(ids(second.entries)).toEqual(newestFirst.slice(3, 6));
    const third = await listAuditEntries({ scope, filter: filter({ ...base, before: String(second.olderThan) }), limit: 3 });
    expect(ids(third.entries)).toEqual(newestFirst.slice(6));
    expect(third.olderThan).toBeNull();
    // Back from the last page: the page before it again, then the first.
    const back = await listAuditEntries({ scope, filter: filter({ ...base, after: String(third.newerThan) }), limit: 3 });
    expect(ids(back.entries)).toEqual(newestFirst.slice(3, 6));
    const backAgain = await listAuditEntries({ scope, filter: filter({ ...base, after: String(back.newerThan) }), limit: 3 });
    expect(ids(backAgain.entries)).toEqual(newestFirst.slice(0, 3));
    expect(backAgain.newerThan).toBeNull();
  });

  describe("commitment check", () => {
    async function entry(id: bigint): Promise<AuditEntry | undefined> {
      const row = await prisma().logEntry.findUniqueOrThrow({ where: { id }, select: { subjectId: true } });
      return (await listAuditEntries({ scope: { kind: "site" }, filter: filter({ subject: `account:${row.subjectId}` }) })).entries.find((e) => e.id === id);
    }
    /** Why the check refused the entry; fails the test when it did not. */
    const reasonOf = (read: AuditEntry | undefined): string => {
      if (read?.check.status !== "mismatch") throw new Error(`expected a mismatch, got ${read?.check.status}`);
      return read.check.reason;
    };
    const invite = (subject: string) =>
      append({ kind: "account.created", actor: { type: "user", id: memberA.id }, subject: { type: "account", id: subject }, details: { accountType: "SPONSOR" }, private: { email: "person@example.org", name: "A Person" } });

    it("opens for details as written, and is refused when a detail, the salt or a filter column is edited", async () => {
      const intact = await invite(tag());
      expect((await entry(intact))?.check).toEqual({ status: "opens" });

      const editedDetail = await invite(tag());
      await prisma().logPrivate.update({ where: { entryId: editedDetail }, data: { details: { email: "someone-else@example.org", name: "A Person" } } });
      expect(reasonOf(await entry(editedDetail))).toContain("do not open");

      const editedSalt = await invite(tag());
      await prisma().logPrivate.update({ where: { entryId: editedSalt }, data: { salt: new Uint8Array(randomBytes(32)) } });
      expect((await entry(editedSalt))?.check.status).toBe("mismatch");

      // The filter columns copy the body; an edited column would make the trail lie about who acted.
      const editedColumn = await invite(tag());
      await prisma().logEntry.update({ where: { id: editedColumn }, data: { actorId: orgAdminB.id } });
      expect(reasonOf(await entry(editedColumn))).toContain("actor");

      const editedBody = await invite(tag());
      await prisma().logEntry.update({ where: { id: editedBody }, data: { body: new Uint8Array(Buffer.from("not json")) } });
      expect(reasonOf(await entry(editedBody))).toContain("not a log entry");
    });

    it("tells erased details apart, and an entry of a kind without private details", async () => {
      const erased = await invite(tag());
      await prisma().logPrivate.delete({ where: { entryId: erased } });
      const read = await entry(erased);
      expect(read?.check).toEqual({ status: "erased" });
      expect(read?.privateDetails).toBeNull();

      const subject = tag();
      const publicOnly = await append({ kind: "sessions.revoked", actor: { type: "user", id: memberA.id }, subject: { type: "account", id: subject }, details: { count: 2, reason: "admin" } });
      expect((await entry(publicOnly))?.check).toEqual({ status: "public-only" });
    });
  });

  describe("CSV export", () => {
    async function csvAs(handler: unknown, session: Person, url: string, params: Record<string, string> = {}): Promise<{ status: number; type: string | null; disposition: string | null; lines: string[] }> {
      const respond = handlerMeta(handler)?.respondAs;
      if (!respond) throw new Error("not a wrapped route");
      const response = await respond(session, new Request(url), { params: Promise.resolve(params) });
      const text = await response.text();
      return { status: response.status, type: response.headers.get("content-type"), disposition: response.headers.get("content-disposition"), lines: text.split("\r\n").filter(Boolean) };
    }

    it("streams the site administrator's filtered trail with private details, and the organisation admin's own entries only", async () => {
      const subject = tag();
      // A name is whatever its owner typed: in a spreadsheet it must stay text.
      const tricky = await person("formula", false, '=HYPERLINK("http://evil.example","x"), with a comma');
      await prisma().membership.create({ data: { userId: tricky.id, orgId: orgA.id, role: "MEMBER" } });
      const inA = await append({ kind: "upload.stored", actor: { type: "user", id: tricky.id }, subject: { type: "upload", id: subject }, details: { size: 10 }, private: { digest: `0x${"a".repeat(64)}` }, orgId: orgA.id });
      const inB = await append({ kind: "upload.stored", actor: { type: "user", id: orgAdminB.id }, subject: { type: "upload", id: subject }, details: { size: 20 }, private: { digest: `0x${"b".repeat(64)}` }, orgId: orgB.id });

      const site = await csvAs(siteExportRoute.GET, admin, `http://localhost/api/audit/export?subject=upload:${subject}`);
      expect(site.status).toBe(200);
      expect(site.type).toBe("text/csv; charset=utf-8");
      expect(site.disposition).toMatch(/^attachment; filename="audit-trail-\d{4}-\d{2}-\d{2}T\d{4}Z\.csv"$/);
      expect(site.lines[0]).toBe(AUDIT_CSV_HEADER.join(","));
      expect(site.lines).toHaveLength(3);
      expect(site.lines[1]?.startsWith(`${inB},`)).toBe(true);
      expect(site.lines[2]?.startsWith(`${inA},`)).toBe(true);
      expect(site.lines[1]).toContain(orgAdminB.email);
      expect(site.lines[1]).toContain(`"{""digest"":""0x${"b".repeat(64)}""}"`);
      expect(site.lines[2]).toContain(",opens");
      expect(site.lines[2]).toContain(`,"'=HYPERLINK(""http://evil.example"",""x""), with a comma",${tricky.email},`);

      // An auditor holding the CSV recomputes the commitment from its columns alone.
      const [row] = (await listAuditEntries({ scope: { kind: "site" }, filter: filter({ subject: `upload:${subject}`, org: orgA.slug }) })).entries.map(auditCsvRow);
      const column = (name: (typeof AUDIT_CSV_HEADER)[number]) => String(row?.[AUDIT_CSV_HEADER.indexOf(name)]);
      expect(commitmentOf(JSON.parse(column("private_details")), Buffer.from(column("private_salt"), "hex"))).toBe(column("commitment"));

      const own = await csvAs(orgExportRoute.GET, orgAdminA, `http://localhost/api/audit/orgs/${orgA.slug}/export?subject=upload:${subject}`, { slug: orgA.slug });
      expect(own.status).toBe(200);
      expect(own.disposition).toContain(`audit-trail-${orgA.slug}-`);
      expect(own.lines).toHaveLength(2);
      expect(own.lines[1]?.startsWith(`${inA},`)).toBe(true);
    });

    it("refuses the organisation's trail to its plain members and to other organisations' admins, and names no organisation that does not exist", async () => {
      expect((await csvAs(orgExportRoute.GET, memberA, `http://localhost/api/audit/orgs/${orgA.slug}/export`, { slug: orgA.slug })).status).toBe(403);
      expect((await csvAs(orgExportRoute.GET, orgAdminB, `http://localhost/api/audit/orgs/${orgA.slug}/export`, { slug: orgA.slug })).status).toBe(403);
      expect((await csvAs(orgExportRoute.GET, orgAdminA, "http://localhost/api/audit/orgs/no-such-org/export", { slug: "no-such-org" })).status).toBe(404);
      expect((await csvAs(siteExportRoute.GET, orgAdminA, "http://localhost/api/audit/export")).status).toBe(403);
      // A filter that does not parse is a 422 naming the field, not an export of everything.
      const bad = await csvAs(siteExportRoute.GET, admin, "http://localhost/api/audit/export?from=yesterday");
      expect(bad.status).toBe(422);
    });

    it("streams more entries than one read batch, each once", async () => {
      const subject = tag();
      await prisma().$transaction(async (tx) => {
        for (let i = 0; i < 1_203; i++) await appendLogEntry(tx, { kind: "consent.decision-accepted", actor: { type: "participant" }, subject: { type: "trial", id: subject }, details: { decisionDigest: `0x${i.toString(16).padStart(64, "0")}` } });
      });
      const csv = await csvAs(siteExportRoute.GET, admin, `http://localhost/api/audit/export?subject=trial:${subject}`);
      const rowIds = csv.lines.slice(1).map((line) => line.split(",")[0]);
      expect(rowIds).toHaveLength(1_203);
      expect(new Set(rowIds).size).toBe(1_203);
    });
  });

  it("searches the public log: sequenced entries only, newest first, by kind, subject, actor and index, without private details", async () => {
    const subject = tag();
    await append({ kind: "org.member-invited", actor: { type: "user", id: orgAdminA.id }, subject: { type: "trial", id: subject }, details: { role: "MEMBER", committee: false }, private: { email: "secret-invitee@example.org" }, orgId: orgA.id });
    await append({ kind: "consent.codes-issued", actor: { type: "user", id: orgAdminB.id }, subject: { type: "trial", id: subject }, details: { count: 3 }, orgId: orgB.id });
    await append({ kind: "consent.decision-accepted", actor: { type: "participant" }, subject: { type: "trial", id: subject }, details: { decisionDigest: `0x${"d".repeat(64)}` } });
    expect((await runSequencerOnce({ holder: "audit-test", leaseMs: 1_000 })).held).toBe(true);
    // Written after the sequencer ran: not in the log yet, so not on the public page either.
    await append({ kind: "consent.codes-issued", actor: { type: "user", id: orgAdminB.id }, subject: { type: "trial", id: subject }, details: { count: 4 }, orgId: orgB.id });

    const search = (input: Record<string, string>) => searchPublicEntries(publicEntryFilterInput.parse({ subject: `trial:${subject}`, ...input }));
    const all = await search({});
    expect(all.entries.map((e) => e.kind)).toEqual(["consent.decision-accepted", "consent.codes-issued", "org.member-invited"]);
    const indexes = all.entries.map((e) => e.index);
    expect(indexes[0]).toBeGreaterThan(indexes[1] ?? Infinity);
    expect(all.entries.every((e) => !new TextDecoder().decode(e.body).includes("secret-invitee"))).toBe(true);
    expect(all.entries[2]?.document?.commitment).toMatch(/^[0-9a-f]{64}$/);

    expect((await search({ kind: "consent.codes-issued" })).entries.map((e) => e.document?.details)).toEqual([{ count: 3 }]);
    expect((await search({ actor: orgAdminA.id })).entries.map((e) => e.kind)).toEqual(["org.member-invited"]);
    expect((await search({ actor: "participant" })).entries.map((e) => e.kind)).toEqual(["consent.decision-accepted"]);
    expect((await search({ index: String(indexes[1]) })).entries.map((e) => e.kind)).toEqual(["consent.codes-issued"]);
    // Paging: two a page, then the oldest.
    const first = await searchPublicEntries(publicEntryFilterInput.parse({ subject: `trial:${subject}` }), 2);
    expect(first.entries.map((e) => e.index)).toEqual(indexes.slice(0, 2));
    const older = await searchPublicEntries(publicEntryFilterInput.parse({ subject: `trial:${subject}`, below: String(first.below) }), 2);
    expect(older.entries.map((e) => e.index)).toEqual(indexes.slice(2));
    expect(older.below).toBeNull();
    // The public search never turns an e-mail address into an account.
    expect(publicEntryFilterInput.safeParse({ actor: orgAdminA.email }).success).toBe(false);
  });
});
