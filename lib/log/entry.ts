import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { canonicalize } from "@/lib/canonical-json";
import { LOG_KINDS, type LogKind, type PrivateDetails, type PublicDetails } from "@/lib/log/kinds";

/**
 * A transparency-log entry: the RFC 8785 canonical JSON document
 *
 *   {"actor":{…},"commitment":"<hex>","details":{…},"kind":"…","subject":{…},"time":"…"}
 *
 * `commitment` is present when the kind has private details: hex SHA-256 of the 32-byte salt
 * followed by the canonical JSON of the private details. Anyone holding the details and the salt
 * (the database, an auditor shown them) can check them against the public entry; nobody else can
 * guess them, even for a short value like an e-mail address, because of the salt.
 */

/** 65,535 bytes: an entry bundle prefixes each entry with a big-endian uint16 length (C2SP tlog-tiles). */
export const MAX_ENTRY_BYTES = 65_535;

export const actorSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("user"), id: z.string().min(1).max(200) }).strict(),
  /** A portal process acting on its own (a pump, the sequencer): `id` names which. */
  z.object({ type: z.literal("system"), id: z.string().min(1).max(100) }).strict(),
  /** An anonymous participant (a zero-knowledge proof): no identity at all. */
  z.object({ type: z.literal("participant") }).strict(),
  /** Someone not signed in (a failed sign-in). */
  z.object({ type: z.literal("anonymous") }).strict(),
]);
export type Actor = z.infer<typeof actorSchema>;

export const subjectSchema = z
  .object({ type: z.string().min(1).max(40), id: z.string().min(1).max(200).optional() })
  .strict();
export type Subject = z.infer<typeof subjectSchema>;

export type LogEvent<K extends LogKind = LogKind> = {
  kind: K;
  actor: Actor;
  subject: Subject;
  details: PublicDetails<K>;
  /** Required exactly when the kind declares private details. */
  private?: PrivateDetails<K>;
  /** The organisation whose admins may read the entry with its private details. */
  orgId?: string | null;
};

export class LogEntryError extends Error {
  override name = "LogEntryError";
}

export type BuiltEntry = {
  body: Uint8Array;
  document: EntryDocument;
  /** The private details as validated, and their salt; null when the kind has none. */
  private: { details: Record<string, unknown>; salt: Uint8Array } | null;
};

export type EntryDocument = {
  kind: string;
  time: string;
  actor: Actor;
  subject: Subject;
  details: Record<string, unknown>;
  commitment?: string;
};

/** hex SHA-256(salt ‖ canonical JSON of details). */
export function commitmentOf(details: unknown, salt: Uint8Array): string {
  return createHash("sha256").update(salt).update(canonicalize(details), "utf8").digest("hex");
}

/**
 * Validates `event` against its kind's declaration and builds the entry's bytes.
 * @throws LogEntryError on an undeclared field, missing private details, or an entry over 64 KiB —
 *   all programming errors: the change that tried to log it must not commit without its entry.
 */
export function buildEntry(event: LogEvent, time: Date, salt: Uint8Array = randomBytes(32)): BuiltEntry {
  const spec = LOG_KINDS[event.kind];
  if (!spec) throw new LogEntryError(`unknown log kind ${String(event.kind)}`);
  const fail = (what: string, error: z.ZodError) =>
    new LogEntryError(`${event.kind}: ${what}: ${error.issues.map((i) => `${i.path.join(".") || "(root)"} ${i.message}`).join("; ")}`);

  const actor = actorSchema.safeParse(event.actor);
  if (!actor.success) throw fail("actor", actor.error);
  const subject = subjectSchema.safeParse(event.subject);
  if (!subject.success) throw fail("subject", subject.error);
  const details = spec.public.safeParse(event.details);
  if (!details.success) throw fail("public details", details.error);

  let privatePart: BuiltEntry["private"] = null;
  const document: EntryDocument = {
    kind: event.kind,
    time: time.toISOString(),
    actor: actor.data,
    subject: subject.data,
    details: details.data,
  };
  if (spec.private) {
    const parsed = spec.private.safeParse(event.private);
    if (!parsed.success) throw fail("private details", parsed.error);
    privatePart = { details: parsed.data, salt };
    document.commitment = commitmentOf(parsed.data, salt);
  } else if (event.private !== undefined) {
    throw new LogEntryError(`${event.kind}: this kind declares no private details`);
  }
  const body = new TextEncoder().encode(canonicalize(document));
  if (body.length > MAX_ENTRY_BYTES) throw new LogEntryError(`${event.kind}: entry is ${body.length} bytes, over ${MAX_ENTRY_BYTES}`);
  return { body, document, private: privatePart };
}

/** Parses an entry's bytes back into its document (for verifiers and the audit trail). */
export function parseEntry(body: Uint8Array): EntryDocument {
  return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body)) as EntryDocument;
}
