import "server-only";
import { isError } from "ethers";
import type { Chain } from "@/lib/chain/client";
import { consentRegistryErrors, revertName } from "@/lib/chain/errors";
import type { ConsentRegistryEvents, SemaphoreEvents } from "@/lib/chain/generated/types";
import { eventArgs } from "@/lib/chain/receipts";
import { getLogCursor, nextConsentRelays, nextConsentVersionWrites, nextEnrolments } from "@/lib/consent/data";
import { type ChainDecision, decisionWrites, memberWrites, recordChainDecisions, textWrites } from "@/lib/consent/mutations";
import { type OutboxOptions, type Pump, type PumpSummary, messageOf, runPump } from "@/lib/outbox/runner";

/**
 * The consent relay: the portal's side of ConsentRegistry, three pumps of the outbox runner
 * (lib/outbox/runner.ts) and one reader of its events. Each run, in this order (later steps depend
 * on earlier ones on chain):
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
 * The chain is the truth at every step: before sending, the runner asks the pump whether the write
 * already happened (a crash after broadcasting, a dropped transaction), so nothing is written twice
 * and nothing is lost. A chain that is down fails the attempt; it is retried with backoff.
 */

export type RelayOptions = OutboxOptions;
export type RelaySummary = { published: number; enrolled: number; recorded: number; rejected: number; indexed: number; failed: number };

/**
 * Semaphore's `verifyProof` returns false instead of reverting when the pairing precompile runs out
 * of gas, so gas estimation can undershoot; a fixed limit well above the ~330k a consent costs
 * avoids refusing a valid proof.
 */
const CONSENT_GAS_LIMIT = 1_000_000n;

/** Reverts that a later attempt cannot cure: the decision is refused for good. */
const PERMANENT_REVERTS = new Set(["WrongScope", "WrongTreeDepth", "MalformedMessage", "StaleSequence", "InvalidProof"]);

/** 30 s for a consent write's confirmations (a decision's proof check makes its block slower to come). */
const CONFIRM_TIMEOUT_MS = 30_000;

async function blockTime(chain: Chain, blockNumber: number): Promise<Date> {
  const block = await chain.provider.getBlock(blockNumber);
  if (!block) throw new Error(`block ${blockNumber} not found`);
  return new Date(block.timestamp * 1000);
}

// ─── 1. consent-text versions ───────────────────────────────────────────────────────────────────

type TextWrite = Awaited<ReturnType<typeof nextConsentVersionWrites>>[number];

export const consentTextPump: Pump<TextWrite> = {
  name: "consent",
  due: (now) => nextConsentVersionWrites(now),
  describe: (write) => ({ label: `${write.trial.registrationNumber} consent version ${write.version}`, attempts: write.chainAttempts }),
  sentTx: (write) => (write.chainStatus === "SENT" ? write.chainTxHash : null),
  async findOnChain(chain, write) {
    const consent = chain.contracts.ConsentRegistry;
    const onChain = Number(await consent.consentVersionOf(write.trial.chainTrialId));
    if (onChain < write.version) return null;
    const digest = await consent.consentTextDigest(write.trial.chainTrialId, write.version);
    if (digest.toLowerCase() !== write.digest) throw new Error(`chain holds another digest for ${write.trial.registrationNumber} consent version ${write.version}`);
    await textWrites.markConfirmed(write.id, write.chainTxHash);
    return "confirmed";
  },
  async send(chain, write) {
    if (!(await chain.contracts.TrialRegistry.isRegistered(write.trial.chainTrialId))) {
      throw new Error("the trial is not registered on chain yet");
    }
    return (await chain.contracts.ConsentRegistry.publishConsentText(write.trial.chainTrialId, write.version, write.digest)).hash;
  },
  markSent: (_chain, write, txHash) => textWrites.markSent(write.id, txHash).then(() => undefined),
  markUnsent: (write, reason) => textWrites.markUnsent(write.id, reason).then(() => undefined),
  async markConfirmed(_chain, write, receipt) {
    await textWrites.markConfirmed(write.id, receipt.hash);
    return "confirmed";
  },
  markFailed: (write, error, retryAt) => textWrites.markFailed(write.id, error, retryAt).then(() => undefined),
  confirmTimeoutMs: CONFIRM_TIMEOUT_MS,
};

// ─── 2. enrolment ───────────────────────────────────────────────────────────────────────────────

type Member = Awaited<ReturnType<typeof nextEnrolments>>[number][number];

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
    const added = eventArgs<SemaphoreEvents, "MembersAdded">(log, "MembersAdded");
    if (!added) continue;
    const startIndex = Number(added.startIndex);
    const commitments = added.identityCommitments.map(String);
    const members = commitments.flatMap((c, i) => {
      const id = byCommitment.get(c);
      return id ? [{ id, leafIndex: startIndex + i }] : [];
    });
    for (const member of members) confirmed.add(member.id);
    await memberWrites.markConfirmed({
      trialId,
      txHash: log.transactionHash,
      members,
      root: {
        root: String(added.merkleTreeRoot),
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

/**
 * One trial's queued members, as one write: `pending` are the ones not on chain yet (found by
 * findOnChain), `sent` the ones the current transaction carries.
 */
type Enrolment = { members: Member[]; pending: Member[]; sent: Member[] };

/** The enrolment pump; `counts` receives how many members it confirmed and refused (they are not writes). */
function enrolmentPump(counts: { enrolled: number; rejected: number }, log?: (line: string) => void): Pump<Enrolment> {
  const first = (write: Enrolment) => write.members[0];
  const ids = (members: readonly Member[]) => members.map((m) => m.id);
  return {
    name: "consent",
    async due(now) {
      return (await nextEnrolments(now)).filter((batch) => batch.length > 0).map((members) => ({ members, pending: members, sent: [] }));
    },
    describe: (write) => ({
      label: `enrolment in ${first(write)?.trial.registrationNumber ?? "?"}`,
      attempts: Math.min(...write.members.map((m) => m.attempts)),
    }),
    sentTx(write) {
      write.sent = write.pending.filter((m) => m.status === "SENT" && m.txHash);
      return write.sent[0]?.txHash ?? null;
    },
    async findOnChain(chain, write) {
      const member = first(write);
      if (!member) return "confirmed";
      const [exists, groupId] = await chain.contracts.ConsentRegistry.groupOf(member.trial.chainTrialId);
      // Only the members not on chain yet go on: one already there (its transaction mined before a
      // crash could record it) would make the simulation revert and, split out, be taken for bad.
      if (!exists) return null;
      const already = await syncGroup(chain, member.trialId, groupId, write.members);
      counts.enrolled += already.size;
      write.pending = write.members.filter((m) => !already.has(m.id));
      return write.pending.length === 0 ? "confirmed" : null;
    },
    async send(chain, write) {
      const member = first(write);
      if (!member) return null;
      // Simulated first, so a batch the chain refuses is split before anything is sent.
      const { admissible, refused } = await splitRefused(chain, member.trial.chainTrialId, write.pending);
      for (const { member: bad, reason } of refused) {
        await memberWrites.markRejected(bad.id, `refused by the chain: ${reason}`);
        counts.rejected++;
      }
      for (const { reason } of refused) {
        log?.(`[consent] a commitment queued for ${member.trial.registrationNumber} was refused by the chain (${reason}); the others go on`);
      }
      if (admissible.length === 0) return null;
      write.sent = admissible;
      return (await chain.contracts.ConsentRegistry.enrol(member.trial.chainTrialId, admissible.map((m) => BigInt(m.commitment)))).hash;
    },
    markSent: async (_chain, write, txHash) => void (await memberWrites.markSent(ids(write.sent), txHash)),
    markUnsent: async (write) => void (await memberWrites.markUnsent(ids(write.sent))),
    // Mined but reverted (the chain changed between simulation and mining): back to the queue,
    // where the next run simulates it again and splits it, instead of waiting on it forever.
    markReverted: async (write) => void (await memberWrites.markUnsent(ids(write.sent))),
    async markConfirmed(chain, write) {
      const member = first(write);
      if (!member) return "confirmed";
      const [, groupId] = await chain.contracts.ConsentRegistry.groupOf(member.trial.chainTrialId);
      counts.enrolled += (await syncGroup(chain, member.trialId, groupId, write.pending)).size;
      return "confirmed";
    },
    markFailed: async (write, error, retryAt) => void (await memberWrites.markFailed(ids(write.members), error, retryAt)),
    confirmTimeoutMs: CONFIRM_TIMEOUT_MS,
  };
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

/** This decision's ConsentRecorded event (trial, nullifier and sequence), decoded; null when the chain has none. */
async function findRecorded(chain: Chain, event: Relay): Promise<ChainDecision | null> {
  const consent = chain.contracts.ConsentRegistry;
  const logs = await consent.queryFilter(consent.getEvent("ConsentRecorded")(event.trial.chainTrialId, BigInt(event.nullifier)), 0);
  for (const log of logs) {
    const recorded = eventArgs<ConsentRegistryEvents, "ConsentRecorded">(log, "ConsentRecorded");
    if (recorded?.sequence === event.sequence) return chainDecision(recorded, log, await blockTime(chain, log.blockNumber));
  }
  return null;
}

function decisionPump(log?: (line: string) => void): Pump<Relay> {
  return {
    name: "consent",
    due: (now) => nextConsentRelays(now),
    describe: (event) => ({ label: `decision ${event.position} in ${event.trial.registrationNumber}`, attempts: event.attempts }),
    sentTx: (event) => (event.status === "SENT" ? event.txHash : null),
    async findOnChain(chain, event) {
      const [, , lastSequence] = await chain.contracts.ConsentRegistry.decisionOf(event.trial.chainTrialId, BigInt(event.nullifier));
      if (lastSequence < event.sequence) return null;
      // Either this decision is on chain (sent by a run that died, or by anyone: submitting is open),
      // or a later one got there first and this one can no longer be.
      const recorded = await findRecorded(chain, event);
      if (recorded) {
        // The chain's decision, not this row's: another decision with this nullifier and sequence may
        // have reached the contract first (sent there directly), and the row must say what it proves.
        await recordChainDecisions({ chainId: chain.chainId, decisions: [recorded] });
        return "confirmed";
      }
      await decisionWrites.markRejected(event.id, "superseded: a later decision of this pseudonym reached the chain first");
      return "rejected";
    },
    async send(chain, event) {
      const consent = chain.contracts.ConsentRegistry;
      const chainTrialId = event.trial.chainTrialId;
      const proof = proofOf(event, await consent.consentScope(chainTrialId));
      try {
        await consent.submitConsent.staticCall(chainTrialId, proof, { gasLimit: CONSENT_GAS_LIMIT });
      } catch (error) {
        const revert = revertName(error, consentRegistryErrors);
        if (revert && (PERMANENT_REVERTS.has(revert) || revert.startsWith("Semaphore__"))) {
          await decisionWrites.markRejected(event.id, `refused by the chain: ${revert}`);
          log?.(`[consent] decision ${event.position} in ${event.trial.registrationNumber} refused by the chain: ${revert}`);
          return null;
        }
        throw error;
      }
      return (await consent.submitConsent(chainTrialId, proof, { gasLimit: CONSENT_GAS_LIMIT })).hash;
    },
    markSent: async (_chain, event, txHash) => void (await decisionWrites.markSent(event.id, txHash)),
    markUnsent: async (event) => void (await decisionWrites.markUnsent(event.id)),
    async markConfirmed(chain, event, receipt) {
      await decisionWrites.markConfirmed(event.id, {
        chainId: chain.chainId,
        txHash: receipt.hash,
        blockNumber: receipt.blockNumber,
        blockTime: await blockTime(chain, receipt.blockNumber),
      });
      return "confirmed";
    },
    markFailed: async (event, error, retryAt) => void (await decisionWrites.markFailed(event.id, error, retryAt)),
    confirmTimeoutMs: CONFIRM_TIMEOUT_MS,
  };
}

// ─── 4. decisions anyone sent ───────────────────────────────────────────────────────────────────

/** A ConsentRecorded event as the database records it. */
function chainDecision(args: ConsentRegistryEvents["ConsentRecorded"], log: { transactionHash: string; blockNumber: number }, time: Date): ChainDecision {
  return {
    chainTrialId: args.trialId.toLowerCase(),
    nullifier: args.nullifier.toString(),
    sequence: args.sequence,
    grants: args.grants.toString(),
    textVersion: Number(args.textVersion),
    message: args.message.toString(),
    merkleTreeRoot: args.merkleTreeRoot.toString(),
    merkleTreeDepth: Number(args.merkleTreeDepth),
    points: args.points.map(String),
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
        const recorded = eventArgs<ConsentRegistryEvents, "ConsentRecorded">(log, "ConsentRecorded");
        if (!recorded) continue;
        if (!times.has(log.blockNumber)) times.set(log.blockNumber, await blockTime(chain, log.blockNumber));
        decisions.push(chainDecision(recorded, log, times.get(log.blockNumber) ?? new Date(0)));
      }
      const changed = await recordChainDecisions({ chainId: chain.chainId, decisions, cursor: { key, nextBlock: to + 1 } });
      summary.indexed += changed;
      if (changed > 0) opts.log?.(`[consent] ${changed} decision(s) read from the chain (blocks ${from}–${to})`);
      from = to + 1;
    }
  } catch (error) {
    summary.failed++;
    opts.log?.(`[consent] reading decisions from the chain: ${messageOf(error)}`);
  }
}

/**
 * Does all the relay work there is now: the three pumps in order, then the indexer. Failures are
 * recorded on the rows and retried with backoff. The pumps send nothing while another instance
 * holds the outbox lease; the indexer only reads the chain and runs either way.
 */
export async function runConsentRelayOnce(opts: RelayOptions): Promise<RelaySummary> {
  const summary: RelaySummary = { published: 0, enrolled: 0, recorded: 0, rejected: 0, indexed: 0, failed: 0 };
  const add = (step: PumpSummary) => {
    summary.rejected += step.rejected;
    summary.failed += step.failed;
    return step;
  };
  summary.published = add(await runPump(consentTextPump, opts)).confirmed;
  summary.recorded = add(await runPump(decisionPump(opts.log), opts)).confirmed;
  const members = { enrolled: 0, rejected: 0 };
  // A batch of members is one write; what counts here is its members.
  summary.failed += (await runPump(enrolmentPump(members, opts.log), opts)).failed;
  summary.enrolled = members.enrolled;
  summary.rejected += members.rejected;
  await indexDecisions(opts, summary);
  return summary;
}
