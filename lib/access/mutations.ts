import "server-only";
import { type Agreement, CURRENT_AGREEMENT, agreementDigest } from "@/lib/access/agreement";
import { queueForAnchoring } from "@/lib/anchoring/service";
import { type Tx, prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { AccessRequestState, Prisma } from "@/lib/generated/prisma/client.ts";
import type { LogEvent } from "@/lib/log/entry";
import type { LogKind, PrivateDetails, PublicDetails } from "@/lib/log/kinds";
import { appendLogEntry } from "@/lib/log/mutations";
import type { Signer } from "@/lib/registry/mutations";
import { SIGNATURE_METHOD } from "@/lib/registry/signature";

/**
 * Writes of access requests. Each act is one transaction that changes the request, appends its
 * event to the request's history (AccessEvent, never updated) and, from submission on, writes its
 * transparency-log entry — so the state, the history and the public record cannot disagree. State
 * changes are conditional on the state they start from (`updateMany … where state in …`), so two
 * committee members deciding at once, or a researcher withdrawing while the committee decides,
 * cannot both succeed.
 */

export type RequestRef = { id: string; number: string; orgId: string };
export type Visibility = "all" | "committee";

/** Appends one event of a request's history. */
async function appendEvent(tx: Tx, opts: { requestId: string; type: string; actorId: string | null; visibility?: Visibility; body?: Prisma.InputJsonObject }) {
  await tx.accessEvent.create({
    data: { requestId: opts.requestId, type: opts.type, actorId: opts.actorId, visibility: opts.visibility ?? "all", body: opts.body ?? {} },
  });
}

/** Writes a request event's transparency-log entry, subject the request. */
async function logEvent<K extends LogKind>(
  tx: Tx,
  request: RequestRef,
  actor: { type: "user"; id: string } | { type: "system"; id: string },
  kind: K,
  details: PublicDetails<K>,
  privateDetails?: PrivateDetails<K>,
) {
  const event = { kind, actor, subject: { type: "access-request", id: request.number }, details, orgId: request.orgId } as LogEvent<K>;
  if (privateDetails !== undefined) event.private = privateDetails;
  await appendLogEntry(tx, event);
}

/** Moves a request from one of `from` to `to`, or refuses (someone else moved it first). */
async function transition(tx: Tx, requestId: string, from: AccessRequestState[], to: AccessRequestState, data: Prisma.AccessRequestUpdateManyMutationInput = {}) {
  const { count } = await tx.accessRequest.updateMany({ where: { id: requestId, state: { in: from } }, data: { ...data, state: to } });
  if (count === 0) throw new AppError("CONFLICT", "This request changed meanwhile: reload the page to see where it stands.");
}

const EDITABLE: AccessRequestState[] = ["DRAFT", "RETURNED"];

/**
 * Creates a draft request DAR-<year>-<n> for releases of one organisation, with the researcher as
 * its applicant. Numbers come from a per-year counter row incremented atomically. Drafts are not
 * logged: nothing of a request is public before it is submitted.
 */
export async function createRequest(opts: {
  orgId: string;
  researcher: { id: string; email: string };
  releaseIds: string[];
  agreementVersion: number;
  form: Prisma.InputJsonObject;
  now?: Date;
}): Promise<{ number: string }> {
  const year = (opts.now ?? new Date()).getUTCFullYear();
  return prisma().$transaction(async (tx) => {
    const counter = await tx.accessRequestCounter.upsert({ where: { year }, create: { year, last: 1 }, update: { last: { increment: 1 } } });
    const number = `DAR-${year}-${String(counter.last).padStart(5, "0")}`;
    const request = await tx.accessRequest.create({
      data: {
        number,
        orgId: opts.orgId,
        researcherId: opts.researcher.id,
        form: opts.form,
        agreementVersion: opts.agreementVersion,
        releases: { create: opts.releaseIds.map((releaseId) => ({ releaseId })) },
        members: { create: { email: opts.researcher.email.toLowerCase(), userId: opts.researcher.id, applicant: true } },
      },
      select: { id: true },
    });
    await appendEvent(tx, { requestId: request.id, type: "created", actorId: opts.researcher.id, body: { releases: opts.releaseIds.length } });
    return { number };
  });
}

/** Replaces the request's releases (draft or returned only). */
export async function setReleases(opts: { requestId: string; releaseIds: string[]; actorId: string }) {
  await prisma().$transaction(async (tx) => {
    const { count } = await tx.accessRequest.updateMany({ where: { id: opts.requestId, state: { in: EDITABLE } }, data: { updatedAt: new Date() } });
    if (count === 0) throw new AppError("CONFLICT", "Only a draft or a returned request can change its releases.");
    await tx.accessRequestRelease.deleteMany({ where: { requestId: opts.requestId } });
    await tx.accessRequestRelease.createMany({ data: opts.releaseIds.map((releaseId) => ({ requestId: opts.requestId, releaseId })) });
    await appendEvent(tx, { requestId: opts.requestId, type: "releases-changed", actorId: opts.actorId, body: { releases: opts.releaseIds.length } });
  });
}

/** Saves the form (draft or returned only). Saves are not history events: the submission is. */
export async function saveForm(opts: { requestId: string; form: Prisma.InputJsonObject }): Promise<Date> {
  const updatedAt = new Date();
  const { count } = await prisma().accessRequest.updateMany({ where: { id: opts.requestId, state: { in: EDITABLE } }, data: { form: opts.form, updatedAt } });
  if (count === 0) throw new AppError("CONFLICT", "This request was submitted meanwhile: it can no longer be edited.");
  return updatedAt;
}

/** Invites a colleague to the team; only the token's hash is stored. */
export async function addMember(opts: { request: RequestRef; email: string; userId: string | null; tokenHash: string; actorId: string; logged: boolean }) {
  return prisma().$transaction(async (tx) => {
    const existing = await tx.accessRequestMember.findUnique({ where: { requestId_email: { requestId: opts.request.id, email: opts.email } }, select: { id: true } });
    if (existing) throw new AppError("CONFLICT", `${opts.email} is already on the team.`, { fieldErrors: { email: ["Already on the team."] } });
    const member = await tx.accessRequestMember.create({
      data: { requestId: opts.request.id, email: opts.email, userId: opts.userId, tokenHash: opts.tokenHash },
      select: { id: true },
    });
    await appendEvent(tx, { requestId: opts.request.id, type: "member-invited", actorId: opts.actorId, body: { email: opts.email } });
    if (opts.logged) await logEvent(tx, opts.request, { type: "user", id: opts.actorId }, "access.member-invited", {}, { email: opts.email });
    return member;
  });
}

export async function removeMember(opts: { requestId: string; memberId: string; actorId: string }) {
  await prisma().$transaction(async (tx) => {
    const removed = await tx.accessRequestMember.deleteMany({ where: { id: opts.memberId, requestId: opts.requestId, applicant: false } });
    if (removed.count === 0) throw new AppError("NOT_FOUND", "No such team member (the applicant cannot be removed).");
    await appendEvent(tx, { requestId: opts.requestId, type: "member-removed", actorId: opts.actorId });
  });
}

/**
 * Records that a member accepted the agreement, personally: attaches their account (an
 * invitation) and the version accepted. Logged once the request is submitted; before that, the
 * acceptance is part of what the submission entry states.
 */
export async function acceptAgreement(opts: { request: RequestRef; memberId: string; userId: string; agreement: { version: number; digest: string }; logged: boolean }) {
  await prisma().$transaction(async (tx) => {
    const { count } = await tx.accessRequestMember.updateMany({
      where: { id: opts.memberId, requestId: opts.request.id, OR: [{ userId: null }, { userId: opts.userId }] },
      data: { userId: opts.userId, acceptedAt: new Date(), agreementVersion: opts.agreement.version },
    });
    if (count === 0) throw new AppError("CONFLICT", "This invitation was already accepted by another account.");
    await appendEvent(tx, { requestId: opts.request.id, type: "agreement-accepted", actorId: opts.userId, body: { version: opts.agreement.version } });
    if (opts.logged) {
      await logEvent(tx, opts.request, { type: "user", id: opts.userId }, "access.agreement-accepted", { agreement: { version: opts.agreement.version, digest: opts.agreement.digest } });
    }
  });
}

export async function putDocument(opts: { requestId: string; kind: string; name: string; digest: string; size: number; actorId: string }) {
  await prisma().$transaction(async (tx) => {
    const { count } = await tx.accessRequest.updateMany({ where: { id: opts.requestId, state: { in: EDITABLE } }, data: { updatedAt: new Date() } });
    if (count === 0) throw new AppError("CONFLICT", "Only a draft or a returned request takes documents.");
    await tx.accessDocument.deleteMany({ where: { requestId: opts.requestId, kind: opts.kind } });
    await tx.accessDocument.create({ data: { requestId: opts.requestId, kind: opts.kind, name: opts.name, digest: opts.digest, size: BigInt(opts.size) } });
    await appendEvent(tx, { requestId: opts.requestId, type: "document-added", actorId: opts.actorId, body: { kind: opts.kind, name: opts.name, digest: opts.digest } });
  });
}

export async function removeDocument(opts: { requestId: string; kind: string; actorId: string }) {
  await prisma().$transaction(async (tx) => {
    const { count } = await tx.accessRequest.updateMany({ where: { id: opts.requestId, state: { in: EDITABLE } }, data: { updatedAt: new Date() } });
    if (count === 0) throw new AppError("CONFLICT", "Only a draft or a returned request can change its documents.");
    const removed = await tx.accessDocument.deleteMany({ where: { requestId: opts.requestId, kind: opts.kind } });
    if (removed.count === 0) throw new AppError("NOT_FOUND", "The request has no such document.");
    await appendEvent(tx, { requestId: opts.requestId, type: "document-removed", actorId: opts.actorId, body: { kind: opts.kind } });
  });
}

/** Submits (or resubmits after a return): freezes the form as submitted and logs it. */
export async function submitRequest(opts: {
  request: RequestRef;
  form: Prisma.InputJsonObject;
  title: string;
  releaseRefs: string[];
  agreement: { version: number; digest: string };
  researcher: { id: string; email: string };
  now?: Date;
}) {
  const now = opts.now ?? new Date();
  return prisma().$transaction(async (tx) => {
    await transition(tx, opts.request.id, EDITABLE, "SUBMITTED", { submitted: opts.form, form: opts.form, submittedAt: now, revision: { increment: 1 } });
    const { revision } = await tx.accessRequest.findUniqueOrThrow({ where: { id: opts.request.id }, select: { revision: true } });
    await appendEvent(tx, { requestId: opts.request.id, type: "submitted", actorId: opts.researcher.id, body: { revision } });
    await logEvent(
      tx,
      opts.request,
      { type: "user", id: opts.researcher.id },
      "access.request-submitted",
      { releases: opts.releaseRefs, revision, agreement: { version: opts.agreement.version, digest: opts.agreement.digest } },
      { title: opts.title, researcherEmail: opts.researcher.email },
    );
    return { revision };
  });
}

/** The researcher withdraws a request not yet decided. */
export async function withdrawRequest(opts: { request: RequestRef; actorId: string; logged: boolean }) {
  await prisma().$transaction(async (tx) => {
    await transition(tx, opts.request.id, ["DRAFT", "SUBMITTED", "IN_REVIEW", "RETURNED"], "WITHDRAWN");
    await appendEvent(tx, { requestId: opts.request.id, type: "withdrawn", actorId: opts.actorId });
    if (opts.logged) await logEvent(tx, opts.request, { type: "user", id: opts.actorId }, "access.withdrawn", {});
  });
}

/** The committee opens a new request: it moves to "in review". */
export async function startReview(opts: { request: RequestRef; actorId: string }) {
  await prisma().$transaction(async (tx) => {
    await transition(tx, opts.request.id, ["SUBMITTED"], "IN_REVIEW");
    await appendEvent(tx, { requestId: opts.request.id, type: "review-started", actorId: opts.actorId });
    await logEvent(tx, opts.request, { type: "user", id: opts.actorId }, "access.review-started", {});
  });
}

/**
 * A message of the conversation (both sides read it) or an internal note (the committee only).
 * The text stays in the history; the log holds its digest. A committee message on a new request
 * starts the review.
 */
export async function postText(opts: { request: RequestRef; actorId: string; side: "researcher" | "committee"; internal: boolean; text: string; textDigest: string }) {
  await prisma().$transaction(async (tx) => {
    if (opts.side === "committee") await tx.accessRequest.updateMany({ where: { id: opts.request.id, state: "SUBMITTED" }, data: { state: "IN_REVIEW" } });
    await appendEvent(tx, {
      requestId: opts.request.id,
      type: opts.internal ? "note" : "message",
      actorId: opts.actorId,
      visibility: opts.internal ? "committee" : "all",
      body: { text: opts.text, side: opts.side },
    });
    if (opts.internal) await logEvent(tx, opts.request, { type: "user", id: opts.actorId }, "access.note-added", {}, { textDigest: opts.textDigest });
    else await logEvent(tx, opts.request, { type: "user", id: opts.actorId }, "access.message-posted", { from: opts.side }, { textDigest: opts.textDigest });
  });
}

/** A committee member's vote with its rationale; a new vote replaces their earlier one (both stay in the history). */
export async function castVote(opts: { request: RequestRef; userId: string; vote: string; rationale: string; revision: number }) {
  await prisma().$transaction(async (tx) => {
    const { count } = await tx.accessRequest.updateMany({ where: { id: opts.request.id, state: { in: ["SUBMITTED", "IN_REVIEW"] } }, data: { state: "IN_REVIEW" } });
    if (count === 0) throw new AppError("CONFLICT", "Only a request under review takes votes.");
    await tx.accessVote.upsert({
      where: { requestId_userId: { requestId: opts.request.id, userId: opts.userId } },
      create: { requestId: opts.request.id, userId: opts.userId, vote: opts.vote, rationale: opts.rationale, revision: opts.revision },
      update: { vote: opts.vote, rationale: opts.rationale, revision: opts.revision, createdAt: new Date() },
    });
    await appendEvent(tx, { requestId: opts.request.id, type: "vote", actorId: opts.userId, visibility: "committee", body: { vote: opts.vote, rationale: opts.rationale, revision: opts.revision } });
    await logEvent(tx, opts.request, { type: "user", id: opts.userId }, "access.vote-cast", {}, { vote: opts.vote as "approve", rationale: opts.rationale });
  });
}

const signatureOf = (signer: Signer) => ({ meaning: signer.meaning, method: SIGNATURE_METHOD });

export type NewGrant = { id: string; userId: string; releaseId: string; releaseRef: string; visa: string; visaDigest: string };

/**
 * Approves: the request's end date, conditions and approved analysis plan's digest (queued for
 * anchoring), one grant per team member and release with its visa, and the public entries — the
 * approval, with what the register publishes, and each grant.
 */
export async function approveRequest(opts: {
  request: RequestRef;
  signer: Signer;
  decidedAt: Date;
  end: Date;
  conditions: string | null;
  planDigest: string;
  grants: NewGrant[];
  register: Omit<PublicDetails<"access.approved">, "signature" | "start" | "end" | "analysisPlanDigest" | "withConditions" | "decidedVia">;
}) {
  return prisma().$transaction(async (tx) => {
    const [item] = await queueForAnchoring(tx, [{ digest: opts.planDigest, kind: "access-analysis-plan", subjectId: opts.request.number, subjectName: "approved analysis plan" }]);
    await transition(tx, opts.request.id, ["SUBMITTED", "IN_REVIEW"], "APPROVED", {
      decidedAt: opts.decidedAt,
      grantEnd: opts.end,
      conditions: opts.conditions,
      planDigest: opts.planDigest,
      anchorItemId: item?.id ?? null,
    });
    await tx.accessGrant.createMany({
      data: opts.grants.map((g) => ({ id: g.id, requestId: opts.request.id, userId: g.userId, releaseId: g.releaseId, start: opts.decidedAt, end: opts.end, visa: g.visa })),
    });
    await appendEvent(tx, {
      requestId: opts.request.id,
      type: "approved",
      actorId: opts.signer.userId,
      body: { end: opts.end.toISOString(), conditions: opts.conditions, planDigest: opts.planDigest, meaning: opts.signer.meaning, grants: opts.grants.length },
    });
    const actor = { type: "user" as const, id: opts.signer.userId };
    await logEvent(
      tx,
      opts.request,
      actor,
      "access.approved",
      {
        ...opts.register,
        withConditions: opts.conditions,
        start: opts.decidedAt.toISOString(),
        end: opts.end.toISOString(),
        analysisPlanDigest: opts.planDigest,
        decidedVia: "manual",
        signature: signatureOf(opts.signer),
      },
      { signerName: opts.signer.name, signerEmail: opts.signer.email },
    );
    for (const grant of opts.grants) {
      await logEvent(tx, opts.request, actor, "access.grant-issued", {
        grant: grant.id,
        userId: grant.userId,
        release: grant.releaseRef,
        start: opts.decidedAt.toISOString(),
        end: opts.end.toISOString(),
        visaDigest: grant.visaDigest,
      });
    }
    return { anchorItemId: item?.id ?? null };
  });
}

/** Returns the request for revision, or denies it; the reason is the researcher's to read. */
export async function closeWithoutAccess(opts: { request: RequestRef; signer: Signer; decision: "return" | "deny"; reason: string; releaseRefs: string[]; decidedAt: Date }) {
  await prisma().$transaction(async (tx) => {
    await transition(tx, opts.request.id, ["SUBMITTED", "IN_REVIEW"], opts.decision === "return" ? "RETURNED" : "DENIED", {
      decidedAt: opts.decision === "deny" ? opts.decidedAt : null,
    });
    await appendEvent(tx, {
      requestId: opts.request.id,
      type: opts.decision === "return" ? "returned" : "denied",
      actorId: opts.signer.userId,
      body: { reason: opts.reason, meaning: opts.signer.meaning },
    });
    const actor = { type: "user" as const, id: opts.signer.userId };
    if (opts.decision === "return") {
      await logEvent(tx, opts.request, actor, "access.returned", { signature: signatureOf(opts.signer) }, { reason: opts.reason, signerEmail: opts.signer.email });
    } else {
      await logEvent(tx, opts.request, actor, "access.denied", { releases: opts.releaseRefs, signature: signatureOf(opts.signer) }, { reason: opts.reason, signerEmail: opts.signer.email });
    }
  });
}

/** Ends a grant at once (revoked by the committee), if it is still active. */
export async function revokeGrant(opts: { request: RequestRef; grantId: string; userId: string; releaseRef: string; actorId: string; reason: string; now?: Date }) {
  const now = opts.now ?? new Date();
  await prisma().$transaction(async (tx) => {
    const { count } = await tx.accessGrant.updateMany({
      where: { id: opts.grantId, endedAt: null },
      data: { endedAt: now, endReason: "REVOKED", endedById: opts.actorId, revokeReason: opts.reason },
    });
    if (count === 0) throw new AppError("CONFLICT", "This grant has already ended.");
    await appendEvent(tx, { requestId: opts.request.id, type: "grant-revoked", actorId: opts.actorId, body: { grant: opts.grantId, release: opts.releaseRef, reason: opts.reason } });
    await logEvent(tx, opts.request, { type: "user", id: opts.actorId }, "access.grant-revoked", { grant: opts.grantId, userId: opts.userId, release: opts.releaseRef }, { reason: opts.reason });
  });
}

/** Marks a grant whose end has passed as expired (the expiry pump); false when it had already ended. */
export async function expireGrant(opts: { request: RequestRef; grantId: string; userId: string; releaseRef: string; now: Date }): Promise<boolean> {
  return prisma().$transaction(async (tx) => {
    const { count } = await tx.accessGrant.updateMany({ where: { id: opts.grantId, endedAt: null, end: { lte: opts.now } }, data: { endedAt: opts.now, endReason: "EXPIRED" } });
    if (count === 0) return false;
    await appendEvent(tx, { requestId: opts.request.id, type: "grant-expired", actorId: null, body: { grant: opts.grantId, release: opts.releaseRef } });
    await logEvent(tx, opts.request, { type: "system", id: "grant-expiry" }, "access.grant-expired", { grant: opts.grantId, userId: opts.userId, release: opts.releaseRef });
    return true;
  });
}

export async function recordCloseoutReminder(requestId: string) {
  await prisma().$transaction((tx) => appendEvent(tx, { requestId, type: "closeout-reminded", actorId: null }));
}

export async function requestRenewal(opts: { request: RequestRef; actorId: string; months: number }) {
  await prisma().$transaction(async (tx) => {
    const state = await tx.accessRequest.findUniqueOrThrow({ where: { id: opts.request.id }, select: { state: true } });
    if (state.state !== "APPROVED") throw new AppError("CONFLICT", "Only an approved request can be renewed.");
    await appendEvent(tx, { requestId: opts.request.id, type: "renewal-requested", actorId: opts.actorId, body: { months: opts.months } });
    await logEvent(tx, opts.request, { type: "user", id: opts.actorId }, "access.renewal-requested", { months: opts.months });
  });
}

/** The close-out report: the request closes and every grant still active ends (CLOSED_OUT). */
export async function closeOut(opts: { request: RequestRef; actorId: string; report: Prisma.InputJsonObject; publications: number; text: string; now?: Date }) {
  const now = opts.now ?? new Date();
  await prisma().$transaction(async (tx) => {
    await transition(tx, opts.request.id, ["APPROVED"], "CLOSED", { closeout: opts.report });
    await tx.accessGrant.updateMany({ where: { requestId: opts.request.id, endedAt: null }, data: { endedAt: now, endReason: "CLOSED_OUT", endedById: opts.actorId } });
    await appendEvent(tx, { requestId: opts.request.id, type: "closed", actorId: opts.actorId, body: opts.report });
    await logEvent(tx, opts.request, { type: "user", id: opts.actorId }, "access.closeout-submitted", { publications: opts.publications, dataDestroyed: true }, { report: opts.text });
  });
}

/** The committee's decision rule and target, set by an organisation admin. */
export async function setCommitteeRule(opts: { orgId: string; rule: "ONE_DECIDER" | "MAJORITY"; targetDays: number }) {
  await prisma().organization.update({ where: { id: opts.orgId }, data: { decisionRule: opts.rule, decisionTargetDays: opts.targetDays } });
}

/** The current data use agreement, its row created on first use (so every database holds the text its requests refer to). */
export async function currentAgreement(db: Tx = prisma()): Promise<Agreement> {
  const { version, text } = CURRENT_AGREEMENT;
  return db.dataUseAgreement.upsert({
    where: { version },
    create: { version, text, digest: agreementDigest(text) },
    update: {},
    select: { version: true, text: true, digest: true },
  });
}
