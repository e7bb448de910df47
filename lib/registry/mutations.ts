import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client.ts";
import type { SubjectKind } from "@/lib/anchoring/receipt";
import { queueForAnchoring } from "@/lib/anchoring/service";
import { prisma } from "@/lib/db";
import { appendLogEntry } from "@/lib/log/mutations";
import { indexTrial } from "@/lib/search/mutations";
import { SIGNATURE_METHOD } from "@/lib/registry/signature";
import { markUploadsAttached } from "@/lib/storage/mutations";

type NewVersion = {
  record: Prisma.InputJsonValue;
  canonical: string;
  digest: string;
  outcomeFlags: Prisma.InputJsonValue;
  createdById: string;
};

/** Who signed a registration or amendment (password re-entered), and the meaning they affirmed. */
export type Signer = { userId: string; name: string; email: string; meaning: string };

const signatureOf = (signer: Signer) => ({ meaning: signer.meaning, method: SIGNATURE_METHOD });
const signerPrivate = (signer: Signer) => ({ signerName: signer.name, signerEmail: signer.email });

export type NewFile = { kind: string; anchorKind: SubjectKind; name: string; digest: string; size: number };

/**
 * Registers a trial in one transaction: the year's next registration number, the trial, its first
 * version, the outbox item that anchors the record's digest and the signed `trial.registered`
 * log entry. Nothing is half-written.
 * @param numberFor formats the registration number from the year and its sequence
 */
export async function createTrial(opts: {
  orgId: string;
  year: number;
  numberFor: (year: number, sequence: number) => { registrationNumber: string; chainTrialId: string };
  first: NewVersion;
  /** The organisation's uploads, attached with version 1 and anchored too (their uploads marked attached). */
  files?: NewFile[];
  signer: Signer;
}) {
  return prisma().$transaction(async (tx) => {
    // One row per year, incremented atomically: concurrent registrations get distinct numbers.
    const counter = await tx.registrationCounter.upsert({
      where: { year: opts.year },
      create: { year: opts.year, last: 1 },
      update: { last: { increment: 1 } },
    });
    const ids = opts.numberFor(opts.year, counter.last);
    const [item] = await queueForAnchoring(tx, [
      { digest: opts.first.digest, kind: "trial-record", subjectId: ids.registrationNumber, subjectName: "version 1" },
    ]);
    const trial = await tx.trial.create({
      data: {
        ...ids,
        orgId: opts.orgId,
        createdById: opts.first.createdById,
        versions: { create: { ...opts.first, version: 1, anchorItemId: item?.id ?? null } },
      },
      select: { id: true, registrationNumber: true, chainTrialId: true },
    });
    for (const file of opts.files ?? []) {
      const [fileItem] = await queueForAnchoring(tx, [
        { digest: file.digest, kind: file.anchorKind, subjectId: ids.registrationNumber, subjectName: file.name },
      ]);
      await tx.trialFile.create({
        data: { trialId: trial.id, version: 1, kind: file.kind, name: file.name, digest: file.digest, size: file.size, anchorItemId: fileItem?.id ?? null },
      });
    }
    // In the same transaction: an upload the clean-up removed meanwhile rolls the registration back.
    await markUploadsAttached(tx, opts.orgId, (opts.files ?? []).map((f) => f.digest), new Date());
    await appendLogEntry(tx, {
      kind: "trial.registered",
      actor: { type: "user", id: opts.signer.userId },
      subject: { type: "trial", id: trial.registrationNumber },
      details: { version: 1, digest: opts.first.digest, signature: signatureOf(opts.signer) },
      private: signerPrivate(opts.signer),
      orgId: opts.orgId,
    });
    // What search finds of the trial commits with it (lib/search).
    await indexTrial(tx, trial.id);
    return trial;
  });
}

/**
 * Adds version `version` (the current one + 1) chained to `previousDigest`, with its anchoring
 * item and the signed `trial.amended` log entry, in one transaction. The unique (trial, version) key makes a concurrent amendment of the
 * same version fail with P2002 rather than fork the history.
 */
export async function createVersion(opts: {
  trialId: string;
  registrationNumber: string;
  version: number;
  previousDigest: string;
  next: NewVersion;
  orgId: string;
  signer: Signer;
}) {
  return prisma().$transaction(async (tx) => {
    const [item] = await queueForAnchoring(tx, [
      { digest: opts.next.digest, kind: "trial-record", subjectId: opts.registrationNumber, subjectName: `version ${opts.version}` },
    ]);
    const version = await tx.trialVersion.create({
      data: { ...opts.next, trialId: opts.trialId, version: opts.version, previousDigest: opts.previousDigest, anchorItemId: item?.id ?? null },
      select: { id: true, version: true, digest: true },
    });
    await appendLogEntry(tx, {
      kind: "trial.amended",
      actor: { type: "user", id: opts.signer.userId },
      subject: { type: "trial", id: opts.registrationNumber },
      details: { version: version.version, digest: version.digest, previousDigest: opts.previousDigest, signature: signatureOf(opts.signer) },
      private: signerPrivate(opts.signer),
      orgId: opts.orgId,
    });
    await indexTrial(tx, opts.trialId);
    return version;
  });
}

// ─── TrialRegistry's record of each version (the registry pump, lib/registry/chain-sync.ts) ──────

export async function markSent(id: string, txHash: string): Promise<void> {
  await prisma().trialVersion.update({ where: { id }, data: { chainStatus: "SENT", chainTxHash: txHash, chainLastError: null } });
}

/** The sent transaction was dropped: back to the queue. */
export async function markUnsent(id: string, reason: string): Promise<void> {
  await prisma().trialVersion.update({ where: { id }, data: { chainStatus: "PENDING", chainTxHash: null, chainLastError: reason.slice(0, 500) } });
}

export async function markConfirmed(id: string, txHash: string | null): Promise<void> {
  await prisma().trialVersion.update({ where: { id }, data: { chainStatus: "CONFIRMED", chainTxHash: txHash, chainLastError: null } });
}

export async function markFailed(id: string, error: string, retryAt: Date): Promise<void> {
  await prisma().trialVersion.update({
    where: { id },
    data: { chainAttempts: { increment: 1 }, chainLastError: error.slice(0, 500), chainNextAttemptAt: retryAt },
  });
}
