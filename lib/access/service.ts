import "server-only";
import { randomBytes } from "node:crypto";
import { type Agreement, textDigest } from "@/lib/access/agreement";
import {
  type RequestReleaseRow,
  type RequestRow,
  committeeContacts,
  committeeSeatCount,
  findMemberInvitation,
  findPublishedReleases,
  getGrant,
  getRequest,
  hasCommitteeSeat,
  agreementOf,
  listVotes,
} from "@/lib/access/data";
import { explainRequest } from "@/lib/access/explain";
import * as writes from "@/lib/access/mutations";
import { visaDigest } from "@/lib/access/visa";
import {
  DEFAULT_MONTHS,
  DOCUMENT_KINDS,
  MAX_DOCUMENT_BYTES,
  type DecisionInput,
  type DocumentKind,
  MAX_MONTHS,
  type RequestDraft,
  type RequestForm,
  type Vote,
  closeoutReport,
  parseReleaseRef,
  releaseRefOf,
  requestDraft,
  requestForm,
} from "@/lib/access/schema";
import type { SessionUser } from "@/lib/auth/roles";
import { findUserIdByEmail } from "@/lib/auth/data";
import { recordDigest } from "@/lib/canonical-json";
import { type DataUseConditions, dataUseConditions } from "@/lib/duo/conditions";
import { addMonths, maxGrantEnd } from "@/lib/duo/match";
import { type BlobInput, blobStore } from "@/lib/blobs/store";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { assertOrgAdmin, hashToken } from "@/lib/orgs/service";
import { getOrgBySlug } from "@/lib/orgs/data";
import { sendMail } from "@/lib/mail/service";
import { checkSignature } from "@/lib/registry/service";
import { signatureMeaning } from "@/lib/registry/signature";

/**
 * Access requests, for the researcher and the data-access committee (DESIGN.md "Access requests,
 * decisions and grants"; REMS's and DUOS's models, STANDARDS.md §6). Who may see a request:
 * - its team: the applicant and every invited member; anyone else is told it does not exist;
 * - the committee of the organisation whose releases it asks for, once it has been submitted
 *   (a draft is the researcher's own).
 * Every act checks that here, before it writes, so pages, actions and routes cannot forget it.
 */

const NOT_FOUND = "No access request has that number.";
const DAY_MS = 24 * 60 * 60 * 1000;

function refOf(release: RequestReleaseRow): string {
  return releaseRefOf(release.dataset.number, release.number);
}

const asRef = (request: RequestRow): writes.RequestRef => ({ id: request.id, number: request.number, orgId: request.orgId });

const onTeam = (request: Pick<RequestRow, "researcherId" | "members">, userId: string) => request.researcherId === userId || request.members.some((m) => m.userId === userId);

/** The request, for a member of its team. @throws AppError NOT_FOUND for anyone else */
export async function requireTeamRequest(user: SessionUser, number: string): Promise<RequestRow> {
  const request = await getRequest(number);
  if (!request) throw new AppError("NOT_FOUND", NOT_FOUND);
  if (request.researcherId !== user.id && !request.members.some((m) => m.userId === user.id)) throw new AppError("NOT_FOUND", NOT_FOUND);
  return request;
}

/** The request, for its applicant (who alone edits and submits it). */
async function requireApplicant(user: SessionUser, number: string): Promise<RequestRow> {
  const request = await requireTeamRequest(user, number);
  if (request.researcherId !== user.id) throw new AppError("FORBIDDEN", "Only the applicant who created this request can change or submit it.");
  return request;
}

/**
 * The request, for a member of the deciding organisation's committee, once submitted.
 * @throws AppError NOT_FOUND for anyone else, and for drafts
 */
export async function requireCommitteeSeat(user: SessionUser, number: string): Promise<RequestRow> {
  const request = await getRequest(number);
  if (!request || !request.submittedAt || !(await hasCommitteeSeat(request.orgId, user.id))) throw new AppError("NOT_FOUND", NOT_FOUND);
  // A researcher may also sit on a committee: never on their own request (no reading its internal
  // notes, no vote, no decision).
  if (onTeam(request, user.id)) throw new AppError("FORBIDDEN", "You are on this request's team: another member of the committee reviews and decides it.");
  return request;
}

// ─── creating and filling a request ─────────────────────────────────────────────────────────

/** Loads published releases by reference, all of one organisation. @throws AppError VALIDATION */
async function resolveReleases(refs: string[]) {
  const unique = [...new Set(refs)];
  const parsed = unique.map(parseReleaseRef);
  const found = await findPublishedReleases(parsed);
  const byRef = new Map(found.map((r) => [releaseRefOf(r.dataset.number, r.number), r]));
  const missing = unique.filter((ref) => !byRef.has(ref));
  if (missing.length > 0) {
    throw new AppError("VALIDATION", `No published release ${missing.join(", ")}.`, { fieldErrors: { releases: [`No published release ${missing.join(", ")}.`] } });
  }
  const orgs = new Set(found.map((r) => r.dataset.orgId));
  if (orgs.size > 1) {
    throw new AppError("VALIDATION", "One request covers releases of one sponsor: their committee decides it. Make a request per sponsor.", {
      fieldErrors: { releases: ["These releases belong to different sponsors."] },
    });
  }
  return { releases: found, orgId: [...orgs][0] as string };
}

/**
 * Starts a draft request for published releases of one sponsor, asking for the default
 * duration (12 months).
 * @throws AppError VALIDATION (unknown release, several sponsors)
 */
export async function createRequest(opts: { user: SessionUser; releases: string[] }) {
  const { releases, orgId } = await resolveReleases(opts.releases);
  const agreement = await writes.currentAgreement();
  return writes.createRequest({
    orgId,
    researcher: { id: opts.user.id, email: opts.user.email },
    releaseIds: releases.map((r) => r.id),
    agreementVersion: agreement.version,
    form: { months: DEFAULT_MONTHS },
  });
}

/** Adds or removes a release of the same sponsor (draft or returned). */
export async function changeReleases(opts: { user: SessionUser; number: string; add?: string; remove?: string }) {
  const request = await requireApplicant(opts.user, opts.number);
  const current = request.releases.map((r) => refOf(r.release));
  const next = opts.add ? [...new Set([...current, opts.add])] : current.filter((ref) => ref !== opts.remove);
  if (next.length === 0) throw new AppError("VALIDATION", "A request asks for at least one release.", { fieldErrors: { releases: ["Keep at least one release."] } });
  const { releases, orgId } = await resolveReleases(next);
  if (orgId !== request.orgId) throw new AppError("VALIDATION", "That release belongs to another sponsor: make a separate request.", { fieldErrors: { releases: ["Another sponsor's release."] } });
  await writes.setReleases({ requestId: request.id, releaseIds: releases.map((r) => r.id), actorId: opts.user.id });
  return { releases: next };
}

/**
 * The explained match of the request's purpose — of `form` when given (the page explains as the
 * researcher types, before saving), else of the saved draft.
 */
export async function explain(opts: { user: SessionUser; number: string; form?: unknown }) {
  const request = await requireTeamRequest(opts.user, opts.number);
  const draft = opts.form === undefined ? (request.form as RequestDraft) : { ...(request.form as RequestDraft), ...requestDraft.parse(opts.form) };
  return explainRequest(request, draft);
}

/** Saves the draft (any part of the form; each part valid on its own). */
export async function saveRequest(opts: { user: SessionUser; number: string; form: unknown }) {
  const request = await requireApplicant(opts.user, opts.number);
  const draft = requestDraft.parse(opts.form);
  const merged = { ...(request.form as object), ...draft };
  const savedAt = await writes.saveForm({ requestId: request.id, form: merged });
  return { savedAt: savedAt.toISOString() };
}

/** Invitations to a request's team are valid for 14 days. */
const MEMBER_INVITATION_TTL_MS = 14 * DAY_MS;

/**
 * Invites a colleague by e-mail: they must hold a researcher account (or create one) and accept
 * the agreement personally through the mailed link. Only the link token's hash is stored.
 */
export async function inviteMember(opts: { user: SessionUser; number: string; email: string }) {
  const request = await requireApplicant(opts.user, opts.number);
  if (!["DRAFT", "RETURNED"].includes(request.state)) throw new AppError("CONFLICT", "The team can change only while the request is a draft or returned.");
  const email = opts.email.toLowerCase();
  const token = randomBytes(32).toString("base64url");
  const account = await findUserIdByEmail(email);
  const member = await writes.addMember({
    request: asRef(request),
    email,
    userId: null,
    tokenHash: hashToken(token),
    actorId: opts.user.id,
    logged: request.submittedAt !== null,
  });
  const link = `${env().authUrl}/requests/invitations/${token}`;
  const title = (request.form as RequestDraft).title ?? request.number;
  await sendMail({
    to: email,
    subject: `You are invited to the team of access request ${request.number}`,
    body: `${opts.user.name} invited you to the team of the data access request “${title}” (${request.number}) on TrialLedger.\n\n${
      account ? "Sign in" : "Create a researcher account with this address"
    } and accept the data use agreement within 14 days: ${link}`,
    link,
  });
  return { memberId: member.id };
}

export async function removeMember(opts: { user: SessionUser; number: string; memberId: string }) {
  const request = await requireApplicant(opts.user, opts.number);
  if (!["DRAFT", "RETURNED"].includes(request.state)) throw new AppError("CONFLICT", "The team can change only while the request is a draft or returned.");
  await writes.removeMember({ requestId: request.id, memberId: opts.memberId, actorId: opts.user.id });
}

async function agreementFor(request: Pick<RequestRow, "agreementVersion">): Promise<Agreement> {
  return (await agreementOf(request.agreementVersion)) ?? writes.currentAgreement();
}

/** The signed-in team member accepts the request's data use agreement personally. */
export async function acceptAgreement(opts: { user: SessionUser; number: string }) {
  const request = await requireTeamRequest(opts.user, opts.number);
  const member = request.members.find((m) => m.userId === opts.user.id);
  if (!member) throw new AppError("NOT_FOUND", NOT_FOUND);
  if (member.acceptedAt) return { accepted: true };
  const agreement = await agreementFor(request);
  await writes.acceptAgreement({ request: asRef(request), memberId: member.id, userId: opts.user.id, agreement, logged: request.submittedAt !== null });
  return { accepted: true };
}

/** What an invitation link shows before it is accepted. @throws AppError NOT_FOUND, GONE */
export async function describeMemberInvitation(token: string) {
  const invitation = await findMemberInvitation(hashToken(token));
  if (!invitation) throw new AppError("NOT_FOUND", "This invitation link is not valid.");
  if (invitation.acceptedAt || invitation.invitedAt.getTime() + MEMBER_INVITATION_TTL_MS <= Date.now() || ["WITHDRAWN", "DENIED", "CLOSED"].includes(invitation.request.state)) {
    throw new AppError("GONE", "This invitation has expired or was already used. Ask the applicant for a new one.");
  }
  const agreement = await agreementFor(invitation.request);
  return {
    email: invitation.email,
    number: invitation.request.number,
    title: (invitation.request.form as RequestDraft).title ?? invitation.request.number,
    invitedBy: invitation.request.researcher.name,
    agreement,
  };
}

/**
 * Accepts an invitation for the signed-in researcher, whose address must be the invited one, and
 * with it the data use agreement. @throws AppError NOT_FOUND, GONE, FORBIDDEN (another address)
 */
export async function acceptInvitation(opts: { user: SessionUser; token: string }) {
  const invitation = await describeMemberInvitation(opts.token);
  if (invitation.email !== opts.user.email.toLowerCase()) {
    throw new AppError("FORBIDDEN", `This invitation is for ${invitation.email}. Sign in with that address to accept it.`);
  }
  const found = await findMemberInvitation(hashToken(opts.token));
  const request = await getRequest(invitation.number);
  if (!found || !request) throw new AppError("NOT_FOUND", "This invitation link is not valid.");
  await writes.acceptAgreement({ request: asRef(request), memberId: found.id, userId: opts.user.id, agreement: invitation.agreement, logged: request.submittedAt !== null });
  return { number: invitation.number };
}

/** Which documents the releases' conditions need: IRB approval for IRB, a collaboration letter for COL. */
export function requiredDocuments(conditions: DataUseConditions[]): DocumentKind[] {
  const kinds: DocumentKind[] = [];
  if (conditions.some((c) => c.modifiers.IRB)) kinds.push("irb");
  if (conditions.some((c) => c.modifiers.COL)) kinds.push("collaboration");
  return kinds;
}

function conditionsOf(request: RequestRow): DataUseConditions[] {
  return request.releases.map((r) => dataUseConditions.parse(r.release.conditions));
}

/** The form's fields as the page names them, for what still stops a submission. */
const FIELD_WORDS: Record<string, string> = {
  title: "the title",
  laySummary: "the lay summary",
  abstract: "the scientific abstract",
  purpose: "the research purpose",
  analysisPlan: "the analysis plan",
  institution: "the institution",
  conflicts: "conflicts of interest",
  funding: "funding",
  publicationPlan: "the publication plan",
  months: "the duration of access",
};

/** What still stops the applicant from submitting, in words (empty: ready). */
export function submitProblems(request: RequestRow): string[] {
  const problems: string[] = [];
  const form = requestForm.safeParse(request.form);
  if (!form.success) {
    const fields = [...new Set(form.error.issues.map((i) => FIELD_WORDS[String(i.path[0])] ?? String(i.path[0] ?? "the form")))];
    problems.push(`Complete the form: ${fields.join(", ")}.`);
  }
  for (const member of request.members) if (!member.acceptedAt) problems.push(`${member.email} has not accepted the data use agreement yet.`);
  const have = new Set(request.documents.map((d) => d.kind));
  for (const kind of requiredDocuments(conditionsOf(request))) if (!have.has(kind)) problems.push(`Upload the ${DOCUMENT_KINDS[kind].toLowerCase()}: a release's conditions require it.`);
  if (!["DRAFT", "RETURNED"].includes(request.state)) problems.push("This request has been submitted.");
  return problems;
}

/**
 * Submits the request (or resubmits it after a return): the form must be complete, every team
 * member must have accepted the agreement and the documents the conditions need be uploaded.
 * The committee is told by mail.
 * @throws AppError VALIDATION listing what is missing; CONFLICT when not a draft or returned
 */
export async function submitRequest(opts: { user: SessionUser; number: string }) {
  const request = await requireApplicant(opts.user, opts.number);
  const form = requestForm.safeParse(request.form);
  const problems = submitProblems(request);
  if (!form.success) throw form.error;
  if (problems.length > 0) throw new AppError("VALIDATION", `The request cannot be submitted yet: ${problems.join(" ")}`, { fieldErrors: { request: problems } });
  const agreement = await agreementFor(request);
  const { revision } = await writes.submitRequest({
    request: asRef(request),
    form: form.data,
    title: form.data.title,
    releaseRefs: request.releases.map((r) => refOf(r.release)),
    agreement,
    researcher: { id: opts.user.id, email: opts.user.email },
  });
  const link = `${env().authUrl}/committee/requests/${request.number}`;
  for (const { user } of await committeeContacts(request.orgId)) {
    await sendMail({
      to: user.email,
      subject: `Access request ${request.number} ${revision > 1 ? "resubmitted" : "submitted"}`,
      body: `${opts.user.name} ${revision > 1 ? "resubmitted" : "submitted"} the access request “${form.data.title}” to ${request.org.name}'s data-access committee.\n\nReview it: ${link}`,
      link,
    });
  }
  return { state: "SUBMITTED" as const, revision };
}

export async function withdrawRequest(opts: { user: SessionUser; number: string }) {
  const request = await requireApplicant(opts.user, opts.number);
  await writes.withdrawRequest({ request: asRef(request), actorId: opts.user.id, logged: request.submittedAt !== null });
  return { state: "WITHDRAWN" as const };
}

// ─── the conversation ───────────────────────────────────────────────────────────────────────

async function mailTeam(request: RequestRow, mail: { subject: string; body: string }) {
  const link = `${env().authUrl}/requests/${request.number}`;
  const addresses = new Set([request.researcher.email, ...request.members.filter((m) => m.userId).map((m) => m.email)]);
  for (const to of addresses) await sendMail({ to, subject: mail.subject, body: `${mail.body}\n\n${link}`, link });
}

/**
 * A message between the researcher's team and the committee (once submitted). The side is
 * whoever the poster is on this request: a team member writes as the researcher, a committee
 * member of the deciding organisation as the committee.
 */
export async function postMessage(opts: { user: SessionUser; number: string; text: string }) {
  const request = await getRequest(opts.number);
  if (!request) throw new AppError("NOT_FOUND", NOT_FOUND);
  const onTeam = request.researcherId === opts.user.id || request.members.some((m) => m.userId === opts.user.id);
  const onCommittee = !onTeam && request.submittedAt !== null && (await hasCommitteeSeat(request.orgId, opts.user.id));
  if (!onTeam && !onCommittee) throw new AppError("NOT_FOUND", NOT_FOUND);
  if (!request.submittedAt) throw new AppError("CONFLICT", "Submit the request first: the committee reads messages on submitted requests.");
  const side = onTeam ? "researcher" : "committee";
  await writes.postText({ request: asRef(request), actorId: opts.user.id, side, internal: false, text: opts.text, textDigest: textDigest(opts.text) });
  if (side === "committee") {
    await mailTeam(request, { subject: `A message about access request ${request.number}`, body: `${request.org.name}'s data-access committee wrote about your request.` });
  } else {
    const link = `${env().authUrl}/committee/requests/${request.number}`;
    for (const { user } of await committeeContacts(request.orgId)) {
      await sendMail({ to: user.email, subject: `A message about access request ${request.number}`, body: `${opts.user.name} wrote about the request.\n\n${link}`, link });
    }
  }
  return { posted: true };
}

// ─── the committee ──────────────────────────────────────────────────────────────────────────

export async function startReview(opts: { user: SessionUser; number: string }) {
  const request = await requireCommitteeSeat(opts.user, opts.number);
  await writes.startReview({ request: asRef(request), actorId: opts.user.id });
  return { state: "IN_REVIEW" as const };
}

export async function addNote(opts: { user: SessionUser; number: string; text: string }) {
  const request = await requireCommitteeSeat(opts.user, opts.number);
  await writes.postText({ request: asRef(request), actorId: opts.user.id, side: "committee", internal: true, text: opts.text, textDigest: textDigest(opts.text) });
  return { added: true };
}

export async function castVote(opts: { user: SessionUser; number: string; vote: Vote; rationale: string }) {
  const request = await requireCommitteeSeat(opts.user, opts.number);
  await writes.castVote({ request: asRef(request), userId: opts.user.id, vote: opts.vote, rationale: opts.rationale, revision: request.revision });
  return { voted: opts.vote };
}

/** The decision's family for the majority rule: approving with or without conditions agree. */
const family = (vote: string) => (vote === "approve-with-conditions" ? "approve" : vote);

/**
 * Whether the organisation's rule lets this decision be taken now: one decider (any member of the
 * committee), or a majority of the committee's seats having voted for it on this revision.
 */
export async function ruleAllows(request: RequestRow, decision: DecisionInput["decision"]): Promise<{ ok: true } | { ok: false; message: string }> {
  if (request.org.decisionRule === "ONE_DECIDER") return { ok: true };
  const seats = await committeeSeatCount(request.orgId);
  const needed = Math.floor(seats / 2) + 1;
  const votes = (await listVotes(request.id)).filter((v) => v.revision === request.revision && family(v.vote) === family(decision)).length;
  if (votes >= needed) return { ok: true };
  return { ok: false, message: `This committee decides by majority: ${needed} of its ${seats} members must vote for this decision first (${votes} ${votes === 1 ? "has" : "have"}).` };
}

/** The latest end a decision at `decidedAt` may give: the tightest TS cap of the releases, and never past MAX_MONTHS. */
export function latestEnd(conditions: DataUseConditions[], decidedAt: Date): { end: Date; cappedBy: "TS" | "maximum" } {
  const maximum = addMonths(decidedAt, MAX_MONTHS);
  const cap = maxGrantEnd(conditions, decidedAt);
  return cap && cap.getTime() < maximum.getTime() ? { end: cap, cappedBy: "TS" } : { end: maximum, cappedBy: "maximum" };
}

/** The meaning a committee member signs for a decision (shown on the page, checked on the server). */
export function decisionMeaning(request: Pick<RequestRow, "number" | "org">, title: string, decision: DecisionInput["decision"]): string {
  return signatureMeaning({ kind: "decide-access", decision, requestNumber: request.number, title, orgName: request.org.name });
}

/** The digest of the approved analysis plan: its text and the SAP file's digest, as canonical JSON. */
export function planDigestOf(request: Pick<RequestRow, "number" | "revision" | "documents">, form: RequestForm): string {
  const sap = request.documents.find((d) => d.kind === "sap");
  return recordDigest({
    request: request.number,
    revision: request.revision,
    analysisPlan: form.analysisPlan,
    sap: sap ? { name: sap.name, digest: sap.digest, size: Number(sap.size) } : null,
  });
}

const isUtcMidnight = (date: Date) => date.getTime() % DAY_MS === 0;

export type VisaMinter = (grant: { id: string; userId: string; datasetNumber: string; release: number; orgSlug: string; decidedAt: Date; end: Date }) => Promise<string>;

/**
 * Decides a request: a signed act (password and meaning). Approval needs an end date in the
 * future, no later than the releases' TS cap; return and deny a reason, which the researcher
 * reads. The organisation's rule is checked first (majority: enough votes for it).
 * @throws AppError VALIDATION (dates, signature), CONFLICT (rule not met, decided meanwhile)
 */
export async function decide(opts: { user: SessionUser; number: string; input: DecisionInput; mintVisa: VisaMinter; now?: Date }) {
  const request = await requireCommitteeSeat(opts.user, opts.number);
  if (!["SUBMITTED", "IN_REVIEW"].includes(request.state)) throw new AppError("CONFLICT", "This request is not waiting for a decision.");
  const submitted = requestForm.parse(request.submitted);
  const input = opts.input;
  const allowed = await ruleAllows(request, input.decision);
  if (!allowed.ok) throw new AppError("CONFLICT", allowed.message);
  const now = opts.now ?? new Date();
  const releaseRefs = request.releases.map((r) => refOf(r.release));
  if ((input.decision === "approve" || input.decision === "approve-with-conditions") && isUtcMidnight(input.end)) {
    // A date without a time ("2027-06-01", as the form sends it) means access through that day.
    input.end = new Date(input.end.getTime() + DAY_MS);
  }
  if (input.decision === "approve" || input.decision === "approve-with-conditions") {
    const cap = latestEnd(conditionsOf(request), now);
    if (input.end.getTime() <= now.getTime()) throw new AppError("VALIDATION", "The end of access must be in the future.", { fieldErrors: { end: ["Choose a date in the future."] } });
    if (input.end.getTime() > cap.end.getTime()) {
      const day = cap.end.toISOString().slice(0, 10);
      const message = cap.cappedBy === "TS" ? `A release's time limit (DUO TS) ends access by ${day} at the latest.` : `Access can be granted for at most ${MAX_MONTHS} months (until ${day}).`;
      throw new AppError("VALIDATION", message, { fieldErrors: { end: [message] } });
    }
    const signer = await checkSignature(opts.user, input.signature, { kind: "decide-access", decision: input.decision, requestNumber: request.number, title: submitted.title, orgName: request.org.name });
    const members = request.members.filter((m) => m.userId && m.acceptedAt);
    const grants: writes.NewGrant[] = [];
    for (const member of members) {
      for (const { release } of request.releases) {
        const id = `g_${randomBytes(12).toString("hex")}`;
        const visa = await opts.mintVisa({ id, userId: member.userId as string, datasetNumber: release.dataset.number, release: release.number, orgSlug: request.org.slug, decidedAt: now, end: input.end });
        grants.push({ id, userId: member.userId as string, releaseId: release.id, releaseRef: refOf(release), visa, visaDigest: visaDigest(visa) });
      }
    }
    await writes.approveRequest({
      request: asRef(request),
      signer,
      decidedAt: now,
      end: input.end,
      conditions: input.decision === "approve-with-conditions" ? input.conditions : null,
      planDigest: planDigestOf(request, submitted),
      grants,
      register: {
        releases: releaseRefs,
        researcher: { id: request.researcher.id, name: request.researcher.name },
        institution: { name: submitted.institution.name, notForProfit: submitted.institution.notForProfit },
        title: submitted.title,
        laySummary: submitted.laySummary,
        purpose: submitted.purpose,
      },
    });
    await mailTeam(request, {
      subject: `Access request ${request.number} approved`,
      body: `${request.org.name}'s data-access committee approved “${submitted.title}”. Access ends on ${input.end.toISOString().slice(0, 10)}.${
        input.decision === "approve-with-conditions" ? `\n\nConditions: ${input.conditions}` : ""
      }`,
    });
    return { state: "APPROVED" as const, grants: grants.length };
  }
  const signer = await checkSignature(opts.user, input.signature, { kind: "decide-access", decision: input.decision, requestNumber: request.number, title: submitted.title, orgName: request.org.name });
  await writes.closeWithoutAccess({ request: asRef(request), signer, decision: input.decision, reason: input.reason, releaseRefs, decidedAt: now });
  await mailTeam(request, {
    subject: `Access request ${request.number} ${input.decision === "return" ? "returned for revision" : "denied"}`,
    body: `${request.org.name}'s data-access committee ${input.decision === "return" ? "returned “" + submitted.title + "” for revision" : "denied “" + submitted.title + "”"}.\n\nReason: ${input.reason}`,
  });
  return { state: input.decision === "return" ? ("RETURNED" as const) : ("DENIED" as const) };
}

/** Revokes one grant at once, with a reason, and tells its holder. */
export async function revokeGrant(opts: { user: SessionUser; grantId: string; reason: string }) {
  const grant = await getGrant(opts.grantId);
  if (!grant || !(await hasCommitteeSeat(grant.request.orgId, opts.user.id))) throw new AppError("NOT_FOUND", "No grant has that id.");
  await requireCommitteeSeat(opts.user, grant.request.number);
  const release = releaseRefOf(grant.release.dataset.number, grant.release.number);
  await writes.revokeGrant({ request: grant.request, grantId: grant.id, userId: grant.userId, releaseRef: release, actorId: opts.user.id, reason: opts.reason });
  const link = `${env().authUrl}/requests/${grant.request.number}`;
  await sendMail({ to: grant.user.email, subject: `Access to ${release} revoked`, body: `Your access to ${release} under request ${grant.request.number} was revoked.\n\nReason: ${opts.reason}\n\n${link}`, link });
  return { revoked: grant.id };
}

export async function requestRenewal(opts: { user: SessionUser; number: string; months: number }) {
  const request = await requireApplicant(opts.user, opts.number);
  await writes.requestRenewal({ request: asRef(request), actorId: opts.user.id, months: opts.months });
  const link = `${env().authUrl}/committee/requests/${request.number}`;
  for (const { user } of await committeeContacts(request.orgId)) {
    await sendMail({ to: user.email, subject: `Renewal requested for ${request.number}`, body: `${opts.user.name} asks to renew access for ${opts.months} months.\n\n${link}`, link });
  }
  return { requested: opts.months };
}

export async function submitCloseout(opts: { user: SessionUser; number: string; report: unknown }) {
  const request = await requireApplicant(opts.user, opts.number);
  const report = closeoutReport.parse(opts.report);
  await writes.closeOut({ request: asRef(request), actorId: opts.user.id, report: { ...report }, publications: report.publications.length, text: JSON.stringify(report) });
  return { state: "CLOSED" as const };
}

export async function setCommitteeRule(opts: { user: SessionUser; orgSlug: string; rule: "ONE_DECIDER" | "MAJORITY"; targetDays: number }) {
  const org = await getOrgBySlug(opts.orgSlug);
  if (!org) throw new AppError("NOT_FOUND", "No organisation has that address.");
  await assertOrgAdmin(org.id, opts.user.id);
  await writes.setCommitteeRule({ orgId: org.id, rule: opts.rule, targetDays: opts.targetDays });
  return { rule: opts.rule, targetDays: opts.targetDays };
}

// ─── documents ──────────────────────────────────────────────────────────────────────────────

/**
 * Stores a document of the request (SAP, IRB approval, collaboration letter), streamed into the
 * blob store while hashed, replacing the earlier one of its kind. A file left in the store by a
 * refused write is removed by the store's clean-up (nothing refers to it).
 */
export async function uploadDocument(opts: { user: SessionUser; number: string; kind: DocumentKind; name: string; body: BlobInput | null; declaredBytes?: number }) {
  const request = await requireApplicant(opts.user, opts.number);
  if (!["DRAFT", "RETURNED"].includes(request.state)) throw new AppError("CONFLICT", "Only a draft or a returned request takes documents.");
  if (opts.declaredBytes !== undefined && opts.declaredBytes > MAX_DOCUMENT_BYTES) throw new AppError("PAYLOAD_TOO_LARGE", "A document may be at most 50 MB.");
  if (!opts.body) throw new AppError("BAD_REQUEST", "The request has no file in its body.");
  const stored = await blobStore().put(opts.body, { maxBytes: MAX_DOCUMENT_BYTES });
  await writes.putDocument({ requestId: request.id, kind: opts.kind, name: opts.name, digest: stored.digest, size: stored.size, actorId: opts.user.id });
  return { kind: opts.kind, name: opts.name, digest: stored.digest, size: stored.size };
}

export async function removeDocument(opts: { user: SessionUser; number: string; kind: DocumentKind }) {
  const request = await requireApplicant(opts.user, opts.number);
  await writes.removeDocument({ requestId: request.id, kind: opts.kind, actorId: opts.user.id });
  return { removed: opts.kind };
}

/** A document, for the request's team and, once submitted, the deciding committee. */
export async function openDocument(opts: { user: SessionUser; number: string; kind: DocumentKind }) {
  const request = await getRequest(opts.number);
  if (!request) throw new AppError("NOT_FOUND", NOT_FOUND);
  const onTeam = request.researcherId === opts.user.id || request.members.some((m) => m.userId === opts.user.id);
  // The committee reads what was submitted: not the documents of a returned request being revised.
  const committeeMayRead = request.submittedAt !== null && !["DRAFT", "RETURNED"].includes(request.state) && (await hasCommitteeSeat(request.orgId, opts.user.id));
  if (!onTeam && !committeeMayRead) throw new AppError("NOT_FOUND", NOT_FOUND);
  const document = request.documents.find((d) => d.kind === opts.kind);
  if (!document) throw new AppError("NOT_FOUND", "The request has no such document.");
  return { ...document, size: Number(document.size), stream: await blobStore().open(document.digest) };
}
