import "server-only";
import { createHash } from "node:crypto";
import type { SubjectKind } from "@/lib/anchoring/receipt";
import type { SessionUser } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { assertOrgMember } from "@/lib/orgs/service";
import { canonicalize } from "@/lib/canonical-json";
import { getTrialByNumber } from "@/lib/registry/data";
import { outcomeFlags } from "@/lib/registry/diff";
import { type NewFile, createTrial, createVersion } from "@/lib/registry/mutations";
import { requireOwnUploads } from "@/lib/storage/uploads";
import { type TrialRecord, formatRegistrationNumber, trialRecordInput } from "@/lib/registry/schema";

/** TrialRegistry's id of a trial: the SHA-256 of its registration number, so anyone can derive it. */
export function chainTrialIdOf(registrationNumber: string): string {
  return `0x${createHash("sha256").update(registrationNumber, "utf8").digest("hex")}`;
}

function frozen(record: TrialRecord) {
  const canonical = canonicalize(record);
  const digest = `0x${createHash("sha256").update(canonical, "utf8").digest("hex")}`;
  return { canonical, digest };
}

export type Attachment = { kind: "protocol" | "analysis-plan" | "other"; name: string; digest: string };

/** Receipt subject kind of each attachment kind. */
const ANCHOR_KIND: Record<Attachment["kind"], SubjectKind> = { protocol: "file", "analysis-plan": "analysis-plan", other: "file" };

/**
 * Attachments must be the organisation's own uploads (through /api/uploads, for this
 * organisation); the same file twice is attached once.
 * @throws AppError VALIDATION for a digest the organisation never uploaded
 */
async function attachedFiles(orgId: string, attachments: Attachment[]): Promise<NewFile[]> {
  // At most 10 attachments (lib/registry/actions.ts): the quadratic search costs nothing.
  const unique = attachments.filter((a, i) => attachments.findIndex((b) => b.digest === a.digest) === i);
  const uploads = await requireOwnUploads(orgId, unique);
  return unique.map((a) => ({
    kind: a.kind,
    anchorKind: ANCHOR_KIND[a.kind],
    name: a.name.slice(0, 255),
    digest: a.digest,
    size: uploads.get(a.digest)?.size ?? 0,
  }));
}

/**
 * Registers a trial: validates the record (WHO TRDS), freezes it as RFC 8785 canonical JSON, and
 * in one transaction gives it the year's next registration number and queues its digest for
 * anchoring. The on-chain registration follows through the registry's chain outbox.
 * @throws AppError VALIDATION (field errors; also for an attachment the organisation did not upload), FORBIDDEN
 */
export async function registerTrial(opts: {
  orgId: string;
  user: SessionUser;
  input: unknown;
  attachments?: Attachment[];
  now?: Date;
}) {
  await assertOrgMember(opts.orgId, opts.user.id);
  const record = trialRecordInput.parse(opts.input);
  const { canonical, digest } = frozen(record);
  const files = await attachedFiles(opts.orgId, opts.attachments ?? []);
  return createTrial({
    files,
    orgId: opts.orgId,
    year: (opts.now ?? new Date()).getUTCFullYear(),
    numberFor: (year, sequence) => {
      const registrationNumber = formatRegistrationNumber(year, sequence);
      return { registrationNumber, chainTrialId: chainTrialIdOf(registrationNumber) };
    },
    first: { record, canonical, digest, outcomeFlags: [], createdById: opts.user.id },
  });
}

/**
 * Amends a trial as a new version chained to the current one, with its outcome-change flags.
 * `basedOnVersion` is the version the sponsor edited: if someone amended in between, the
 * amendment is refused (CONFLICT) rather than silently overwriting their change.
 * @throws AppError NOT_FOUND, FORBIDDEN, VALIDATION (also for "nothing changed"), CONFLICT
 */
export async function amendTrial(opts: { registrationNumber: string; user: SessionUser; input: unknown; basedOnVersion: number }) {
  const trial = await getTrialByNumber(opts.registrationNumber);
  if (!trial) throw new AppError("NOT_FOUND", "No trial has that registration number.");
  await assertOrgMember(trial.orgId, opts.user.id);
  const current = trial.versions.at(-1);
  if (!current) throw new Error(`trial ${trial.registrationNumber} has no versions`);
  if (current.version !== opts.basedOnVersion) {
    throw new AppError("CONFLICT", `Version ${current.version} was registered after the one you edited. Start again from it.`);
  }
  const record = trialRecordInput.parse(opts.input);
  const { canonical, digest } = frozen(record);
  if (digest === current.digest) throw new AppError("VALIDATION", "Nothing changed: an amendment must change the record.");
  const previous = trialRecordInput.parse(current.record);
  try {
    return await createVersion({
      trialId: trial.id,
      registrationNumber: trial.registrationNumber,
      version: current.version + 1,
      previousDigest: current.digest,
      next: { record, canonical, digest, outcomeFlags: outcomeFlags(previous, record), createdById: opts.user.id },
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") {
      throw new AppError("CONFLICT", "Someone else amended this trial at the same moment. Start again from the new version.");
    }
    throw error;
  }
}
