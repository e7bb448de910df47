import "server-only";
import { type Tx, prisma } from "@/lib/db";
import type { AccessRequestState } from "@/lib/generated/prisma/client.ts";

/** Reads of access requests, their history, votes and grants (lib/access). */

const REQUEST_COLUMNS = {
  id: true,
  number: true,
  orgId: true,
  researcherId: true,
  state: true,
  form: true,
  submitted: true,
  revision: true,
  agreementVersion: true,
  decidedAt: true,
  grantEnd: true,
  conditions: true,
  planDigest: true,
  anchorItemId: true,
  closeout: true,
  submittedAt: true,
  createdAt: true,
  updatedAt: true,
  org: { select: { id: true, slug: true, name: true, decisionRule: true, decisionTargetDays: true } },
  researcher: { select: { id: true, name: true, email: true } },
  releases: {
    select: {
      release: {
        select: {
          id: true,
          number: true,
          status: true,
          conditions: true,
          manifestDigest: true,
          dataset: { select: { number: true, title: true, trialId: true, orgId: true, trial: { select: { registrationNumber: true } } } },
        },
      },
    },
  },
  members: {
    orderBy: { invitedAt: "asc" },
    select: { id: true, email: true, userId: true, applicant: true, acceptedAt: true, agreementVersion: true, invitedAt: true, user: { select: { name: true } } },
  },
  documents: { orderBy: { kind: "asc" }, select: { id: true, kind: true, name: true, digest: true, size: true, createdAt: true } },
} as const;

/** A request with its organisation, researcher, releases, team and documents; null when none has that number. */
export function getRequest(number: string, db: Tx = prisma()) {
  return db.accessRequest.findUnique({ where: { number }, select: REQUEST_COLUMNS });
}
export type RequestRow = NonNullable<Awaited<ReturnType<typeof getRequest>>>;
export type RequestReleaseRow = RequestRow["releases"][number]["release"];

/** The requests a researcher made or is on the team of, newest first. */
export function listRequestsOf(userId: string) {
  return prisma().accessRequest.findMany({
    where: { OR: [{ researcherId: userId }, { members: { some: { userId } } }] },
    orderBy: { updatedAt: "desc" },
    take: 200,
    select: {
      number: true,
      state: true,
      form: true,
      submitted: true,
      submittedAt: true,
      updatedAt: true,
      releases: { select: { release: { select: { number: true, dataset: { select: { number: true } } } } } },
    },
  });
}

/** A request's history in order, optionally only what the researcher's side may read. */
export function listEvents(requestId: string, opts: { includeCommitteeOnly: boolean }) {
  return prisma().accessEvent.findMany({
    where: { requestId, ...(opts.includeCommitteeOnly ? {} : { visibility: "all" }) },
    orderBy: { id: "asc" },
    select: { id: true, type: true, actorId: true, visibility: true, body: true, createdAt: true },
  });
}

export function listVotes(requestId: string) {
  return prisma().accessVote.findMany({
    where: { requestId },
    orderBy: { createdAt: "asc" },
    select: { userId: true, vote: true, rationale: true, revision: true, createdAt: true, user: { select: { name: true } } },
  });
}

/** Whether `userId` sits on `orgId`'s data-access committee. */
export async function hasCommitteeSeat(orgId: string, userId: string, db: Tx = prisma()): Promise<boolean> {
  return (await db.committeeMember.count({ where: { orgId, userId } })) > 0;
}

export function committeeSeatCount(orgId: string, db: Tx = prisma()) {
  return db.committeeMember.count({ where: { orgId } });
}

export function committeeContacts(orgId: string) {
  return prisma().committeeMember.findMany({ where: { orgId }, select: { user: { select: { email: true, name: true } } } });
}

/** The organisations whose committee `userId` sits on, with their decision rule. */
export function listSeats(userId: string) {
  return prisma().committeeMember.findMany({
    where: { userId },
    orderBy: { org: { name: "asc" } },
    select: { org: { select: { id: true, slug: true, name: true, decisionRule: true, decisionTargetDays: true } } },
  });
}

const INBOX_STATES: AccessRequestState[] = ["SUBMITTED", "IN_REVIEW", "RETURNED", "APPROVED", "DENIED", "WITHDRAWN", "CLOSED"];

/** Every submitted request of the organisations, for the committee's queues (drafts are the researcher's own). */
export function listInbox(orgIds: string[]) {
  return prisma().accessRequest.findMany({
    where: { orgId: { in: orgIds }, state: { in: INBOX_STATES }, submittedAt: { not: null } },
    orderBy: { submittedAt: "asc" },
    take: 1000,
    select: {
      number: true,
      orgId: true,
      state: true,
      submitted: true,
      submittedAt: true,
      decidedAt: true,
      researcher: { select: { name: true, email: true } },
      releases: { select: { release: { select: { number: true, dataset: { select: { number: true } } } } } },
      _count: { select: { votes: true } },
    },
  });
}

/** Published releases by dataset number and release number, with their organisation. */
export function findPublishedReleases(refs: Array<{ datasetNumber: string; release: number }>, db: Tx = prisma()) {
  if (refs.length === 0) return Promise.resolve([]);
  return db.datasetRelease.findMany({
    where: { status: "PUBLISHED", OR: refs.map((r) => ({ number: r.release, dataset: { number: r.datasetNumber } })) },
    select: { id: true, number: true, conditions: true, dataset: { select: { number: true, title: true, orgId: true } } },
  });
}

export function findMemberInvitation(tokenHash: string) {
  return prisma().accessRequestMember.findUnique({
    where: { tokenHash },
    select: {
      id: true,
      email: true,
      userId: true,
      acceptedAt: true,
      invitedAt: true,
      request: { select: { id: true, number: true, state: true, form: true, agreementVersion: true, researcher: { select: { name: true } } } },
    },
  });
}

export function getGrant(id: string) {
  return prisma().accessGrant.findUnique({
    where: { id },
    select: {
      id: true,
      userId: true,
      start: true,
      end: true,
      endedAt: true,
      request: { select: { id: true, number: true, orgId: true } },
      user: { select: { email: true, name: true } },
      release: { select: { number: true, dataset: { select: { number: true } } } },
    },
  });
}

const GRANT_COLUMNS = {
  id: true,
  userId: true,
  start: true,
  end: true,
  endedAt: true,
  endReason: true,
  revokeReason: true,
  user: { select: { name: true, email: true } },
  request: { select: { number: true } },
  release: { select: { number: true, dataset: { select: { number: true, title: true } } } },
} as const;

export function listGrantsOfRequest(requestId: string) {
  return prisma().accessGrant.findMany({ where: { requestId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: GRANT_COLUMNS });
}

export function listGrantsOfUser(userId: string) {
  return prisma().accessGrant.findMany({ where: { userId }, orderBy: [{ end: "desc" }, { id: "asc" }], take: 500, select: GRANT_COLUMNS });
}

/** Grants whose end has passed but that are not yet marked ended (the expiry pump's work). */
export function listLapsedGrants(now: Date, take = 200) {
  return prisma().accessGrant.findMany({
    where: { endedAt: null, end: { lte: now } },
    orderBy: { end: "asc" },
    take,
    select: { id: true, userId: true, requestId: true, request: { select: { number: true, orgId: true } }, release: { select: { number: true, dataset: { select: { number: true } } } } },
  });
}

/** Approved requests whose access ends within `before`, with no close-out reminder sent yet. */
export function listCloseoutsDue(before: Date, take = 100) {
  return prisma().accessRequest.findMany({
    where: { state: "APPROVED", grantEnd: { lte: before }, events: { none: { type: "closeout-reminded" } } },
    take,
    select: { id: true, number: true, grantEnd: true, researcher: { select: { email: true, name: true } }, submitted: true },
  });
}

/** Display names of accounts by id (a request's history names who acted). */
export async function userNames(ids: Array<string | null>): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((id): id is string => id !== null))];
  if (unique.length === 0) return new Map();
  const users = await prisma().user.findMany({ where: { id: { in: unique } }, select: { id: true, name: true } });
  return new Map(users.map((u) => [u.id, u.name]));
}

/** A version of the data use agreement, or null. */
export function agreementOf(version: number, db: Tx = prisma()) {
  return db.dataUseAgreement.findUnique({ where: { version }, select: { version: true, text: true, digest: true } });
}
