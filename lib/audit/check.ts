import { type EntryDocument, commitmentOf, parseEntry } from "@/lib/log/entry";

/**
 * What the audit trail can say about one stored entry against its own database rows:
 *
 * - `opens`: the kind has private details and the stored details and salt open the entry's
 *   commitment — what the administrator reads is what the public log committed to.
 * - `public-only`: the kind has no private details, and none are stored.
 * - `erased`: the entry commits to private details that are no longer stored (deleted on purpose,
 *   e.g. for a GDPR erasure request): the public entry stays valid, the details are gone.
 * - `mismatch`: the stored details or salt do not open the commitment, private details are stored
 *   for an entry without a commitment, the body is not an entry, or the columns the trail filters
 *   by (kind, actor, subject) disagree with the body — someone edited the database. The body is
 *   what the tree commits to, so it is the one to believe; the reason says what disagreed.
 */
export type CommitmentCheck =
  | { status: "opens" }
  | { status: "public-only" }
  | { status: "erased" }
  | { status: "mismatch"; reason: string };

export type StoredEntry = {
  kind: string;
  body: Uint8Array;
  actorType: string;
  actorId: string | null;
  subjectType: string;
  subjectId: string | null;
  private: { details: unknown; salt: Uint8Array } | null;
};

/** The entry's document, or null when the body is not a JSON entry at all. */
export function documentOf(body: Uint8Array): EntryDocument | null {
  try {
    const document = parseEntry(body);
    return typeof document === "object" && document !== null && typeof document.kind === "string" ? document : null;
  } catch {
    return null;
  }
}

function columnMismatch(row: StoredEntry, document: EntryDocument): string | null {
  if (document.kind !== row.kind) return `the kind column says ${row.kind}, the entry ${document.kind}`;
  if (document.actor?.type !== row.actorType) return `the actor column says ${row.actorType}, the entry ${String(document.actor?.type)}`;
  const actorId = "id" in document.actor ? document.actor.id : null;
  if (actorId !== row.actorId) return "the actor id column disagrees with the entry";
  if (document.subject?.type !== row.subjectType || (document.subject.id ?? null) !== row.subjectId) return "the subject columns disagree with the entry";
  return null;
}

/** Checks a stored entry against its private details and its filter columns (see CommitmentCheck). */
export function checkCommitment(row: StoredEntry): CommitmentCheck {
  const document = documentOf(row.body);
  if (!document) return { status: "mismatch", reason: "the stored body is not a log entry" };
  const columns = columnMismatch(row, document);
  if (columns) return { status: "mismatch", reason: columns };
  if (document.commitment === undefined) {
    return row.private ? { status: "mismatch", reason: "private details are stored for an entry that commits to none" } : { status: "public-only" };
  }
  if (!row.private) return { status: "erased" };
  return commitmentOf(row.private.details, row.private.salt) === document.commitment
    ? { status: "opens" }
    : { status: "mismatch", reason: "the stored private details do not open the entry's commitment" };
}

export const CHECK_LABELS: Record<CommitmentCheck["status"], string> = {
  opens: "Private details match the entry's commitment",
  "public-only": "No private details",
  erased: "Private details erased",
  mismatch: "Does not match the entry",
};
