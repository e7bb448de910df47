// Reads of the transparency log for tests that check what an event wrote. Raw SQL through the
// migration target, like scripts/test/database.ts: the log's own readers belong to other parts
// (lib/log/data.ts, lib/audit/data.ts), and a test must see the rows exactly as stored.
import { expect } from "vitest";
import { migrationTarget } from "@/lib/db";
import { type EntryDocument, commitmentOf, parseEntry } from "@/lib/log/entry";
import { LOG_KINDS, type LogKind } from "@/lib/log/kinds";

async function query(sql: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const target = migrationTarget();
  return target.kind === "pglite"
    ? (await target.pglite.query<Record<string, unknown>>(sql, values)).rows
    : (await target.pool.query<Record<string, unknown>>(sql, values)).rows;
}

export type StoredEntry = {
  id: bigint;
  kind: string;
  body: Uint8Array;
  document: EntryDocument;
  orgId: string | null;
  privateDetails: Record<string, unknown> | null;
  salt: Uint8Array | null;
};

/** The id of the latest entry written so far (0 when none): entries after it are the ones a step wrote. */
export async function logMark(): Promise<bigint> {
  const [row] = await query(`SELECT coalesce(max("id"), 0)::text AS id FROM "LogEntry"`);
  return BigInt(typeof row?.id === "string" ? row.id : "0");
}

/** Every entry written after `mark`, in the order written. */
export async function entriesSince(mark: bigint): Promise<StoredEntry[]> {
  const rows = await query(
    `SELECT e."id"::text AS id, e."kind", e."body", e."orgId", p."details", p."salt"
       FROM "LogEntry" e LEFT JOIN "LogPrivate" p ON p."entryId" = e."id"
      WHERE e."id" > $1::bigint ORDER BY e."id"`,
    [mark.toString()],
  );
  return rows.map((row) => {
    const body = new Uint8Array(row.body as Uint8Array);
    const details = typeof row.details === "string" ? (JSON.parse(row.details) as Record<string, unknown>) : ((row.details as Record<string, unknown> | null) ?? null);
    return {
      id: BigInt(String(row.id)),
      kind: String(row.kind),
      body,
      document: parseEntry(body),
      orgId: (row.orgId as string | null) ?? null,
      privateDetails: details,
      salt: row.salt ? new Uint8Array(row.salt as Uint8Array) : null,
    };
  });
}

/**
 * The one entry `step` wrote, checked as every event's entry must be: exactly one entry (of
 * `kind`, and no other), its public details exactly the kind's declared ones, its private details
 * opening its commitment, and none of `secrets` (e-mail addresses, names, client addresses) in
 * clear anywhere in its bytes.
 */
export async function onlyEntryOf<K extends LogKind>(kind: K, step: () => Promise<unknown>, secrets: string[] = []): Promise<StoredEntry> {
  const mark = await logMark();
  await step();
  const written = await entriesSince(mark);
  expect(written.map((e) => e.kind)).toEqual([kind]);
  const entry = written[0] as StoredEntry;
  checkEntry(entry, secrets);
  return entry;
}

/** The checks of `onlyEntryOf` on one stored entry. */
export function checkEntry(entry: StoredEntry, secrets: string[] = []): void {
  const spec = LOG_KINDS[entry.kind as LogKind];
  expect(spec, `kind ${entry.kind} is declared`).toBeDefined();
  expect(entry.document.kind).toBe(entry.kind);
  // Strict schemas: a field the kind does not declare public would fail here.
  expect(spec.public.safeParse(entry.document.details).success, JSON.stringify(entry.document.details)).toBe(true);
  if (spec.private) {
    expect(entry.privateDetails).not.toBeNull();
    expect(entry.document.commitment).toBe(commitmentOf(entry.privateDetails, entry.salt as Uint8Array));
  } else {
    expect(entry.document.commitment).toBeUndefined();
    expect(entry.privateDetails).toBeNull();
  }
  const text = new TextDecoder().decode(entry.body).toLowerCase();
  for (const secret of secrets) expect(text.includes(secret.toLowerCase()), `"${secret}" appears in clear in ${text}`).toBe(false);
}

/** Asserts that `step` fails (with an error matching `refusal`, when given) and wrote no entry at all. */
export async function noEntryFrom(step: () => Promise<unknown>, refusal?: Record<string, unknown>): Promise<void> {
  const mark = await logMark();
  if (refusal) await expect(step()).rejects.toMatchObject(refusal);
  else await expect(step()).rejects.toBeDefined();
  expect((await entriesSince(mark)).map((e) => e.kind)).toEqual([]);
}
