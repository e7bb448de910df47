import "server-only";
import { type CommitmentCheck, checkCommitment, documentOf } from "@/lib/audit/check";
import { AUDIT_PAGE_SIZE, type AuditFilter, PUBLIC_PAGE_SIZE, type PublicEntryFilter, subjectFilterOf } from "@/lib/audit/schema";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client.ts";
import type { EntryDocument } from "@/lib/log/entry";

/**
 * Reads of the audit trail: the transparency log's entries with their private details, for the
 * people allowed to see them. Whose entries a read covers is its scope, never a filter: a site
 * administrator's scope is the whole trail, an organisation administrator's is the entries that
 * name their organisation (LogEntry.orgId, set by whoever appended the entry).
 */
export type AuditScope = { kind: "site" } | { kind: "org"; orgId: string };

export type AuditEntry = {
  /** Row id: the order entries were written in, and the paging cursor. */
  id: bigint;
  /** Leaf index in the log; null until the sequencer has integrated the entry. */
  index: bigint | null;
  kind: string;
  createdAt: Date;
  actorType: string;
  actorId: string | null;
  /** The account behind a user actor, when it still exists. */
  actorUser: { name: string; email: string } | null;
  subjectType: string;
  subjectId: string | null;
  org: { slug: string; name: string } | null;
  /** The public entry as stored (null if the body is not an entry: `check` then says mismatch). */
  document: EntryDocument | null;
  /** The private details the entry commits to, or null (none, or erased). */
  privateDetails: Record<string, unknown> | null;
  /** The salt of the commitment, hex, beside the details (null when they are). */
  privateSalt: string | null;
  check: CommitmentCheck;
};

const ROW_SELECT = {
  id: true,
  idx: true,
  kind: true,
  body: true,
  createdAt: true,
  actorType: true,
  actorId: true,
  subjectType: true,
  subjectId: true,
  orgId: true,
  private: { select: { details: true, salt: true } },
} satisfies Prisma.LogEntrySelect;

type Row = Prisma.LogEntryGetPayload<{ select: typeof ROW_SELECT }>;

function scopeWhere(scope: AuditScope): Prisma.LogEntryWhereInput {
  if (scope.kind === "site") return {};
  // An empty id here would be a bug upstream; refuse rather than match entries with no org.
  if (!scope.orgId) throw new Error("an organisation scope needs the organisation's id");
  return { orgId: scope.orgId };
}

/** The actor filter as columns, or null when it names nobody (then nothing matches). */
async function actorWhere(actor: string): Promise<Prisma.LogEntryWhereInput | null> {
  if (actor === "participant" || actor === "anonymous") return { actorType: actor };
  if (actor.startsWith("system:")) return { actorType: "system", actorId: actor.slice("system:".length) };
  if (actor.includes("@")) {
    const user = await prisma().user.findUnique({ where: { email: actor.toLowerCase() }, select: { id: true } });
    return user ? { actorType: "user", actorId: user.id } : null;
  }
  return { actorId: actor };
}

/**
 * The filter as a Prisma where clause within `scope`, or null when a filter names nothing that
 * exists (an unknown e-mail or organisation): such a search matches no entry, it is not dropped.
 */
async function whereOf(scope: AuditScope, filter: AuditFilter): Promise<Prisma.LogEntryWhereInput | null> {
  const and: Prisma.LogEntryWhereInput[] = [scopeWhere(scope)];
  if (filter.kind) and.push({ kind: filter.kind });
  if (filter.actor) {
    const actor = await actorWhere(filter.actor);
    if (!actor) return null;
    and.push(actor);
  }
  if (filter.subject) {
    const subject = subjectFilterOf(filter.subject);
    and.push(subject.id === undefined ? { subjectType: subject.type } : { subjectType: subject.type, subjectId: subject.id });
  }
  if (filter.from) and.push({ createdAt: { gte: filter.from } });
  if (filter.to) and.push({ createdAt: { lte: filter.to } });
  if (filter.org) {
    const org = await prisma().organization.findUnique({ where: { slug: filter.org }, select: { id: true } });
    if (!org) return null;
    and.push({ orgId: org.id });
  }
  return { AND: and };
}

async function describe(rows: Row[]): Promise<AuditEntry[]> {
  const userIds = [...new Set(rows.flatMap((r) => (r.actorType === "user" && r.actorId ? [r.actorId] : [])))];
  const orgIds = [...new Set(rows.flatMap((r) => (r.orgId ? [r.orgId] : [])))];
  const [users, orgs] = await Promise.all([
    userIds.length ? prisma().user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true } }) : [],
    orgIds.length ? prisma().organization.findMany({ where: { id: { in: orgIds } }, select: { id: true, slug: true, name: true } }) : [],
  ]);
  const userById = new Map(users.map((u) => [u.id, { name: u.name, email: u.email }]));
  const orgById = new Map(orgs.map((o) => [o.id, { slug: o.slug, name: o.name }]));
  return rows.map((row) => {
    const body = new Uint8Array(row.body);
    const stored = row.private ? { details: row.private.details, salt: new Uint8Array(row.private.salt) } : null;
    return {
      id: row.id,
      index: row.idx,
      kind: row.kind,
      createdAt: row.createdAt,
      actorType: row.actorType,
      actorId: row.actorId,
      actorUser: row.actorType === "user" && row.actorId ? (userById.get(row.actorId) ?? null) : null,
      subjectType: row.subjectType,
      subjectId: row.subjectId,
      org: row.orgId ? (orgById.get(row.orgId) ?? null) : null,
      document: documentOf(body),
      privateDetails: stored && typeof stored.details === "object" && stored.details !== null ? (stored.details as Record<string, unknown>) : null,
      privateSalt: stored ? Buffer.from(stored.salt).toString("hex") : null,
      check: checkCommitment({ ...row, body, private: stored }),
    };
  });
}

export type AuditPage = {
  entries: AuditEntry[];
  /** Row id to pass as `before` for the next (older) page, or null at the oldest. */
  olderThan: bigint | null;
  /** Row id to pass as `after` for the previous (newer) page, or null at the newest. */
  newerThan: bigint | null;
};

/**
 * One page of the trail within `scope`, newest first. `filter.before` pages towards older entries,
 * `filter.after` towards newer ones; with neither, the newest page.
 */
export async function listAuditEntries(opts: { scope: AuditScope; filter: AuditFilter; limit?: number }): Promise<AuditPage> {
  const limit = opts.limit ?? AUDIT_PAGE_SIZE;
  const where = await whereOf(opts.scope, opts.filter);
  if (!where) return { entries: [], olderThan: null, newerThan: null };
  const { before, after } = opts.filter;
  const towardsNewer = after !== undefined && before === undefined;
  const cursor: Prisma.LogEntryWhereInput = towardsNewer ? { id: { gt: after } } : before !== undefined ? { id: { lt: before } } : {};
  const rows = await prisma().logEntry.findMany({
    where: { AND: [where, cursor] },
    orderBy: { id: towardsNewer ? "asc" : "desc" },
    take: limit + 1,
    select: ROW_SELECT,
  });
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (towardsNewer) page.reverse();
  const first = page[0];
  const last = page.at(-1);
  const exists = async (id: Prisma.BigIntFilter) => (await prisma().logEntry.findFirst({ where: { AND: [where, { id }] }, select: { id: true } })) !== null;
  const hasOlder = towardsNewer ? last !== undefined && (await exists({ lt: last.id })) : more;
  const hasNewer = towardsNewer ? more : first !== undefined && before !== undefined && (await exists({ gt: first.id }));
  return {
    entries: await describe(page),
    olderThan: hasOlder && last ? last.id : null,
    newerThan: hasNewer && first ? first.id : null,
  };
}

/** 500 rows a read: the export streams the trail in batches of this size, newest first. */
const EXPORT_BATCH = 500;

/**
 * Every entry within `scope` that matches `filter` (paging cursors ignored), newest first, read
 * in batches so an export of the whole trail never holds more than one batch.
 */
export async function* auditEntriesForExport(opts: { scope: AuditScope; filter: AuditFilter }): AsyncGenerator<AuditEntry> {
  const where = await whereOf(opts.scope, { ...opts.filter, before: undefined, after: undefined });
  if (!where) return;
  let before: bigint | undefined;
  for (;;) {
    const rows = await prisma().logEntry.findMany({
      where: before === undefined ? where : { AND: [where, { id: { lt: before } }] },
      orderBy: { id: "desc" },
      take: EXPORT_BATCH,
      select: ROW_SELECT,
    });
    for (const entry of await describe(rows)) yield entry;
    if (rows.length < EXPORT_BATCH) return;
    before = rows.at(-1)?.id;
  }
}

/** The organisation at `slug` with `userId`'s role in it, or null when there is no such organisation. */
export async function findOrgForAudit(slug: string, userId: string) {
  const org = await prisma().organization.findUnique({
    where: { slug },
    select: { id: true, name: true, slug: true, members: { where: { userId }, select: { role: true } } },
  });
  return org ? { id: org.id, name: org.name, slug: org.slug, role: org.members[0]?.role ?? null } : null;
}

/** The organisations, for the site administrator's organisation filter. */
export function listOrgsForAudit() {
  return prisma().organization.findMany({ orderBy: { name: "asc" }, select: { slug: true, name: true } });
}

export type PublicLogEntry = {
  index: number;
  kind: string;
  createdAt: Date;
  /** The entry exactly as the log serves it, and as a document (null if it is not one). */
  body: Uint8Array;
  document: EntryDocument | null;
};

/**
 * The public entry search of /transparency: entries already in the log (sequenced), newest first,
 * `filter.below` paging to older ones. Reads the body (public by definition) and the filter
 * columns only — never private details, never the organisation.
 */
export async function searchPublicEntries(filter: PublicEntryFilter, limit: number = PUBLIC_PAGE_SIZE): Promise<{ entries: PublicLogEntry[]; below: number | null }> {
  const and: Prisma.LogEntryWhereInput[] = [{ idx: { not: null } }];
  if (filter.index !== undefined) and.push({ idx: BigInt(filter.index) });
  if (filter.below !== undefined) and.push({ idx: { lt: BigInt(filter.below) } });
  if (filter.kind) and.push({ kind: filter.kind });
  if (filter.subject) {
    const subject = subjectFilterOf(filter.subject);
    and.push(subject.id === undefined ? { subjectType: subject.type } : { subjectType: subject.type, subjectId: subject.id });
  }
  if (filter.actor) {
    const actor = filter.actor;
    if (actor === "participant" || actor === "anonymous") and.push({ actorType: actor });
    else if (actor.startsWith("system:")) and.push({ actorType: "system", actorId: actor.slice("system:".length) });
    else and.push({ actorId: actor });
  }
  const rows = await prisma().logEntry.findMany({
    where: { AND: and },
    orderBy: { idx: "desc" },
    take: limit + 1,
    select: { idx: true, kind: true, createdAt: true, body: true },
  });
  const page = rows.slice(0, limit).map((row) => {
    const body = new Uint8Array(row.body);
    return { index: Number(row.idx), kind: row.kind, createdAt: row.createdAt, body, document: documentOf(body) };
  });
  return { entries: page, below: rows.length > limit ? (page.at(-1)?.index ?? null) : null };
}
