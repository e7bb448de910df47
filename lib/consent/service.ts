import "server-only";
import { createHash, randomBytes, randomInt } from "node:crypto";
import { verifyProof } from "@semaphore-protocol/core";
import type { SessionUser } from "@/lib/auth/roles";
import { getChain } from "@/lib/chain/client";
import { CONSENT_ROOT_VALIDITY_SECONDS } from "@/lib/chain/deploy";
import { trustedContract } from "@/lib/chain/service";
import {
  findChallenge,
  findCodeTrial,
  findGroupRoot,
  getChallengeById,
  latestGroupRoot,
  listCodeSets,
  listGroupRoots,
  listConsentEvents,
  listConsentStates,
  listConsentTrials,
  listConsentVersions,
  listGroupMembers,
} from "@/lib/consent/data";
import { tallyDecisions } from "@/lib/consent/tally";
import { challengeMessage, consentScope, unpackConsentMessage } from "@/lib/consent/message";
import {
  acceptConsent,
  answerChallenge,
  createChallenge,
  createCodeSet,
  createConsentVersion,
  redeemCode,
} from "@/lib/consent/mutations";
import {
  type ConsentItem,
  ENROLMENT_CODE_CHARS,
  ENROLMENT_CODE_LENGTH,
  MAX_CODES_PER_REQUEST,
  type SemaphoreProofInput,
  commitmentInput,
  consentItemsInput,
  enrolmentCodeInput,
  frozenItems,
  semaphoreProofInput,
} from "@/lib/consent/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { assertOrgMember } from "@/lib/orgs/service";
import { canonicalize } from "@/lib/canonical-json";
import { getTrialByNumber } from "@/lib/registry/data";

/**
 * Enrolment and consent. Proofs go through one pipeline (STYLE.md habit 9): schema → the trial's
 * expected scope → a root the trial's group really had → SNARK verification → the decision and its
 * relay request recorded in one transaction. `verifyProof` alone checks neither scope nor root.
 */

async function trialOrThrow(registrationNumber: string) {
  const trial = await getTrialByNumber(registrationNumber);
  if (!trial) throw new AppError("NOT_FOUND", "No trial has that registration number.");
  return trial;
}

function titleOf(trial: { versions: { record: unknown }[] }): string {
  const record = trial.versions.at(-1)?.record as { publicTitle?: unknown } | undefined;
  return typeof record?.publicTitle === "string" ? record.publicTitle : "";
}

/** Where the trial's group lives: what a device needs to derive its identity and the scope. */
export async function consentDeployment(chainTrialId: string) {
  const chain = await getChain().catch((error: unknown) => {
    throw new AppError("UNAVAILABLE", "The chain is unreachable; consent needs it. Try again shortly.", { cause: error });
  });
  const consentRegistry = chain.deployment.contracts.ConsentRegistry.address;
  const scope = consentScope({ chainId: chain.chainId, consentRegistry, chainTrialId });
  return { chainId: chain.chainId, consentRegistry, chainTrialId, scope: scope.toString() };
}

// ─── Enrolment codes ────────────────────────────────────────────────────────────────────────────

export function hashEnrolmentCode(code: string): string {
  return createHash("sha256").update(`trialledger-enrolment-code:${code}`).digest("hex");
}

function newCode(): string {
  let code = "";
  for (let i = 0; i < ENROLMENT_CODE_LENGTH; i++) code += ENROLMENT_CODE_CHARS[randomInt(ENROLMENT_CODE_CHARS.length)];
  return code;
}

/**
 * Generates `count` single-use codes for a trial. The codes are returned once, for the sponsor's
 * CSV and printed sheet; only their hashes are stored.
 * @throws AppError NOT_FOUND, FORBIDDEN (not a member of the sponsoring organisation), VALIDATION
 */
export async function generateEnrolmentCodes(opts: { registrationNumber: string; count: number; user: SessionUser }) {
  if (!Number.isInteger(opts.count) || opts.count < 1 || opts.count > MAX_CODES_PER_REQUEST) {
    throw new AppError("VALIDATION", `Generate between 1 and ${MAX_CODES_PER_REQUEST} codes at a time.`, {
      fieldErrors: { count: [`Between 1 and ${MAX_CODES_PER_REQUEST}.`] },
    });
  }
  const trial = await trialOrThrow(opts.registrationNumber);
  await assertOrgMember(trial.orgId, opts.user.id);
  const codes = Array.from({ length: opts.count }, newCode);
  const set = await createCodeSet({ trialId: trial.id, trial, createdById: opts.user.id, hashes: codes.map(hashEnrolmentCode) });
  return { setId: set.id, createdAt: set.createdAt, registrationNumber: trial.registrationNumber, title: titleOf(trial), codes };
}

export async function listEnrolmentCodeSets(opts: { registrationNumber: string; user: SessionUser }) {
  const trial = await trialOrThrow(opts.registrationNumber);
  await assertOrgMember(trial.orgId, opts.user.id);
  return listCodeSets(trial.id);
}

const SPENT = "This enrolment code is not valid or has already been used.";

/** The trial a code enrols into, so the device can derive that trial's identity first. Spends nothing. */
export async function checkEnrolmentCode(typed: string) {
  const code = enrolmentCodeInput.parse(typed);
  const trial = await findCodeTrial(hashEnrolmentCode(code));
  if (!trial) throw new AppError("GONE", SPENT);
  return { registrationNumber: trial.registrationNumber, title: titleOf(trial), ...(await consentDeployment(trial.chainTrialId)) };
}

/**
 * Spends the code and queues the commitment for the trial's group, in one transaction; the relay
 * adds it on chain (in a batch, later, if the chain is down). Nothing is logged.
 * @throws AppError GONE (unknown or spent code), CONFLICT (commitment already enrolled; code kept)
 */
export async function redeemEnrolmentCode(opts: { code: string; commitment: string }) {
  const code = enrolmentCodeInput.parse(opts.code);
  const commitment = commitmentInput.parse(opts.commitment);
  await redeemCode({ hash: hashEnrolmentCode(code), commitment });
  return { status: "queued" as const };
}

// ─── Consent items ──────────────────────────────────────────────────────────────────────────────

function freeze(items: ConsentItem[]) {
  const canonical = canonicalize(items);
  return { canonical, digest: `0x${createHash("sha256").update(canonical, "utf8").digest("hex")}` };
}

/**
 * Saves the trial's consent items as a new version when they differ from the current one. Items
 * keep their number (their bit in every decision); new items get numbers never used before in this
 * trial, so an old decision can never be read as covering a new text.
 * @throws AppError VALIDATION (field errors, nothing changed, unknown item number), FORBIDDEN, CONFLICT (another
 *   version was saved since `basedOnVersion`, or at the same moment)
 */
export async function saveConsentItems(opts: { registrationNumber: string; items: unknown; user: SessionUser; basedOnVersion?: number }) {
  const trial = await trialOrThrow(opts.registrationNumber);
  await assertOrgMember(trial.orgId, opts.user.id);
  const input = consentItemsInput.parse(opts.items);
  const versions = await listConsentVersions(trial.id);
  const latest = versions.at(-1)?.version ?? 0;
  if (opts.basedOnVersion !== undefined && opts.basedOnVersion !== latest) {
    throw new AppError("CONFLICT", `Version ${latest} of the consent items was saved after the one you edited. Reload and make your changes again.`);
  }
  const used = new Set(versions.flatMap((v) => frozenItems.parse(v.items).map((item) => item.number)));
  let next = used.size === 0 ? 0 : Math.max(...used) + 1;
  const seen = new Set<number>();
  const items: ConsentItem[] = input.map((item) => {
    if (item.number !== undefined && !used.has(item.number)) {
      throw new AppError("VALIDATION", `Item ${item.number} does not exist: new items are numbered by the portal.`);
    }
    const number = item.number ?? next++;
    if (number >= 64) throw new AppError("VALIDATION", "This trial has used all 64 consent item numbers.");
    if (seen.has(number)) throw new AppError("VALIDATION", `Item ${number} appears twice.`);
    seen.add(number);
    const overlap = item.ifGranted.filter((id) => item.ifWithheld.includes(id));
    if (overlap.length > 0) {
      throw new AppError("VALIDATION", `A DUO term cannot apply both when granted and when withheld (${overlap.join(", ")}).`);
    }
    return { number, text: item.text, ifGranted: [...new Set(item.ifGranted)].sort(), ifWithheld: [...new Set(item.ifWithheld)].sort() };
  });
  items.sort((a, b) => a.number - b.number);
  const { canonical, digest } = freeze(items);
  const current = versions.at(-1);
  if (current?.digest === digest) throw new AppError("VALIDATION", "Nothing changed: the items are the same as the current version.");
  return createConsentVersion({ trialId: trial.id, trial, version: (current?.version ?? 0) + 1, items, canonical, digest, createdById: opts.user.id });
}

// ─── The public consent view ────────────────────────────────────────────────────────────────────

/** Everything public about a trial's consent: versions, group, tally. */
export async function getConsentOverview(registrationNumber: string) {
  const trial = await trialOrThrow(registrationNumber);
  const [versions, members, states, root] = await Promise.all([
    listConsentVersions(trial.id),
    listGroupMembers(trial.id),
    listConsentStates(trial.id),
    latestGroupRoot(trial.id),
  ]);
  const parsed = versions.map((v) => ({ ...v, items: frozenItems.parse(v.items) }));
  const current = parsed.at(-1) ?? null;
  const decisions = states.map((s) => ({ ...s, sequence: s.sequence.toString() }));
  const texts = new Map(current?.items.map((i) => [i.number, i.text]));
  const tally = tallyDecisions({ decisions, versions: parsed, groupSize: members.length }).map((row) => ({ ...row, text: texts.get(row.number) ?? "" }));
  return {
    registrationNumber: trial.registrationNumber,
    title: titleOf(trial),
    chainTrialId: trial.chainTrialId,
    versions: parsed,
    currentVersion: current?.version ?? null,
    members: members.map((m) => m.commitment),
    root: root?.root ?? null,
    decided: states.length,
    ...anonymity(members.length),
    tally,
  };
}

/**
 * Every trial participants can enrol in, with what a device needs to derive its identity there: a
 * device restored from its recovery phrase finds its trials by checking each group for its own
 * commitments, locally, without telling the portal which ones it looks for.
 */
export async function listEnrollableTrials() {
  const trials = await listConsentTrials();
  const out = [];
  for (const trial of trials) {
    out.push({ registrationNumber: trial.registrationNumber, title: titleOf(trial), ...(await consentDeployment(trial.chainTrialId)) });
  }
  return out;
}

/**
 * The group a device proves membership of: confirmed commitments in leaf order and the chain facts,
 * including a public RPC endpoint and ConsentRegistry's deployment block, so that a client can read
 * the group and the decisions from the chain itself and submit there.
 */
export async function getConsentGroup(registrationNumber: string) {
  const trial = await trialOrThrow(registrationNumber);
  const [members, root, registry] = await Promise.all([listGroupMembers(trial.id), latestGroupRoot(trial.id), trustedContract("ConsentRegistry")]);
  return {
    registrationNumber: trial.registrationNumber,
    ...(await consentDeployment(trial.chainTrialId)),
    rpcUrl: registry?.rpcUrl ?? null,
    fromBlock: registry?.fromBlock ?? null,
    members: members.map((m) => m.commitment),
    root: root?.root ?? null,
    ...anonymity(members.length),
  };
}

/**
 * The anonymity set, published with the group and the tally: a decision proves only that it came
 * from one of the `groupSize` members of the root it was proven over, so decisions are accepted only
 * over roots of at least `minGroupSize` members (CONSENT_MIN_GROUP_SIZE).
 */
function anonymity(groupSize: number) {
  const minGroupSize = env().consentMinGroupSize;
  return { groupSize, minGroupSize, acceptingDecisions: groupSize >= minGroupSize };
}

/** Every decision of a trial with its proof, its relay state and the size of the group it was proven over. */
export async function getConsentEvents(registrationNumber: string) {
  const trial = await trialOrThrow(registrationNumber);
  const [events, roots] = await Promise.all([listConsentEvents(trial.id), listGroupRoots(trial.id)]);
  const sizes = new Map(roots.map((r) => [r.root, r.size]));
  return events.map((event) => ({
    position: event.position,
    nullifier: event.nullifier,
    sequence: event.sequence.toString(),
    grants: event.grants,
    textVersion: event.textVersion,
    status: event.status,
    txHash: event.txHash,
    blockNumber: event.blockNumber,
    blockTime: event.blockTime?.toISOString() ?? null,
    reason: event.status === "REJECTED" ? event.lastError : null,
    /** Members of the group at the proof's root: the people this decision could be from. */
    anonymitySet: sizes.get(event.merkleTreeRoot) ?? null,
    proof: {
      merkleTreeDepth: event.merkleTreeDepth,
      merkleTreeRoot: event.merkleTreeRoot,
      nullifier: event.nullifier,
      message: event.message,
      points: event.points as string[],
    },
  }));
}

// ─── Proof pipeline ─────────────────────────────────────────────────────────────────────────────

/**
 * Checks a proof against a trial: scope, a root the trial's group had (and that has not expired on
 * chain), then the SNARK. Returns the parsed proof.
 * @throws AppError VALIDATION with a message for people
 */
async function checkProof(
  trial: { id: string; chainTrialId: string },
  raw: unknown,
  minGroupSize = 1,
): Promise<SemaphoreProofInput> {
  const proof = semaphoreProofInput.parse(raw);
  const { scope } = await consentDeployment(trial.chainTrialId);
  if (proof.scope !== scope) throw new AppError("VALIDATION", "This proof was made for another trial or another portal.");
  const root = await findGroupRoot(trial.id, proof.merkleTreeRoot);
  if (!root) throw new AppError("VALIDATION", "This proof is not over a membership list this trial has had.");
  if (root.size < minGroupSize) {
    // With n members a proof hides its maker among n people; with one, its root is that member's
    // commitment. Checked on the proof's root, not the current group: an old small root stays linkable.
    const message = `Decisions open once this trial's group has ${minGroupSize} members (this proof is over ${root.size}), so that no decision can be told apart from fewer than ${minGroupSize} people's. Nothing was recorded; try again when more participants have enrolled.`;
    throw new AppError("VALIDATION", message, { fieldErrors: { "proof.merkleTreeRoot": [message] } });
  }
  const latest = await latestGroupRoot(trial.id);
  if (latest?.root !== proof.merkleTreeRoot && root.blockTime.getTime() + CONSENT_ROOT_VALIDITY_SECONDS * 1000 < Date.now()) {
    throw new AppError("VALIDATION", "This proof is over a membership list that is too old. Make a new one.");
  }
  const points = proof.points as [string, string, string, string, string, string, string, string]; // length 8, checked by the schema
  const valid = await verifyProof({ ...proof, points }).catch(() => false);
  if (!valid) throw new AppError("VALIDATION", "The proof does not verify.");
  return proof;
}

/**
 * Accepts a participant's decision: the proof pipeline, then the message (known consent version,
 * only items of that version granted), then — in one transaction — the event, queued for the relay,
 * and the pseudonym's current decision. From then on every reader of consent sees it.
 * @throws AppError VALIDATION (bad proof or message), CONFLICT (an equal or newer sequence exists)
 */
export async function submitConsent(opts: { registrationNumber: string; proof: unknown }) {
  const trial = await trialOrThrow(opts.registrationNumber);
  const proof = await checkProof(trial, opts.proof, env().consentMinGroupSize);
  const message = unpackConsentMessage(BigInt(proof.message));
  if (!message) throw new AppError("VALIDATION", "This proof does not carry a consent decision.");
  // Sequence numbers count decisions: 2^53 is beyond any participant and keeps them exact in JSON.
  if (message.sequence > BigInt(Number.MAX_SAFE_INTEGER)) throw new AppError("VALIDATION", "The sequence number is too large.");
  const version = (await listConsentVersions(trial.id)).find((v) => v.version === message.textVersion);
  if (!version) throw new AppError("VALIDATION", `Consent text version ${message.textVersion} does not exist for this trial.`);
  const numbers = new Set(frozenItems.parse(version.items).map((i) => i.number));
  for (let bit = 0; bit < 64; bit++) {
    if ((message.grants >> BigInt(bit)) & 1n && !numbers.has(bit)) {
      throw new AppError("VALIDATION", `Item ${bit} is not part of consent version ${message.textVersion}.`);
    }
  }
  const event = await acceptConsent({
    trialId: trial.id,
    nullifier: proof.nullifier,
    sequence: message.sequence,
    grants: message.grants.toString(),
    textVersion: message.textVersion,
    message: proof.message,
    merkleTreeRoot: proof.merkleTreeRoot,
    merkleTreeDepth: proof.merkleTreeDepth,
    points: proof.points,
  }, trial);
  return { position: event.position, status: "PENDING" as const };
}

// ─── Pseudonym handover ─────────────────────────────────────────────────────────────────────────

/** How long a handover challenge stays open: one conversation at the clinic. */
export const CHALLENGE_TTL_MS = 15 * 60_000;

export async function issuePseudonymChallenge(opts: { registrationNumber: string; user: SessionUser }) {
  const trial = await trialOrThrow(opts.registrationNumber);
  await assertOrgMember(trial.orgId, opts.user.id);
  return createChallenge({
    trialId: trial.id,
    challenge: randomBytes(16).toString("hex"),
    issuedById: opts.user.id,
    expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS),
  });
}

/** The challenge's state for the sponsor member who issued it (they poll it while the participant answers). */
export async function getPseudonymChallenge(opts: { id: string; user: SessionUser }) {
  const challenge = await getChallengeById(opts.id);
  if (!challenge || challenge.issuedById !== opts.user.id) throw new AppError("NOT_FOUND", "No such challenge.");
  await assertOrgMember(challenge.trial.orgId, opts.user.id);
  return {
    registrationNumber: challenge.trial.registrationNumber,
    challenge: challenge.challenge,
    expiresAt: challenge.expiresAt,
    expired: challenge.expiresAt.getTime() <= Date.now() && !challenge.nullifier,
    pseudonym: challenge.nullifier,
    verifiedAt: challenge.verifiedAt,
  };
}

/**
 * A participant's device answers a challenge with a proof in the trial's consent scope whose message
 * is the challenge: the proven nullifier is their pseudonym. Anything else is refused.
 * @throws AppError GONE (unknown, expired or answered), VALIDATION (proof)
 */
export async function answerPseudonymChallenge(opts: { challenge: string; proof: unknown }) {
  const challenge = /^[0-9a-f]{32}$/.test(opts.challenge) ? await findChallenge(opts.challenge) : null;
  if (!challenge || challenge.nullifier || challenge.expiresAt.getTime() <= Date.now()) {
    throw new AppError("GONE", "This challenge has expired or was already answered. Ask for a new one.");
  }
  const proof = await checkProof(challenge.trial, opts.proof);
  if (BigInt(proof.message) !== challengeMessage(challenge.challenge)) {
    throw new AppError("VALIDATION", "This proof answers another challenge.");
  }
  if (!(await answerChallenge({ id: challenge.id, trial: challenge.trial, nullifier: proof.nullifier, now: new Date() }))) {
    throw new AppError("GONE", "This challenge has expired or was already answered. Ask for a new one.");
  }
  return { pseudonym: proof.nullifier };
}
