import "server-only";
import type { Agreement } from "@/lib/access/agreement";
import { currentAgreement } from "@/lib/access/mutations";
import { type RequestRow, agreementOf, committeeSeatCount, listEvents, listGrantsOfRequest, listGrantsOfUser, listInbox, listRequestsOf, listSeats, listVotes, userNames } from "@/lib/access/data";
import { type RequestDraft, type RequestForm, releaseRefOf } from "@/lib/access/schema";
import { explainRequest } from "@/lib/access/explain";
import { addMonths } from "@/lib/duo/match";
import { decisionMeaning, latestEnd, requireCommitteeSeat, requireTeamRequest, requiredDocuments, submitProblems } from "@/lib/access/service";
import type { SessionUser } from "@/lib/auth/roles";
import { type DataUseConditions, dataUseConditions } from "@/lib/duo/conditions";
import { termLabels } from "@/lib/duo/data";
import { describeConditions } from "@/lib/duo/describe";

/**
 * What the researcher's and the committee's pages show of requests, built once here so pages only
 * render (STYLE.md: keep app/ to rendering). Dates are ISO strings: views cross to client components.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

async function releasesView(request: RequestRow) {
  const conditions = request.releases.map((r) => dataUseConditions.parse(r.release.conditions));
  const diseaseIds = conditions.flatMap((c) => (c.permission.code === "DS" ? c.permission.diseases : []));
  const labels = await termLabels(diseaseIds);
  return request.releases.map(({ release }, i) => {
    const c = conditions[i] as DataUseConditions;
    return {
      ref: releaseRefOf(release.dataset.number, release.number),
      datasetNumber: release.dataset.number,
      release: release.number,
      title: release.dataset.title,
      conditions: c,
      conditionsInWords: describeConditions(c, labels),
    };
  });
}

type EventRow = Awaited<ReturnType<typeof listEvents>>[number];

function eventsView(request: RequestRow, events: EventRow[], names: Map<string, string>) {
  const team = new Set([request.researcherId, ...request.members.map((m) => m.userId).filter(Boolean)]);
  return events.map((e) => {
    const body = (e.body ?? {}) as Record<string, unknown>;
    const side = e.actorId === null ? "system" : team.has(e.actorId) ? "researcher" : "committee";
    return {
      id: e.id.toString(),
      type: e.type,
      at: e.createdAt.toISOString(),
      visibility: e.visibility,
      actor: { name: e.actorId ? (names.get(e.actorId) ?? "A committee member") : "TrialLedger", side },
      text: typeof body.text === "string" ? body.text : typeof body.reason === "string" ? body.reason : undefined,
      body,
    };
  });
}

function decisionOf(request: RequestRow, events: EventRow[]) {
  const last = [...events].reverse().find((e) => ["approved", "returned", "denied"].includes(e.type));
  if (!last) return null;
  const body = last.body as Record<string, unknown>;
  return {
    decision: last.type as "approved" | "returned" | "denied",
    at: last.createdAt.toISOString(),
    end: request.grantEnd?.toISOString(),
    conditions: request.conditions ?? undefined,
    reason: typeof body.reason === "string" ? body.reason : undefined,
  };
}

async function baseView(request: RequestRow, viewer: SessionUser, includeCommitteeOnly: boolean) {
  const [releases, events, grants, agreement, explanation] = await Promise.all([
    releasesView(request),
    listEvents(request.id, { includeCommitteeOnly }),
    listGrantsOfRequest(request.id),
    agreementOf(request.agreementVersion).then((a): Promise<Agreement> | Agreement => a ?? currentAgreement()),
    // The committee reads the match of what was submitted; the team, of the form as it stands.
    explainRequest(request, includeCommitteeOnly && request.submitted ? (request.submitted as RequestDraft) : (request.form as RequestDraft)),
  ]);
  const names = await userNames(events.map((e) => e.actorId));
  const me = request.members.find((m) => m.userId === viewer.id);
  const now = Date.now();
  const editable = ["DRAFT", "RETURNED"].includes(request.state);
  const problems = submitProblems(request);
  return {
    number: request.number,
    state: request.state,
    org: { slug: request.org.slug, name: request.org.name },
    researcher: request.researcher,
    // The committee reads what was submitted, not the draft of a returned request being revised.
    form: (includeCommitteeOnly ? (request.submitted ?? {}) : request.form) as RequestDraft,
    submitted: (request.submitted as RequestForm | null) ?? null,
    revision: request.revision,
    submittedAt: request.submittedAt?.toISOString() ?? null,
    daysOpen: request.submittedAt ? Math.floor((now - request.submittedAt.getTime()) / DAY_MS) : null,
    releases,
    members: request.members.map((m) => ({ id: m.id, email: m.email, name: m.user?.name ?? null, applicant: m.applicant, accepted: m.acceptedAt !== null, acceptedAt: m.acceptedAt?.toISOString() ?? null })),
    documents: request.documents.map((d) => ({ kind: d.kind, name: d.name, digest: d.digest, size: Number(d.size) })),
    requiredDocuments: requiredDocuments(releases.map((r) => r.conditions)),
    agreement: { version: agreement.version, text: agreement.text, digest: agreement.digest, acceptedByMe: Boolean(me?.acceptedAt) },
    explanation,
    events: eventsView(request, events, names),
    decision: decisionOf(request, events),
    planDigest: request.planDigest,
    grants: grants.map((g) => ({
      id: g.id,
      userName: g.user.name,
      release: releaseRefOf(g.release.dataset.number, g.release.number),
      start: g.start.toISOString(),
      end: g.end.toISOString(),
      active: g.endedAt === null && g.start.getTime() <= now && g.end.getTime() > now,
      endReason: g.endReason,
      revokeReason: g.revokeReason,
    })),
    isApplicant: request.researcherId === viewer.id,
    canEdit: editable && request.researcherId === viewer.id,
    canSubmit: editable && request.researcherId === viewer.id && problems.length === 0,
    submitProblems: problems,
  };
}
export type RequestView = Awaited<ReturnType<typeof baseView>>;

/** The request for a member of its team. @throws AppError NOT_FOUND */
export async function requestForResearcher(user: SessionUser, number: string) {
  return baseView(await requireTeamRequest(user, number), user, false);
}

/** The request for a member of the deciding committee: with internal notes, votes and what a decision signs. */
export async function requestForCommittee(user: SessionUser, number: string) {
  const request = await requireCommitteeSeat(user, number);
  const [view, votes, seats] = await Promise.all([baseView(request, user, true), listVotes(request.id), committeeSeatCount(request.orgId)]);
  const title = (request.submitted as RequestForm | null)?.title ?? request.number;
  const now = new Date();
  const cap = latestEnd(view.releases.map((r) => r.conditions), now);
  const requested = (request.submitted as RequestForm | null)?.months ?? 12;
  const defaultEnd = new Date(Math.min(addMonths(now, requested).getTime(), cap.end.getTime()));
  const current = votes.filter((v) => v.revision === request.revision);
  return {
    ...view,
    notes: view.events.filter((e) => e.type === "note"),
    votes: votes.map((v) => ({ userName: v.user.name, vote: v.vote, rationale: v.rationale, at: v.createdAt.toISOString(), revision: v.revision, current: v.revision === request.revision })),
    tally: Object.fromEntries(["approve", "approve-with-conditions", "return", "deny"].map((k) => [k, current.filter((v) => v.vote === k).length])) as Record<string, number>,
    rule: { rule: request.org.decisionRule, seats, targetDays: request.org.decisionTargetDays },
    decisionMeanings: {
      approve: decisionMeaning(request, title, "approve"),
      "approve-with-conditions": decisionMeaning(request, title, "approve-with-conditions"),
      return: decisionMeaning(request, title, "return"),
      deny: decisionMeaning(request, title, "deny"),
    },
    maxEnd: cap.cappedBy === "TS" ? cap.end.toISOString().slice(0, 10) : null,
    latestEnd: cap.end.toISOString().slice(0, 10),
    defaultEnd: defaultEnd.toISOString().slice(0, 10),
  };
}
export type CommitteeRequestView = Awaited<ReturnType<typeof requestForCommittee>>;

/** The researcher's requests, newest first. */
export async function listMyRequests(user: SessionUser) {
  const rows = await listRequestsOf(user.id);
  return rows.map((r) => ({
    number: r.number,
    title: (r.form as RequestDraft).title ?? "(untitled draft)",
    state: r.state,
    releases: r.releases.map((x) => releaseRefOf(x.release.dataset.number, x.release.number)),
    updatedAt: r.updatedAt.toISOString(),
    submittedAt: r.submittedAt?.toISOString() ?? null,
  }));
}

/** The researcher's grants, active first. */
export async function listMyGrants(user: SessionUser) {
  const now = Date.now();
  const rows = await listGrantsOfUser(user.id);
  return rows
    .map((g) => ({
      id: g.id,
      request: g.request.number,
      release: releaseRefOf(g.release.dataset.number, g.release.number),
      datasetTitle: g.release.dataset.title,
      start: g.start.toISOString(),
      end: g.end.toISOString(),
      active: g.endedAt === null && g.start.getTime() <= now && g.end.getTime() > now,
      endReason: g.endReason,
      revokeReason: g.revokeReason,
    }))
    .sort((a, b) => Number(b.active) - Number(a.active));
}

const QUEUE_OF = { SUBMITTED: "new", IN_REVIEW: "inReview", RETURNED: "waiting", APPROVED: "decided", DENIED: "decided", WITHDRAWN: "decided", CLOSED: "decided" } as const;

/** The committee's queues, per organisation whose committee the user sits on, oldest submission first. */
export async function committeeInbox(user: SessionUser) {
  const seats = await listSeats(user.id);
  const rows = await listInbox(seats.map((s) => s.org.id));
  const now = Date.now();
  return seats.map(({ org }) => {
    const queues = { new: [] as InboxRow[], inReview: [] as InboxRow[], waiting: [] as InboxRow[], decided: [] as InboxRow[] };
    for (const r of rows.filter((x) => x.orgId === org.id)) {
      const submitted = r.submitted as RequestForm | null;
      const daysOpen = Math.floor(((r.decidedAt?.getTime() ?? now) - (r.submittedAt?.getTime() ?? now)) / DAY_MS);
      queues[QUEUE_OF[r.state as keyof typeof QUEUE_OF]].push({
        number: r.number,
        title: submitted?.title ?? r.number,
        researcher: r.researcher,
        institution: submitted?.institution.name ?? "",
        releases: r.releases.map((x) => releaseRefOf(x.release.dataset.number, x.release.number)),
        submittedAt: r.submittedAt?.toISOString() ?? "",
        daysOpen,
        overdue: ["SUBMITTED", "IN_REVIEW"].includes(r.state) && daysOpen > org.decisionTargetDays,
        votes: r._count.votes,
        state: r.state,
      });
    }
    return { org: { slug: org.slug, name: org.name }, rule: org.decisionRule, targetDays: org.decisionTargetDays, queues };
  });
}
export type InboxRow = {
  number: string;
  title: string;
  researcher: { name: string; email: string };
  institution: string;
  releases: string[];
  submittedAt: string;
  daysOpen: number;
  overdue: boolean;
  votes: number;
  state: string;
};
