import { z } from "zod";
import { researchPurpose } from "@/lib/duo/purpose";
import { signatureInput } from "@/lib/registry/signature";
import { multiLine, singleLine } from "@/lib/schema/text";
import { DATASET_NUMBER } from "@/lib/schema/values";

/**
 * What a researcher fills in an access request, what the committee answers, and the values both
 * name: the request's number and its releases. Field sizes follow what the committees that publish
 * their forms ask for (CSDR, Vivli, DUOS's DataAccessRequestData, STANDARDS.md §6).
 */

/** DAR-2026-00042: a data access request, numbered per year when its draft is created. */
export const REQUEST_NUMBER = /^DAR-\d{4}-\d{5,}$/;
export const requestNumber = z.string().regex(REQUEST_NUMBER, "That is not an access request number, like DAR-2026-00001.");

/** `<dataset number>/<release>`: TLR-2026-00001.D1/2, one release of one dataset. */
export const RELEASE_REF = new RegExp(`^(${DATASET_NUMBER.source.slice(1, -1)})/([1-9]\\d{0,8})$`);
export const releaseRef = z.string().regex(RELEASE_REF, "That is not a dataset release, like TLR-2026-00001.D1/1.");
export function parseReleaseRef(ref: string): { datasetNumber: string; release: number } {
  const match = RELEASE_REF.exec(ref);
  if (!match?.[1] || !match[2]) throw new Error(`not a release reference: ${ref}`);
  return { datasetNumber: match[1], release: Number(match[2]) };
}
export const releaseRefOf = (datasetNumber: string, release: number) => `${datasetNumber}/${release}`;

/** Requested and granted durations, in months: a year by default (issue 11), at most ten years. */
export const DEFAULT_MONTHS = 12;
export const MAX_MONTHS = 120;
export const months = z.coerce.number().int("Give whole months.").min(1, "Ask for at least one month.").max(MAX_MONTHS, `Ask for at most ${MAX_MONTHS} months.`);

const line = (label: string, max: number) => singleLine().trim().min(1, `Enter the ${label}.`).max(max, `Keep the ${label} under ${max.toLocaleString("en")} characters.`);
const text = (label: string, min: number, max: number) =>
  multiLine()
    .trim()
    .min(min, min > 1 ? `Write the ${label} in at least ${min} characters.` : `Enter the ${label}.`)
    .max(max, `Keep the ${label} under ${max.toLocaleString("en")} characters.`);

/** ISO 3166-1 alpha-2, upper-cased as typed in any case. */
export const countryCode = z
  .string()
  .trim()
  .transform((value) => value.toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{2}$/, "Give the country as its two-letter ISO code, like NL."));

export const institution = z
  .object({
    name: line("institution's name", 200),
    /** DUO NPU: whether the institution is a not-for-profit organisation, as the researcher declares it. */
    notForProfit: z.boolean({ error: "Say whether the institution is a not-for-profit organisation." }),
    country: countryCode.optional(),
  })
  .strict();
export type InstitutionInput = z.infer<typeof institution>;

/**
 * The request's form, whole: what submitting requires. Team, releases and documents are kept
 * apart (their own rows), because each changes by its own act (an invitation, an upload).
 */
export const requestForm = z
  .object({
    // 300: like a trial's public title.
    title: line("title", 300).min(5, "Give the request a title of at least 5 characters."),
    // The lay summary is published on the access register when approved: a paragraph anyone can read.
    laySummary: text("lay summary", 50, 3000),
    abstract: text("scientific abstract", 100, 10_000),
    purpose: researchPurpose,
    analysisPlan: text("analysis plan", 100, 50_000),
    institution,
    conflicts: text("conflicts of interest (write “None” if there are none)", 1, 5000),
    funding: text("funding", 1, 2000),
    publicationPlan: text("publication plan", 10, 5000),
    months,
  })
  .strict();
export type RequestForm = z.infer<typeof requestForm>;

/** A draft saves any part of the form; each part that is there must be valid on its own. */
export const requestDraft = requestForm.partial();
export type RequestDraft = z.infer<typeof requestDraft>;

export const DOCUMENT_KINDS = {
  sap: "Statistical analysis plan",
  irb: "Ethics (IRB) approval",
  collaboration: "Collaboration letter",
} as const;
export type DocumentKind = keyof typeof DOCUMENT_KINDS;
export const documentKind = z.enum(Object.keys(DOCUMENT_KINDS) as [DocumentKind, ...DocumentKind[]]);
/** 50 MB, like a trial's documents (lib/storage/uploads.ts). */
export const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;

export const email = z.email("Enter an e-mail address.").max(254).transform((value) => value.toLowerCase());

/** A message of the conversation between researcher and committee, or a committee's internal note. */
export const messageText = text("message", 1, 10_000);

export const VOTES = {
  approve: "Approve",
  "approve-with-conditions": "Approve with conditions",
  return: "Return for revision",
  deny: "Deny",
} as const;
export type Vote = keyof typeof VOTES;
export const vote = z.enum(Object.keys(VOTES) as [Vote, ...Vote[]]);
export const rationale = text("rationale", 10, 5000);

/**
 * The committee's decision. Approve takes an end date (default 12 months after the decision,
 * never past a TS cap — checked against the releases on the server); approve-with-conditions also
 * its conditions; return and deny a reason, which the researcher is shown (mandatory: a denial
 * without a reason is refused).
 */
export const decisionInput = z.discriminatedUnion(
  "decision",
  [
    z.object({ decision: z.literal("approve"), end: z.coerce.date({ error: "Give the end date of access." }), signature: signatureInput }).strict(),
    z
      .object({
        decision: z.literal("approve-with-conditions"),
        end: z.coerce.date({ error: "Give the end date of access." }),
        conditions: text("conditions", 10, 5000),
        signature: signatureInput,
      })
      .strict(),
    z.object({ decision: z.literal("return"), reason: text("reason for returning the request", 10, 5000), signature: signatureInput }).strict(),
    z.object({ decision: z.literal("deny"), reason: text("reason for the denial", 10, 5000), signature: signatureInput }).strict(),
  ],
  { error: "Choose a decision: approve, approve with conditions, return for revision or deny." },
);
export type DecisionInput = z.infer<typeof decisionInput>;

export const revokeReason = text("reason for revoking access", 10, 5000);

/** The close-out report (DUOS's progressReportSummary, publications, data-management incidents). */
export const closeoutReport = z
  .object({
    publications: z.array(line("publication (a DOI or a citation)", 500)).max(100).default([]),
    summary: text("summary of the work done", 10, 10_000),
    dataDestroyed: z.literal(true, { error: "Confirm that every copy of the data has been destroyed." }),
  })
  .strict();
export type CloseoutReport = z.infer<typeof closeoutReport>;
