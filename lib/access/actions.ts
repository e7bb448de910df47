"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import {
  decisionInput,
  email,
  messageText,
  months,
  rationale,
  releaseRef,
  requestNumber,
  revokeReason,
  vote,
} from "@/lib/access/schema";
import * as access from "@/lib/access/service";
import { mintVisa } from "@/lib/access/visa";
import { action } from "@/lib/handler";
import { recordId, slug } from "@/lib/schema/values";

/**
 * The access-request actions of researchers and committees. Each names the request by number; who
 * may act on it (its team, its applicant, the deciding committee) is checked in
 * lib/access/service.ts, so a request of another researcher or another organisation's committee
 * reads as one that does not exist.
 */

/** A JSON section from a form's hidden input, or an object from a program. 256 KiB: the longest form (a 50,000-character plan) with room. */
const jsonObject = z.union([
  z
    .string()
    .max(256 * 1024, "That form is too large.")
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "That form is not valid JSON." });
        return z.NEVER;
      }
    }),
  z.record(z.string(), z.unknown()),
]);

const researcherPath = (number: string) => `/requests/${number}`;
const committeePath = (number: string) => `/committee/requests/${number}`;

export const createRequestAction = action(
  { name: "access.create", access: ["researcher"], input: z.object({ releases: z.union([releaseRef, z.array(releaseRef).min(1).max(50)]) }) },
  async ({ input, session }) => {
    const releases = Array.isArray(input.releases) ? input.releases : [input.releases];
    const { number } = await access.createRequest({ user: session, releases });
    redirect(researcherPath(number));
  },
);

export const addReleaseAction = action(
  { name: "access.add-release", access: ["researcher"], input: z.object({ number: requestNumber, release: releaseRef }) },
  async ({ input, session }) => {
    const result = await access.changeReleases({ user: session, number: input.number, add: input.release });
    revalidatePath(researcherPath(input.number));
    return result;
  },
);

export const removeReleaseAction = action(
  { name: "access.remove-release", access: ["researcher"], input: z.object({ number: requestNumber, release: releaseRef }) },
  async ({ input, session }) => {
    const result = await access.changeReleases({ user: session, number: input.number, remove: input.release });
    revalidatePath(researcherPath(input.number));
    return result;
  },
);

export const saveRequestAction = action(
  { name: "access.save", access: ["researcher"], input: z.object({ number: requestNumber, form: jsonObject }) },
  async ({ input, session }) => access.saveRequest({ user: session, number: input.number, form: input.form }),
);

export const explainAction = action(
  { name: "access.explain", access: ["researcher"], input: z.object({ number: requestNumber, form: jsonObject.optional() }) },
  async ({ input, session }) => access.explain({ user: session, number: input.number, form: input.form }),
);

export const inviteMemberAction = action(
  { name: "access.invite", access: ["researcher"], input: z.object({ number: requestNumber, email }) },
  async ({ input, session }) => {
    const result = await access.inviteMember({ user: session, number: input.number, email: input.email });
    revalidatePath(researcherPath(input.number));
    return result;
  },
);

export const removeMemberAction = action(
  { name: "access.remove-member", access: ["researcher"], input: z.object({ number: requestNumber, memberId: recordId }) },
  async ({ input, session }) => {
    await access.removeMember({ user: session, number: input.number, memberId: input.memberId });
    revalidatePath(researcherPath(input.number));
    return { removed: input.memberId };
  },
);

export const acceptAgreementAction = action(
  { name: "access.accept-agreement", access: ["researcher"], input: z.object({ number: requestNumber }) },
  async ({ input, session }) => {
    const result = await access.acceptAgreement({ user: session, number: input.number });
    revalidatePath(researcherPath(input.number));
    return result;
  },
);

export const acceptInvitationAction = action(
  // 43: a 32-byte token in base64url.
  { name: "access.accept-invitation", access: ["researcher"], input: z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "That invitation link is not valid.") }) },
  async ({ input, session }) => access.acceptInvitation({ user: session, token: input.token }),
);

export const submitRequestAction = action(
  { name: "access.submit", access: ["researcher"], input: z.object({ number: requestNumber }) },
  async ({ input, session }) => {
    const result = await access.submitRequest({ user: session, number: input.number });
    revalidatePath(researcherPath(input.number));
    return result;
  },
);

export const withdrawRequestAction = action(
  { name: "access.withdraw", access: ["researcher"], input: z.object({ number: requestNumber }) },
  async ({ input, session }) => {
    const result = await access.withdrawRequest({ user: session, number: input.number });
    revalidatePath(researcherPath(input.number));
    return result;
  },
);

export const requestRenewalAction = action(
  { name: "access.renew", access: ["researcher"], input: z.object({ number: requestNumber, months }) },
  async ({ input, session }) => {
    const result = await access.requestRenewal({ user: session, number: input.number, months: input.months });
    revalidatePath(researcherPath(input.number));
    return result;
  },
);

export const submitCloseoutAction = action(
  { name: "access.closeout", access: ["researcher"], input: z.object({ number: requestNumber, report: jsonObject }) },
  async ({ input, session }) => {
    const result = await access.submitCloseout({ user: session, number: input.number, report: input.report });
    revalidatePath(researcherPath(input.number));
    return result;
  },
);

export const postMessageAction = action(
  { name: "access.message", access: ["researcher", "committee"], input: z.object({ number: requestNumber, text: messageText }) },
  async ({ input, session }) => {
    const result = await access.postMessage({ user: session, number: input.number, text: input.text });
    revalidatePath(researcherPath(input.number));
    revalidatePath(committeePath(input.number));
    return result;
  },
);

export const startReviewAction = action(
  { name: "access.start-review", access: ["committee"], input: z.object({ number: requestNumber }) },
  async ({ input, session }) => {
    const result = await access.startReview({ user: session, number: input.number });
    revalidatePath(committeePath(input.number));
    return result;
  },
);

export const addNoteAction = action(
  { name: "access.note", access: ["committee"], input: z.object({ number: requestNumber, text: messageText }) },
  async ({ input, session }) => {
    const result = await access.addNote({ user: session, number: input.number, text: input.text });
    revalidatePath(committeePath(input.number));
    return result;
  },
);

export const castVoteAction = action(
  { name: "access.vote", access: ["committee"], input: z.object({ number: requestNumber, vote, rationale }) },
  async ({ input, session }) => {
    const result = await access.castVote({ user: session, number: input.number, vote: input.vote, rationale: input.rationale });
    revalidatePath(committeePath(input.number));
    return result;
  },
);

export const decideAction = action(
  { name: "access.decide", access: ["committee"], input: z.intersection(z.object({ number: requestNumber }), decisionInput) },
  async ({ input, session }) => {
    const { number, ...decision } = input;
    const result = await access.decide({ user: session, number, input: decision, mintVisa });
    revalidatePath(committeePath(number));
    revalidatePath(researcherPath(number));
    revalidatePath("/access");
    return result;
  },
);

export const revokeGrantAction = action(
  { name: "access.revoke", access: ["committee"], input: z.object({ grantId: z.string().regex(/^g_[0-9a-f]{24}$/, "That is not a grant id."), reason: revokeReason }) },
  async ({ input, session }) => access.revokeGrant({ user: session, grantId: input.grantId, reason: input.reason }),
);

export const setCommitteeRuleAction = action(
  {
    name: "access.committee-rule",
    access: ["sponsor"],
    input: z.object({
      orgSlug: slug,
      rule: z.enum(["ONE_DECIDER", "MAJORITY"], { error: "Choose how the committee decides: one member, or a majority." }),
      // 1–365: EGA's best practice is 14 days; a target past a year is no target.
      targetDays: z.coerce.number().int().min(1, "Give a target of at least one day.").max(365, "Give a target of at most 365 days."),
    }),
  },
  async ({ input, session }) => access.setCommitteeRule({ user: session, orgSlug: input.orgSlug, rule: input.rule, targetDays: input.targetDays }),
);
