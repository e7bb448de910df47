import "server-only";
import type { Tx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client.ts";
import { type LogEvent, buildEntry } from "@/lib/log/entry";
import type { LogKind } from "@/lib/log/kinds";

/**
 * Writes one transparency-log entry in the caller's transaction, so the change and its record
 * commit together or not at all. The entry has no index yet: the sequencer (lib/log/sequencer.ts)
 * gives it one and integrates it into the tree. Validation failures throw (LogEntryError), which
 * rolls the caller's change back.
 * @returns the entry's row id (not its log index, which the sequencer assigns)
 */
export async function appendLogEntry<K extends LogKind>(tx: Tx, event: LogEvent<K>, now: Date = new Date()): Promise<bigint> {
  const built = buildEntry(event, now);
  const row = await tx.logEntry.create({
    data: {
      kind: event.kind,
      body: new Uint8Array(built.body),
      createdAt: now,
      actorType: event.actor.type,
      actorId: "id" in event.actor ? event.actor.id : null,
      subjectType: event.subject.type,
      subjectId: event.subject.id ?? null,
      orgId: event.orgId ?? null,
      private: built.private
        ? { create: { details: built.private.details as Prisma.InputJsonObject, salt: new Uint8Array(built.private.salt) } }
        : undefined,
    },
    select: { id: true },
  });
  return row.id;
}
