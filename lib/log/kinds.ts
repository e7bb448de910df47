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
