import { z } from "zod";
import { SHA256_DIGEST } from "@/lib/schema/values";

/**
 * Every kind of transparency-log entry, and for each which details are public (written in clear in
 * the entry, which anyone can download) and which are private (only a salted SHA-256 commitment to
 * them is in the entry; the details and salt stay in the database). This file is the one place that
 * says so: `appendLogEntry` refuses details a kind does not declare, so a field added to an event
 * cannot leak into the public log by accident.
 *
 * Rules used throughout:
 * - Account ids are random and say nothing about the person; they are public, so an auditor can
 *   attribute acts (21 CFR Part 11 §11.10(e)). E-mail addresses, client addresses and the names of
 *   people who are not publicly listed are private.
 * - Participants have no accounts; their events name the trial and a digest of the decision, never
 *   the pseudonym (nullifier) itself, so reading the log alone does not link a participant's
 *   decisions by time (the chain has them, for those who look there).
 * - A failed sign-in publishes nothing about the address or account tried: otherwise the public
 *   log would tell an attacker which addresses have accounts.
 *
 * Later domains add their kinds here, through the same `appendLogEntry`.
 */

const id = z.string().min(1).max(200);
const email = z.string().max(320);
const name = z.string().max(500);
/** As the portal stores and prints every digest (lib/schema/values.ts): 0x and 64 lower-case hex digits. */
const digest = z.string().regex(SHA256_DIGEST);
const txHash = z.string().regex(/^0x[0-9a-f]{64}$/);
const clientAddress = z.string().max(100);
const role = z.string().max(40);
/** A dataset release, `<dataset number>/<release>`: TLR-2026-00001.D1/2. */
const releaseRef = z.string().regex(/^TLR-\d{4}-\d{5,}\.D[1-9]\d*\/[1-9]\d*$/);
/** The data use agreement's version and the SHA-256 of its text (lib/access/agreement.ts). */
const agreementRef = z.object({ version: z.number().int().min(1), digest }).strict();
const accessVote = z.enum(["approve", "approve-with-conditions", "return", "deny"]);

/** A signed act (21 CFR Part 11 §11.50): the meaning shown to the signer, who re-entered their password. */
export const signature = z
  .object({
    meaning: z.string().min(1).max(1000),
    method: z.literal("password-reauthentication"),
  })
  .strict();

type KindSpec = { public: z.ZodObject<z.ZodRawShape>; private?: z.ZodObject<z.ZodRawShape>; label: string };

function kind<P extends z.ZodRawShape, Q extends z.ZodRawShape | undefined = undefined>(
  label: string,
  publicShape: P,
  privateShape?: Q,
) {
  return {
    label,
    public: z.object(publicShape).strict(),
    private: privateShape ? z.object(privateShape).strict() : undefined,
  } as { label: string; public: z.ZodObject<P>; private: Q extends z.ZodRawShape ? z.ZodObject<Q> : undefined };
}

export const LOG_KINDS = {
  // ─── accounts and sessions ──────────────────────────────────────────────────────────────────
  "account.created": kind("Account created", { accountType: z.string().max(40) }, { email, name: name.optional() }),
  "account.verified": kind("E-mail address confirmed", {}, { email }),
  "auth.signed-in": kind("Signed in", { method: z.enum(["password", "email-link"]) }, { clientAddress: clientAddress.optional() }),
  "auth.sign-in-failed": kind(
    "Sign-in failed",
    { method: z.enum(["password", "email-link"]) },
    { email, reason: z.string().max(100), userId: id.optional(), clientAddress: clientAddress.optional() },
  ),
  "auth.signed-out": kind("Signed out", {}),
  "account.password-changed": kind("Password changed", {}, { clientAddress: clientAddress.optional() }),
  "sessions.revoked": kind("Sessions ended", { count: z.number().int().min(0), reason: z.enum(["sign-out-everywhere", "password-change", "admin"]) }),

  // ─── organisations ─────────────────────────────────────────────────────────────────────────
  "org.created": kind("Organisation created", { name: name, kind: z.string().max(40).optional() }),
  "org.member-invited": kind("Member invited", { role, committee: z.boolean() }, { email }),
  "org.member-joined": kind("Member joined", { userId: id, role, committee: z.boolean() }, { email, name: name.optional() }),
  "org.member-removed": kind("Member removed", { userId: id }),
  "org.role-changed": kind("Role changed", { userId: id, from: role, to: role }),
  "org.committee-seat-changed": kind("Committee seat changed", { userId: id, seated: z.boolean() }),

  // ─── files and the registry ────────────────────────────────────────────────────────────────
  // The digest is private: an upload stays the organisation's own until a registration attaches it
  // (lib/storage/uploads.ts), and a digest in clear would let anyone confirm a guess of its bytes.
  // Once a registration attaches it, the file is public with the trial and its digest anchored.
  "upload.stored": kind("File stored", { size: z.number().int().min(0) }, { digest }),
  "trial.registered": kind("Trial registered", { version: z.literal(1), digest, signature }, { signerName: name.optional(), signerEmail: email }),
  "trial.amended": kind(
    "Trial amended",
    { version: z.number().int().min(2), digest, previousDigest: digest, signature },
    { signerName: name.optional(), signerEmail: email },
  ),

  // ─── datasets ──────────────────────────────────────────────────────────────────────────────
  // A dataset's number, trial and title are public from creation (the sponsor's intent to share);
  // drafts are not logged: nothing of them is public until a release is published.
  "dataset.created": kind("Dataset created", { trial: z.string().max(40), title: z.string().max(300) }),
  // manifestDigest is anchored; the manifest itself is public at /api/datasets/<number>/releases/<n>/manifest.
  "dataset.release-published": kind(
    "Dataset release published",
    { release: z.number().int().min(1), manifestDigest: digest, previousDigest: digest.nullable(), files: z.number().int().min(0), signature },
    { signerName: name.optional(), signerEmail: email },
  ),

  // ─── access requests, decisions and grants (lib/access) ──────────────────────────────────────
  // Subject {type: "access-request", id: <request number, DAR-YYYY-NNNNN>} for every kind here.
  // Every event of a request is an entry (REMS's append-only events). What is public follows the
  // public register (/access): an approved request is published whole (researcher, institution,
  // title, lay summary, releases, purpose, dates), as CSDR and the EGA do; of a request that is not
  // approved only that it exists, for which releases, and how it ended are public, so denied
  // requests are counted per dataset without naming who asked for what. Messages, notes and
  // rationales stay private (committed to by the entry's salted hash).
  "access.request-submitted": kind(
    "Access request submitted",
    { releases: z.array(releaseRef).min(1).max(50), revision: z.number().int().min(1), agreement: agreementRef },
    { title: z.string().max(300), researcherEmail: email },
  ),
  "access.member-invited": kind("Team member invited", {}, { email }),
  "access.agreement-accepted": kind("Data use agreement accepted", { agreement: agreementRef }),
  "access.message-posted": kind("Message posted", { from: z.enum(["researcher", "committee"]) }, { textDigest: digest }),
  "access.note-added": kind("Committee note added", {}, { textDigest: digest }),
  // The vote itself is private until the decision: a public vote would show the researcher (and
  // everyone) how each member leans while the request is still under review.
  "access.vote-cast": kind("Committee vote cast", {}, { vote: accessVote, rationale: z.string().max(5000) }),
  "access.review-started": kind("Committee review started", {}),
  "access.approved": kind(
    "Access request approved",
    {
      releases: z.array(releaseRef).min(1).max(50),
      researcher: z.object({ id, name }).strict(),
      institution: z.object({ name, notForProfit: z.boolean() }).strict(),
      title: z.string().max(300),
      laySummary: z.string().max(5000),
      /** The research purpose as matched (lib/duo/purpose.ts). */
      purpose: z.record(z.string(), z.unknown()),
      withConditions: z.string().max(5000).nullable(),
      start: z.iso.datetime(),
      end: z.iso.datetime(),
      /** SHA-256 of the approved analysis plan (its text and SAP file, lib/access/plan.ts), anchored. */
      analysisPlanDigest: digest,
      decidedVia: z.enum(["manual", "auto"]),
      signature,
    },
    { signerName: name.optional(), signerEmail: email },
  ),
  "access.returned": kind("Access request returned for revision", { signature }, { reason: z.string().max(5000), signerEmail: email }),
  "access.denied": kind(
    "Access request denied",
    { releases: z.array(releaseRef).min(1).max(50), signature },
    { reason: z.string().max(5000), signerEmail: email },
  ),
  "access.withdrawn": kind("Access request withdrawn by the researcher", {}),
  // A grant is one team member's access to one release (REMS's entitlement); `visaDigest` is the
  // SHA-256 of the GA4GH visa issued for it (its jti is the grant id).
  "access.grant-issued": kind("Access granted", { grant: id, userId: id, release: releaseRef, start: z.iso.datetime(), end: z.iso.datetime(), visaDigest: digest }),
  "access.grant-revoked": kind("Access revoked", { grant: id, userId: id, release: releaseRef }, { reason: z.string().max(5000) }),
  "access.grant-expired": kind("Access expired", { grant: id, userId: id, release: releaseRef }),
  "access.renewal-requested": kind("Renewal requested", { months: z.number().int().min(1).max(120) }),
  "access.closeout-submitted": kind(
    "Close-out report submitted",
    { publications: z.number().int().min(0), dataDestroyed: z.boolean() },
    { report: z.string().max(20_000) },
  ),

  // ─── exports ───────────────────────────────────────────────────────────────────────────────
  // An export of a release under an approved request (lib/exports): public, so a participant's
  // trial page lists where its data went — the request, institution, purpose, consent block and
  // the manifest's digest (counts only, never which rows).
  "export.created": kind("Data export made", {
    export: id,
    trial: id,
    release: releaseRef,
    request: id,
    institution: name,
    purpose: z.string().max(2000),
    manifestDigest: digest,
    chainId: z.number().int(),
    blockNumber: z.number().int().min(0),
    rowsKept: z.number().int().min(0),
    rowsExcluded: z.number().int().min(0),
  }),
  "export.downloaded": kind("Export file downloaded", { export: id, file: name, bytes: z.number().int().min(0), encrypted: z.boolean() }),

  // ─── consent ───────────────────────────────────────────────────────────────────────────────
  "consent.text-published": kind("Consent text version published", { version: z.number().int().min(1), digest }),
  "consent.codes-issued": kind("Enrolment codes issued", { count: z.number().int().min(1) }),
  // decisionDigest: lib/consent/decision-digest.ts, the same for the accepted and the recorded entry.
  "consent.decision-accepted": kind("Consent decision accepted", { decisionDigest: digest }),
  "consent.decision-recorded": kind("Consent decision recorded on chain", {
    decisionDigest: digest,
    chainId: z.number().int(),
    txHash,
    blockNumber: z.number().int().min(0),
  }),
  "consent.handover-verified": kind("Pseudonym handover verified", {}),

  // ─── disease ontology ──────────────────────────────────────────────────────────────────────
  // Which Mondo release codes conditions from now on: "the portal said DS(X) covers Y" depends on it.
  "ontology.imported": kind("Disease ontology imported", {
    ontology: z.literal("mondo"),
    version: z.string().min(1).max(200),
    terms: z.number().int().min(0),
    source: z.string().min(1).max(200),
  }),

  // ─── anchoring ─────────────────────────────────────────────────────────────────────────────
  "anchoring.batch-confirmed": kind("Anchoring batch confirmed", {
    root: digest,
    size: z.number().int().min(1),
    chainId: z.number().int(),
    contract: z.string().regex(/^0x[0-9a-f]{40}$/),
    txHash,
    blockNumber: z.number().int().min(0),
  }),
} satisfies Record<string, KindSpec>;

export type LogKind = keyof typeof LOG_KINDS;
export type PublicDetails<K extends LogKind> = z.input<(typeof LOG_KINDS)[K]["public"]>;
export type PrivateDetails<K extends LogKind> = (typeof LOG_KINDS)[K]["private"] extends z.ZodType
  ? z.input<NonNullable<(typeof LOG_KINDS)[K]["private"]>>
  : never;

export function isLogKind(value: string): value is LogKind {
  return Object.hasOwn(LOG_KINDS, value);
}
