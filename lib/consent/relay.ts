import "server-only";
import { EventLog, isError } from "ethers";
import { backoffMs } from "@/lib/anchoring/worker";
import type { Chain } from "@/lib/chain/client";
import { consentRegistryErrors, revertName } from "@/lib/chain/errors";
import { waitForReceipt } from "@/lib/chain/receipts";
import { getLogCursor, nextConsentRelays, nextConsentVersionWrites, nextEnrolments } from "@/lib/consent/data";
import {
  type ChainDecision,
  markEventFailed,
  markEventRecorded,
  markEventRejected,
  markEventSent,
  markEventUnsent,
  markMembersConfirmed,
  markMemberRejected,
  markMembersFailed,
  markMembersSent,
  markMembersUnsent,
  markVersionConfirmed,
  markVersionFailed,
  markVersionSent,
  recordChainDecisions,
} from "@/lib/consent/mutations";

/**
 * The consent relay: the portal's side of ConsentRegistry, driven by three outboxes in the
 * database and one reader of its events. Each run, in this order (later steps depend on earlier ones on chain):
 *
 *  1. consent-text versions → `publishConsentText`, in version order per trial (decisions name one);
 *  2. accepted decisions → `submitConsent(trialId, proof)`, in arrival order — before enrolment,
 *     because Semaphore expires a replaced root `rootValidity` after the root was *created*: a
 *     decision proven on a long-current root must reach the chain before a new member replaces it;
 *  3. queued members → `enrol(trialId, commitments)`, one batch per trial (10 in one call cost
 *     ~74k gas each against ~190k alone), confirmed from Semaphore's MembersAdded events;
 *     a batch is simulated first, and one the chain refuses is split until the commitments it
 *     refuses on their own are found and set aside, so one bad commitment never stalls the others;
 *  4. ConsentRecorded events → the database, from the contract's deployment block on, so decisions
 *     sent straight to the contract (submitting is permissionless) count like relayed ones.
 *
 * The chain is the truth at every step: before sending, the relay asks the contract whether the
 * write already happened (a crash after broadcasting, a dropped transaction), so nothing is written
 * twice and nothing is lost. A chain that is down fails the attempt; it is retried with backoff.
 */

export type RelayOptions = { chain: () => Promise<Chain>; confirmations: number; log?: (line: string) => void };
export type RelaySummary = { published: number; enrolled: number; recorded: number; rejected: number; indexed: number; failed: number };

/**
 * Semaphore's `verifyProof` returns false instead of reverting when the pairing precompile runs out
 * of gas, so gas estimation can undershoot; a fixed limit well above the ~330k a consent costs
 * avoids refusing a valid proof.
 */
const CONSENT_GAS_LIMIT = 1_000_000n;

/** Reverts that a later attempt cannot cure: the decision is refused for good. */
const PERMANENT_REVERTS = new Set(["WrongScope", "WrongTreeDepth", "MalformedMessage", "StaleSequence", "InvalidProof"]);

function messageOf(error: unknown): string {
  const short = (error as { shortMessage?: unknown }).shortMessage;
  return typeof short === "string" ? short : error instanceof Error ? error.message : String(error);
}

async function blockTime(chain: Chain, blockNumber: number): Promise<Date> {
  const block = await chain.provider.getBlock(blockNumber);
  if (!block) throw new Error(`block ${blockNumber} not found`);
  return new Date(block.timestamp * 1000);
}

function waitFor(chain: Chain, txHash: string, confirmations: number) {
  return waitForReceipt(chain.provider, txHash, confirmations, 30_000);
}

// ─── 1. consent-text versions ───────────────────────────────────────────────────────────────────

async function publishVersions(opts: RelayOptions, summary: RelaySummary) {
  for (const write of await nextConsentVersionWrites(new Date())) {
    const label = `${write.trial.registrationNumber} consent version ${write.version}`;
    try {
      const chain = await opts.chain();
      const consent = chain.contracts.ConsentRegistry;
      const onChain = Number(await consent.consentVersionOf(write.trial.chainTrialId));
      if (onChain >= write.version) {
        const digest = await consent.consentTextDigest(write.trial.chainTrialId, write.version);
        if (digest.toLowerCase() !== write.digest) throw new Error(`chain holds another digest for ${label}`);
        await markVersionConfirmed(write.id, write.chainTxHash);
        summary.published++;
        continue;
      }
      if (!(await chain.contracts.TrialRegistry.isRegistered(write.trial.chainTrialId))) {
        throw new Error("the trial is not registered on chain yet");
      }
      let txHash = write.chainStatus === "SENT" ? write.chainTxHash : null;
      if (txHash && !(await chain.provider.getTransaction(txHash))) txHash = null;
      if (!txHash) {
        txHash = (await consent.publishConsentText(write.trial.chainTrialId, write.version, write.digest)).hash;
        await markVersionSent(write.id, txHash);
      }
      const receipt = await waitFor(chain, txHash, opts.confirmations);
      if (!receipt) continue;
      if (receipt.status !== 1) throw new Error(`transaction ${txHash} reverted`);
      await markVersionConfirmed(write.id, txHash);
      summary.published++;
      opts.log?.(`[consent] ${label} published (${txHash})`);
    } catch (error) {
      summary.failed++;
      opts.log?.(`[consent] ${label}: ${messageOf(error)}`);
      await markVersionFailed(write.id, messageOf(error), new Date(Date.now() + backoffMs(write.chainAttempts)));
    }
  }
}

// ─── 2. enrolment ───────────────────────────────────────────────────────────────────────────────

/**
 * Mirrors the group from Semaphore's MembersAdded events: every root it has had (a proof is checked
 * against these) and the leaf index of each member. Idempotent; it confirms members whatever sent them.
 * @returns the ids of the members of `batch` that are on chain
 */
async function syncGroup(chain: Chain, trialId: string, groupId: bigint, batch: readonly { id: string; commitment: string }[]): Promise<Set<string>> {
  const semaphore = chain.contracts.Semaphore;
  const logs = await semaphore.queryFilter(semaphore.getEvent("MembersAdded")(groupId), 0);
  const byCommitment = new Map(batch.map((m) => [m.commitment, m.id]));
  const confirmed = new Set<string>();
  for (const log of logs) {
    if (!("args" in log)) continue;
    const startIndex = Number(log.args.getValue("startIndex") as bigint);
    const commitments = (log.args.getValue("identityCommitments") as bigint[]).map(String);
    const members = commitments.flatMap((c, i) => {
      const id = byCommitment.get(c);
      return id ? [{ id, leafIndex: startIndex + i }] : [];
    });
    for (const member of members) confirmed.add(member.id);
    await markMembersConfirmed({
      trialId,
      txHash: log.transactionHash,
      members,
      root: {
        root: String(log.args.getValue("merkleTreeRoot") as bigint),
        size: startIndex + commitments.length,
        blockNumber: log.blockNumber,
        blockTime: await blockTime(chain, log.blockNumber),
      },
    });
  }
  return confirmed;
}

/**
 * Reverts that blame one commitment of a batch: Semaphore's LeanIMT refuses a leaf that is 0 or not
 * below the SNARK field order. Any other refusal (an unregistered trial, a revoked relayer) concerns
 * the whole batch and is retried with backoff. `LeafAlreadyExists` is deliberately not here: only
 * the relayer enrols and a commitment is queued once per trial, so a leaf already in the tree is one
 * of this batch that reached the chain (a crash after broadcasting, a "dropped" transaction that was
 * mined): the retry's sync confirms it, where rejecting it would drop a real leaf from the group.
 */
const MEMBER_REVERTS = new Set(["LeafCannotBeZero", "LeafGreaterThanSnarkScalarField"]);

type Member = Awaited<ReturnType<typeof nextEnrolments>>[number][number];

/**
 * Why the chain would refuse to enrol `members` in one call, when it blames a member; null when it
 * would accept them. A simulation (eth_call), so nothing is spent finding out.
 * @throws when the chain cannot be asked or refuses the batch for a reason no member causes
 */
async function memberRefusal(chain: Chain, chainTrialId: string, members: readonly Member[]): Promise<string | null> {
  let commitments: bigint[];
  try {
    commitments = members.map((m) => BigInt(m.commitment));
  } catch {
    return "not a decimal integer";
  }
  try {
    await chain.contracts.ConsentRegistry.enrol.staticCall(chainTrialId, commitments);
    return null;
  } catch (error) {
    // A value of 2^256 or more cannot even be encoded as a uint256.
    if (isError(error, "INVALID_ARGUMENT") || isError(error, "NUMERIC_FAULT")) return "not a uint256";
    const revert = revertName(error, consentRegistryErrors);
    if (revert && MEMBER_REVERTS.has(revert)) return revert;
    throw error;
  }
}

/**
 * Splits a batch the chain refuses into the members it accepts and the ones it refuses on their own,
 * by halving: a bad member among n costs about 2·log2(n) simulations (14 for a batch of 100), and
 * one bad commitment never holds back the others.
 */
type Split = { admissible: Member[]; refused: { member: Member; reason: string }[] };

async function splitRefused(chain: Chain, chainTrialId: string, members: readonly Member[]): Promise<Split> {
  const reason = await memberRefusal(chain, chainTrialId, members);
  if (reason === null) return { admissible: [...members], refused: [] };
  const [only] = members;
  if (members.length === 1 && only) return { admissible: [], refused: [{ member: only, reason }] };
  const half = Math.ceil(members.length / 2);
  const first = await splitRefused(chain, chainTrialId, members.slice(0, half));
  const second = await splitRefused(chain, chainTrialId, members.slice(half));
  return { admissible: [...first.admissible, ...second.admissible], refused: [...first.refused, ...second.refused] };
}

async function enrolMembers(opts: RelayOptions, summary: RelaySummary) {
  for (const batch of await nextEnrolments(new Date())) {
    const first = batch[0];
    if (!first) continue;
    const { trialId, trial } = first;
    const ids = batch.map((m) => m.id);
    try {
      const chain = await opts.chain();
      const consent = chain.contracts.ConsentRegistry;
      const [exists, groupId] = await consent.groupOf(trial.chainTrialId);
      // Only the members not on chain yet go on: one already there (its transaction mined before a
      // crash could record it) would make the simulation revert and, split out, be taken for bad.
      let pending: Member[] = batch;
      if (exists) {
        const already = await syncGroup(chain, trialId, groupId, batch);
        summary.enrolled += already.size;
        pending = batch.filter((m) => !already.has(m.id));
        if (pending.length === 0) continue;
      }
      const sent = pending.filter((m) => m.status === "SENT" && m.txHash);
      const waiting = sent[0]?.txHash;
      let txHash: string;
      let members: Member[];
      if (waiting) {
        if (!(await chain.provider.getTransaction(waiting))) {
          await markMembersUnsent(sent.map((m) => m.id)); // dropped: send again next run
          continue;
        }
        txHash = waiting;
        members = sent;
      } else {
        // Simulated first, so a batch the chain refuses is split before anything is sent.
        const { admissible, refused } = await splitRefused(chain, trial.chainTrialId, pending);
        for (const { member, reason } of refused) {
          await markMemberRejected(member.id, `refused by the chain: ${reason}`);
          summary.rejected++;
          opts.log?.(`[consent] a commitment queued for ${trial.registrationNumber} was refused by the chain (${reason}); the others go on`);
        }
        if (admissible.length === 0) continue;
        members = admissible;
        txHash = (await consent.enrol(trial.chainTrialId, admissible.map((m) => BigInt(m.commitment)))).hash;
        await markMembersSent(admissible.map((m) => m.id), txHash);
      }
      const receipt = await waitFor(chain, txHash, opts.confirmations);
      if (!receipt) continue;
      if (receipt.status !== 1) {
        // Mined but reverted (the chain changed between simulation and mining): back to the queue,
        // where the next run simulates it again and splits it, instead of waiting on it forever.
        await markMembersUnsent(members.map((m) => m.id));
        throw new Error(`transaction ${txHash} reverted`);
      }
      const [, newGroupId] = await consent.groupOf(trial.chainTrialId);
      const confirmed = (await syncGroup(chain, trialId, newGroupId, pending)).size;
      summary.enrolled += confirmed;
      opts.log?.(`[consent] ${confirmed} member(s) enrolled in ${trial.registrationNumber}`);
    } catch (error) {
      summary.failed++;
      opts.log?.(`[consent] enrolment in ${trial.registrationNumber}: ${messageOf(error)}`);
      await markMembersFailed(ids, messageOf(error), new Date(Date.now() + backoffMs(Math.min(...batch.map((m) => m.attempts)))));
    }
  }
}

// ─── 3. decisions ───────────────────────────────────────────────────────────────────────────────

type Relay = Awaited<ReturnType<typeof nextConsentRelays>>[number];

function proofOf(event: Relay, scope: bigint) {
  return {
    merkleTreeDepth: BigInt(event.merkleTreeDepth),
    merkleTreeRoot: BigInt(event.merkleTreeRoot),
    nullifier: BigInt(event.nullifier),
    message: BigInt(event.message),
    scope,
    points: (event.points as string[]).map(BigInt) as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint],
  };
}

async function findRecorded(chain: Chain, event: Relay) {
  const consent = chain.contracts.ConsentRegistry;
  const logs = (await consent.queryFilter(consent.getEvent("ConsentRecorded")(event.trial.chainTrialId, BigInt(event.nullifier)), 0));
  return logs.find((log) => "args" in log && (log.args.getValue("sequence") as bigint) === event.sequence) ?? null;
}

async function relayDecision(chain: Chain, event: Relay, opts: RelayOptions, summary: RelaySummary) {
  const consent = chain.contracts.ConsentRegistry;
  const chainTrialId = event.trial.chainTrialId;
  const [, , lastSequence] = await consent.decisionOf(chainTrialId, BigInt(event.nullifier));
  if (lastSequence >= event.sequence) {
    // Either this decision is on chain (sent by a run that died, or by anyone: submitting is open),
    // or a later one got there first and this one can no longer be.
    const log = await findRecorded(chain, event);
    if (log instanceof EventLog) {
      // The chain's decision, not this row's: another decision with this nullifier and sequence may
      // have reached the contract first (sent there directly), and the row must say what it proves.
      await recordChainDecisions({ decisions: [chainDecision(log, await blockTime(chain, log.blockNumber))] });
      summary.recorded++;
    } else {
      await markEventRejected(event.id, "superseded: a later decision of this pseudonym reached the chain first");
      summary.rejected++;
    }
    return;
  }
  let txHash = event.status === "SENT" ? event.txHash : null;
  if (txHash && !(await chain.provider.getTransaction(txHash))) {
    await markEventUnsent(event.id);
    txHash = null;
  }
  if (!txHash) {
    const proof = proofOf(event, await consent.consentScope(chainTrialId));
    try {
      await consent.submitConsent.staticCall(chainTrialId, proof, { gasLimit: CONSENT_GAS_LIMIT });
    } catch (error) {
      const revert = revertName(error, consentRegistryErrors);
      if (revert && (PERMANENT_REVERTS.has(revert) || revert.startsWith("Semaphore__"))) {
        await markEventRejected(event.id, `refused by the chain: ${revert}`);
        summary.rejected++;
        opts.log?.(`[consent] decision ${event.position} in ${event.trial.registrationNumber} refused by the chain: ${revert}`);
        return;
      }
      throw error;
    }
    txHash = (await consent.submitConsent(chainTrialId, proof, { gasLimit: CONSENT_GAS_LIMIT })).hash;
    await markEventSent(event.id, txHash);
  }
  const receipt = await waitFor(chain, txHash, opts.confirmations);
  if (!receipt) return;
  if (receipt.status !== 1) throw new Error(`transaction ${txHash} reverted`);
  await markEventRecorded(event.id, { txHash, blockNumber: receipt.blockNumber, blockTime: await blockTime(chain, receipt.blockNumber) });
  summary.recorded++;
}

async function relayDecisions(opts: RelayOptions, summary: RelaySummary) {
  for (const event of await nextConsentRelays(new Date())) {
    try {
      await relayDecision(await opts.chain(), event, opts, summary);
    } catch (error) {
      summary.failed++;
      opts.log?.(`[consent] decision ${event.position} in ${event.trial.registrationNumber}: ${messageOf(error)}`);
      await markEventFailed(event.id, messageOf(error), new Date(Date.now() + backoffMs(event.attempts)));
    }
  }
}

// ─── 4. decisions anyone sent ───────────────────────────────────────────────────────────────────

/** A ConsentRecorded event as the database records it. */
function chainDecision(log: EventLog, time: Date): ChainDecision {
  const get = (name: string) => log.args.getValue(name) as bigint;
  return {
    chainTrialId: (log.args.getValue("trialId") as string).toLowerCase(),
    nullifier: get("nullifier").toString(),
    sequence: get("sequence"),
    grants: get("grants").toString(),
    textVersion: Number(get("textVersion")),
    message: get("message").toString(),
    merkleTreeRoot: get("merkleTreeRoot").toString(),
    merkleTreeDepth: Number(get("merkleTreeDepth")),
    points: (log.args.getValue("points") as bigint[]).map(String),
    txHash: log.transactionHash,
    blockNumber: log.blockNumber,
    blockTime: time,
  };
}

/**
 * Blocks per eth_getLogs request: public RPC providers cap a request's range (commonly between
 * 1,000 and 10,000 blocks, or by result count), and 2,000 stays inside the common caps.
 */
export const LOG_RANGE_BLOCKS = 2_000;

/**
 * Reads ConsentRegistry's ConsentRecorded events from where it stopped (first from the contract's
 * deployment block), in ranges of LOG_RANGE_BLOCKS up to the newest block with `confirmations`, and
 * records them (lib/consent/mutations.ts recordChainDecisions): submitting is permissionless, so a
 * participant or a third party may send a decision straight to the contract, and the tally, the
 * API and the participant's history must show it like one the portal relayed.
 * Exported for the tests that index a chain of their own without relaying the rest of a shared database.
 */
export async function indexDecisions(opts: RelayOptions, summary: RelaySummary) {
  try {
    const chain = await opts.chain();
    const consent = chain.contracts.ConsentRegistry;
    const deployed = chain.deployment.contracts.ConsentRegistry;
    // One cursor per chain *history*: a fresh local chain (same chain id, deployer and steps) puts
    // ConsentRegistry at the same address in the same block with the same transaction hash, so only
    // the deployment block's hash (it covers the timestamps from genesis on) tells the chains
    // apart; keyed on the transaction, an old database's cursor lay past the new chain's head, and
    // events below it were never read.
    const deploymentBlock = await chain.provider.getBlock(deployed.blockNumber);
    if (!deploymentBlock?.hash) throw new Error(`block ${deployed.blockNumber} (ConsentRegistry's deployment) not found`);
    const key = `${chain.chainId}:${deployed.address.toLowerCase()}:${deploymentBlock.hash}:ConsentRecorded`;
    const last = (await chain.provider.getBlockNumber()) - Math.max(opts.confirmations - 1, 0);
    for (let from = (await getLogCursor(key)) ?? deployed.blockNumber; from <= last; ) {
      const to = Math.min(from + LOG_RANGE_BLOCKS - 1, last);
      const logs = await consent.queryFilter(consent.getEvent("ConsentRecorded")(), from, to);
      const times = new Map<number, Date>();
      const decisions = [];
      for (const log of logs) {
        if (!("args" in log)) continue;
        if (!times.has(log.blockNumber)) times.set(log.blockNumber, await blockTime(chain, log.blockNumber));
        decisions.push(chainDecision(log, times.get(log.blockNumber) ?? new Date(0)));
      }
      const changed = await recordChainDecisions({ decisions, cursor: { key, nextBlock: to + 1 } });
      summary.indexed += changed;
      if (changed > 0) opts.log?.(`[consent] ${changed} decision(s) read from the chain (blocks ${from}–${to})`);
      from = to + 1;
    }
  } catch (error) {
    summary.failed++;
    opts.log?.(`[consent] reading decisions from the chain: ${messageOf(error)}`);
  }
}

/** Does all the relay work there is now. Failures are recorded on the rows and retried with backoff. */
export async function runConsentRelayOnce(opts: RelayOptions): Promise<RelaySummary> {
  const summary: RelaySummary = { published: 0, enrolled: 0, recorded: 0, rejected: 0, indexed: 0, failed: 0 };
  await publishVersions(opts, summary);
  await relayDecisions(opts, summary);
  await enrolMembers(opts, summary);
  await indexDecisions(opts, summary);
  return summary;
}
