import "server-only";
import { createHash } from "node:crypto";
import type { SubjectKind } from "@/lib/anchoring/receipt";
import type { SessionUser } from "@/lib/auth/roles";
import { reauthenticate } from "@/lib/auth/service";
import { AppError } from "@/lib/errors";
import { getOrgName } from "@/lib/orgs/data";
import { assertOrgMember } from "@/lib/orgs/service";
import { canonicalize } from "@/lib/canonical-json";
import { getTrialByNumber } from "@/lib/registry/data";
import { outcomeFlags } from "@/lib/registry/diff";
import { type NewFile, type Signer, createTrial, createVersion } from "@/lib/registry/mutations";
import { type SignatureInput, type SignedAct, signatureMeaning } from "@/lib/registry/signature";
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
 * Checks a signature on a signed act (registration, amendment, a dataset's publication) before anything is written: the meaning sent
 * must be the one this act has (so the signer affirmed exactly what is recorded), and the password
 * must be the signer's. The field errors name `signature.meaning` and `signature.password`.
 * @throws AppError VALIDATION, RATE_LIMITED (lib/auth/service.ts reauthenticate)
 */
export async function checkSignature(user: SessionUser, signature: SignatureInput, act: SignedAct): Promise<Signer> {
  const meaning = signatureMeaning(act);
  if (signature.meaning !== meaning) {
    throw new AppError("VALIDATION", `The meaning signed is not this submission's. Sign: ${meaning}`, {
      fieldErrors: { "signature.meaning": [`Sign with exactly this meaning: ${meaning}`] },
    });
  }
  await reauthenticate({ userId: user.id, password: signature.password, field: "signature.password" });
  return { userId: user.id, name: user.name, email: user.email, meaning };
}

/**
 * Registers a trial, a signed act: validates the record (WHO TRDS), checks the signature (the
 * sponsor's password and the meaning they affirm), freezes the record as RFC 8785 canonical JSON,
 * and in one transaction gives it the year's next registration number, queues its digest for
 * anchoring and logs the signed registration. The on-chain registration follows through the
 * registry's chain outbox. A wrong password or meaning writes nothing.
 * @throws AppError VALIDATION (field errors, `signature.password` and `signature.meaning` included;
 *   also for an attachment the organisation did not upload), FORBIDDEN, RATE_LIMITED
 */
export async function registerTrial(opts: {
  orgId: string;
  user: SessionUser;
  input: unknown;
  signature: SignatureInput;
  attachments?: Attachment[];
  now?: Date;
}) {
  await assertOrgMember(opts.orgId, opts.user.id);
  const record = trialRecordInput.parse(opts.input);
  const orgName = await getOrgName(opts.orgId);
  if (orgName === null) throw new AppError("NOT_FOUND", "That organisation does not exist.");
  const { canonical, digest } = frozen(record);
  const files = await attachedFiles(opts.orgId, opts.attachments ?? []);
  // Last before writing: everything else that can refuse has, so a password is only asked to
  // sign a submission that would be registered (and the attempt counted only then).
  const signer = await checkSignature(opts.user, opts.signature, { kind: "register", title: record.publicTitle, orgName });
  return createTrial({
    signer,
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
 * Amends a trial, a signed act, as a new version chained to the current one, with its
 * outcome-change flags and its signed log entry. `basedOnVersion` is the version the sponsor
 * edited: if someone amended in between, the amendment is refused (CONFLICT) rather than silently
 * overwriting their change. The signature is checked after the record (a wrong password writes nothing).
 * @throws AppError NOT_FOUND, FORBIDDEN, VALIDATION (also for "nothing changed", and the signature's
 *   fields), CONFLICT, RATE_LIMITED
 */
export async function amendTrial(opts: {
  registrationNumber: string;
  user: SessionUser;
  input: unknown;
  basedOnVersion: number;
  signature: SignatureInput;
}) {
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
  const signer = await checkSignature(opts.user, opts.signature, {
    kind: "amend",
    title: record.publicTitle,
    orgName: trial.org.name,
    registrationNumber: trial.registrationNumber,
    version: current.version + 1,
  });
  try {
    return await createVersion({
      signer,
      orgId: trial.orgId,
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

function titleIn(record: unknown): string {
  const title = (record as { publicTitle?: unknown } | null)?.publicTitle;
  return typeof title === "string" ? title : "";
}

/**
 * The meaning a registration of `record` for `orgId` is signed with (lib/registry/signature.ts),
 * for programs and tests that sign through the service. Empty when the organisation does not exist.
 */
export async function registrationMeaning(orgId: string, record: unknown): Promise<string> {
  const orgName = await getOrgName(orgId);
  return orgName === null ? "" : signatureMeaning({ kind: "register", title: titleIn(record), orgName });
}

/** The meaning the next amendment of the trial to `record` is signed with; empty for an unknown trial. */
export async function amendmentMeaning(registrationNumber: string, record: unknown): Promise<string> {
  const trial = await getTrialByNumber(registrationNumber);
  const current = trial?.versions.at(-1);
  if (!trial || !current) return "";
  return signatureMeaning({
    kind: "amend",
    title: titleIn(record),
    orgName: trial.org.name,
    registrationNumber: trial.registrationNumber,
    version: current.version + 1,
  });
}
