import { sha256 } from "@noble/hashes/sha256";
import { Contract, Interface, type Provider } from "ethers";
import { consentRegistryAbi, semaphoreAbi } from "@/lib/chain/generated/abis";
import type { ConsentEventView, ConsentItemView, ConsentVersionView } from "@/lib/consent/device";
import { unpackConsentMessage } from "@/lib/consent/message";
import { shortPseudonym } from "@/lib/consent/pseudonym";
import { type Decision, type TallyRow, currentItems, latestDecisions, tallyDecisions } from "@/lib/consent/tally";

export { currentItems, latestDecisions, shortPseudonym, tallyDecisions, type Decision, type TallyRow };

/**
 * "Verify all" on the public consent page: re-derive a trial's consent from the chain alone and
 * compare it with what the portal shows. Isomorphic (browser and Node): the I/O comes in as a
 * `ConsentChainReader` and a proof verifier, so everything here runs in unit tests without a chain.
 *
 * What the chain proves and what it does not: every decision, with its full Semaphore proof, is in
 * ConsentRegistry's ConsentRecorded logs, and each consent-text version's SHA-256 digest is in
 * `consentTextDigest`; the item texts themselves only come from the portal. So the texts are checked
 * against those digests, and then the tally is recounted from the logs with the server's rule.
 */

// ─── What the page gives (serialisable props) ───────────────────────────────────────────────────

// The shapes of the public consent API (lib/consent/device.ts), less what verifying does not need.
export type PortalItem = ConsentItemView;
export type PortalVersion = Omit<ConsentVersionView, "createdAt">;
export type EventStatus = ConsentEventView["status"];
/** One decision as `getConsentEvents` lists it (decimal strings for the 64- and 256-bit values). */
export type PortalEvent = Omit<ConsentEventView, "blockTime" | "reason" | "anonymitySet" | "proof"> & { proof: Omit<ConsentEventView["proof"], "nullifier"> };
export type PortalConsent = {
  versions: PortalVersion[];
  /** Confirmed members of the trial's group, as the page counts them. */
  groupSize: number;
  /** The page's tally (every accepted decision, recorded on chain or not). */
  tally: TallyRow[];
  events: PortalEvent[];
};

// ─── What the chain gives ───────────────────────────────────────────────────────────────────────

/** One ConsentRecorded log, values as decimal strings. */
export type ChainEvent = Decision & {
  merkleTreeRoot: string;
  merkleTreeDepth: number;
  message: string;
  points: string[];
  blockNumber: number;
  txHash: string;
  logIndex: number;
};

/**
 * Reads one trial's consent from the chain. Every read must be pinned to the same block, so that
 * the logs, the group and the contract's state describe one moment.
 */
export type ConsentChainReader = {
  blockNumber: number;
  consentEvents(): Promise<ChainEvent[]>;
  /** Every Merkle root the trial's Semaphore group has had (decimal); empty when there is no group. */
  groupRoots(): Promise<string[]>;
  groupSize(): Promise<number>;
  decidedCount(): Promise<number>;
  /** The contract's latest decision for a pseudonym (sequence "0" when it never decided). */
  decisionOf(nullifier: string): Promise<Omit<Decision, "nullifier">>;
  /** The latest consent-text version published on chain; 0 when none. */
  publishedVersion(): Promise<number>;
  /** The digest published for a version ("0x" + 64 hex, lowercase); null when unpublished. */
  textDigest(version: number): Promise<string | null>;
};

/** A Semaphore proof as `verifyProof` takes it. */
export type ProofToVerify = {
  merkleTreeDepth: number;
  merkleTreeRoot: string;
  nullifier: string;
  message: string;
  scope: string;
  points: string[];
};

export type Discrepancy = {
  kind:
    | "proof"
    | "message"
    | "root"
    | "missing-on-chain"
    | "missing-in-portal"
    | "altered"
    | "status"
    | "chain-state"
    | "tally"
    | "page-tally"
    | "group-size"
    | "text"
    | "digest";
  message: string;
};

// ─── Consent texts ──────────────────────────────────────────────────────────────────────────────

/**
 * The digest the portal froze for a version (saveConsentItems): SHA-256 of the RFC 8785 canonical
 * JSON of its items, "0x" + hex. For this one fixed shape JCS is JSON.stringify with the members in
 * code-unit order (ifGranted, ifWithheld, number, text); lib/registry/canonical-json.ts, the general
 * implementation, imports node:crypto and so cannot reach the browser. The unit test pins the two
 * together.
 */
export function consentTextDigest(items: readonly PortalItem[]): string {
  const canonical = JSON.stringify(
    items.map((i) => ({ ifGranted: i.ifGranted, ifWithheld: i.ifWithheld, number: i.number, text: i.text })),
  );
  const bytes = sha256(new TextEncoder().encode(canonical));
  return `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

// ─── Comparing ──────────────────────────────────────────────────────────────────────────────────

const key = (d: { nullifier: string; sequence: string }) => `${d.nullifier}:${d.sequence}`;

/** Problems with a log's own consistency: its message must decode to its grants, version and sequence. */
export function checkEventMessage(event: ChainEvent): string | null {
  const decoded = unpackConsentMessage(BigInt(event.message));
  if (!decoded) return "its proof's message is not a consent decision";
  const mismatches: string[] = [];
  if (decoded.grants.toString() !== event.grants) mismatches.push(`grants ${decoded.grants} ≠ ${event.grants}`);
  if (decoded.textVersion !== event.textVersion) mismatches.push(`text version ${decoded.textVersion} ≠ ${event.textVersion}`);
  if (decoded.sequence.toString() !== event.sequence) mismatches.push(`sequence ${decoded.sequence} ≠ ${event.sequence}`);
  return mismatches.length ? `its proof's message says ${mismatches.join(", ")} (message vs event)` : null;
}

const STATUS_WORD: Record<Exclude<EventStatus, "RECORDED">, string> = {
  PENDING: "waiting to be sent",
  SENT: "sent, awaiting confirmation",
  REJECTED: "refused by the chain",
};

/**
 * Check (a): every decision the portal lists as recorded is on chain, with the same pseudonym,
 * sequence, grants, text version, proof and transaction; and every decision on chain is listed as
 * recorded. A decision on chain that the portal still lists as pending or sent is reported too (the
 * portal waits for confirmations; reloading usually clears it).
 */
export function compareEvents(portal: readonly PortalEvent[], chain: readonly ChainEvent[]): Discrepancy[] {
  const out: Discrepancy[] = [];
  const onChain = new Map(chain.map((e) => [key(e), e]));
  const listed = new Set<string>();
  for (const event of portal) {
    listed.add(key(event));
    const found = onChain.get(key(event));
    const name = `Decision ${event.position} (pseudonym ${shortPseudonym(event.nullifier)}, sequence ${event.sequence})`;
    if (event.status !== "RECORDED") {
      if (found) {
        out.push({
          kind: "status",
          message: `${name} is on chain (block ${found.blockNumber}) but the portal lists it as ${STATUS_WORD[event.status]}. Reload the page and verify again; if it stays, the portal is wrong.`,
        });
      }
      continue;
    }
    if (!found) {
      out.push({ kind: "missing-on-chain", message: `${name} is listed as recorded on chain, but the chain has no such decision.` });
      continue;
    }
    const differences: string[] = [];
    if (found.grants !== event.grants) differences.push(`grants ${event.grants} on the page, ${found.grants} on chain`);
    if (found.textVersion !== event.textVersion) differences.push(`text version ${event.textVersion} on the page, ${found.textVersion} on chain`);
    if (
      found.message !== event.proof.message ||
      found.merkleTreeRoot !== event.proof.merkleTreeRoot ||
      found.merkleTreeDepth !== event.proof.merkleTreeDepth ||
      found.points.join(",") !== event.proof.points.join(",")
    ) {
      differences.push("the proof on the page is not the proof on chain");
    }
    if (event.txHash !== null && event.txHash.toLowerCase() !== found.txHash.toLowerCase()) {
      differences.push(`transaction ${event.txHash} on the page, ${found.txHash} on chain`);
    }
    if (event.blockNumber !== null && event.blockNumber !== found.blockNumber) {
      differences.push(`block ${event.blockNumber} on the page, ${found.blockNumber} on chain`);
    }
    if (differences.length) out.push({ kind: "altered", message: `${name} differs: ${differences.join("; ")}.` });
  }
  for (const event of chain) {
    if (listed.has(key(event))) continue;
    out.push({
      kind: "missing-in-portal",
      message: `The chain has a decision the page does not list: pseudonym ${shortPseudonym(event.nullifier)}, sequence ${event.sequence}, block ${event.blockNumber}, transaction ${event.txHash}. If it is recent, reload the page and verify again.`,
    });
  }
  return out;
}

/** Differences between two tallies' granted and withdrawn counts, item by item. */
export function compareTallies(opts: { expected: readonly TallyRow[]; actual: readonly TallyRow[]; kind: "tally" | "page-tally"; expectedName: string; actualName: string }): Discrepancy[] {
  const out: Discrepancy[] = [];
  const actual = new Map(opts.actual.map((row) => [row.number, row]));
  const numbers = new Set([...opts.expected.map((r) => r.number), ...opts.actual.map((r) => r.number)]);
  for (const number of [...numbers].sort((a, b) => a - b)) {
    const e = opts.expected.find((r) => r.number === number);
    const a = actual.get(number);
    if (!e || !a) {
      out.push({ kind: opts.kind, message: `Item ${number} is in ${e ? opts.expectedName : opts.actualName} only.` });
      continue;
    }
    if (e.granted !== a.granted || e.withdrawn !== a.withdrawn) {
      out.push({
        kind: opts.kind,
        message: `Item ${number} — ${opts.expectedName}: ${e.granted} granted, ${e.withdrawn} withdrawn; ${opts.actualName}: ${a.granted} granted, ${a.withdrawn} withdrawn.`,
      });
    }
  }
  return out;
}

// ─── The whole run ──────────────────────────────────────────────────────────────────────────────

export type VerifyProgress =
  | { phase: "chain"; detail: string }
  | { phase: "proofs"; done: number; total: number }
  | { phase: "compare" };

export type Check = { label: string; ok: boolean; detail: string };

export type VerificationReport = {
  blockNumber: number;
  /** ConsentRecorded logs read. */
  proofs: number;
  /** Of those, proofs whose SNARK verifies. */
  verified: number;
  /** Decisions the page lists as pending or sent: counted in the page's tally, not on chain yet. */
  pending: number;
  groupSize: number;
  chainTally: TallyRow[];
  checks: Check[];
  discrepancies: Discrepancy[];
};

/** The sentence a person reads first. */
export function verdict(report: Pick<VerificationReport, "proofs" | "discrepancies">): string {
  const n = report.discrepancies.length;
  if (n > 0) return `${n} ${n === 1 ? "discrepancy" : "discrepancies"} found between the portal and the chain`;
  if (report.proofs === 0) return "No decisions are on chain yet, and the tally matches the chain";
  if (report.proofs === 1) return "The 1 proof verifies and the tally matches the chain";
  return `All ${report.proofs} proofs verify and the tally matches the chain`;
}

/** How many `decisionOf` reads run at once: enough to hide latency, few enough for a public RPC's rate limit. */
const STATE_READS_IN_FLIGHT = 8;

/**
 * Verifies a trial's consent against the chain: reads the logs and the contract's state, checks
 * every proof (message, root, SNARK with `scope`), checks the texts against the chain's digests,
 * recounts the tally and compares all of it with the page. Throws only when the chain cannot be
 * read; everything it finds is in the report.
 */
export async function verifyConsent(opts: {
  portal: PortalConsent;
  chain: ConsentChainReader;
  /** The trial's consent scope (decimal), from consentScope(chainId, ConsentRegistry, trial). */
  scope: string;
  verifyProof: (proof: ProofToVerify) => Promise<boolean>;
  onProgress?: (progress: VerifyProgress) => void;
}): Promise<VerificationReport> {
  const { portal, chain } = opts;
  const checks: Check[] = [];
  const discrepancies: Discrepancy[] = [];

  opts.onProgress?.({ phase: "chain", detail: `Reading consent decisions from the chain (up to block ${chain.blockNumber})` });
  const events = [...(await chain.consentEvents())].sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  opts.onProgress?.({ phase: "chain", detail: "Reading the trial's group and the consent-text digests from the chain" });
  const [roots, groupSize, decidedCount, publishedVersion] = await Promise.all([
    chain.groupRoots(),
    chain.groupSize(),
    chain.decidedCount(),
    chain.publishedVersion(),
  ]);
  const digests = await Promise.all(portal.versions.map((v) => chain.textDigest(v.version)));

  // Proofs: message, root, then the SNARK (the costly part, 20–40 ms each).
  const knownRoots = new Set(roots);
  let verified = 0;
  let messagesOk = 0;
  let rootsOk = 0;
  opts.onProgress?.({ phase: "proofs", done: 0, total: events.length });
  for (const [index, event] of events.entries()) {
    const name = `The decision in block ${event.blockNumber} (pseudonym ${shortPseudonym(event.nullifier)}, sequence ${event.sequence})`;
    const messageProblem = checkEventMessage(event);
    if (messageProblem) discrepancies.push({ kind: "message", message: `${name}: ${messageProblem}.` });
    else messagesOk++;
    if (knownRoots.has(event.merkleTreeRoot)) rootsOk++;
    else discrepancies.push({ kind: "root", message: `${name} is proven over Merkle root ${event.merkleTreeRoot}, which the trial's group never had.` });
    const proof = { merkleTreeDepth: event.merkleTreeDepth, merkleTreeRoot: event.merkleTreeRoot, nullifier: event.nullifier, message: event.message, scope: opts.scope, points: event.points };
    const valid = event.points.length === 8 && (await opts.verifyProof(proof).catch(() => false));
    if (valid) verified++;
    else discrepancies.push({ kind: "proof", message: `${name}: its zero-knowledge proof does not verify for this trial's scope.` });
    opts.onProgress?.({ phase: "proofs", done: index + 1, total: events.length });
  }
  checks.push({ label: "Zero-knowledge proofs re-verified in this browser", ok: verified === events.length, detail: `${verified} of ${events.length} verify (Semaphore v4, scope ${opts.scope})` });
  checks.push({ label: "Each proof's message is its event's decision", ok: messagesOk === events.length, detail: `${messagesOk} of ${events.length} decode to the event's grants, text version and sequence` });
  checks.push({ label: "Each proof is over a membership list the trial's group had", ok: rootsOk === events.length, detail: `${rootsOk} of ${events.length} roots appear in Semaphore's member events (${knownRoots.size} ${knownRoots.size === 1 ? "root" : "roots"} known)` });

  opts.onProgress?.({ phase: "chain", detail: "Checking the logs against the contract's state" });
  const chainLatest = latestDecisions(events);
  const stateProblems: Discrepancy[] = [];
  if (decidedCount !== chainLatest.length) {
    stateProblems.push({ kind: "chain-state", message: `The contract counts ${decidedCount} pseudonyms that decided, the logs ${chainLatest.length}: the RPC did not return every log.` });
  }
  for (let start = 0; start < chainLatest.length; start += STATE_READS_IN_FLIGHT) {
    const batch = chainLatest.slice(start, start + STATE_READS_IN_FLIGHT);
    const states = await Promise.all(batch.map((d) => chain.decisionOf(d.nullifier)));
    batch.forEach((d, i) => {
      const state = states[i];
      if (state && state.sequence === d.sequence && state.grants === d.grants && state.textVersion === d.textVersion) return;
      stateProblems.push({
        kind: "chain-state",
        message: `The contract's current decision for pseudonym ${shortPseudonym(d.nullifier)} (sequence ${state?.sequence ?? "?"}) is not its latest logged one (sequence ${d.sequence}).`,
      });
    });
  }
  discrepancies.push(...stateProblems);
  checks.push({ label: "The logs agree with the contract's state", ok: stateProblems.length === 0, detail: `decidedCount ${decidedCount}; decisionOf checked for ${chainLatest.length} pseudonyms` });

  opts.onProgress?.({ phase: "compare" });

  // Texts: the page's texts must hash to the page's digests, and those must be the chain's.
  const textProblems: Discrepancy[] = [];
  portal.versions.forEach((v, i) => {
    const recomputed = consentTextDigest(v.items);
    if (recomputed !== v.digest.toLowerCase()) {
      textProblems.push({ kind: "text", message: `The item texts shown for version ${v.version} do not hash to its digest ${v.digest} (they hash to ${recomputed}).` });
    }
    const onChain = digests[i] ?? null;
    if (onChain === null) {
      if (v.chainStatus === "CONFIRMED") textProblems.push({ kind: "digest", message: `Version ${v.version} is listed as published, but the chain has no digest for it.` });
      return;
    }
    if (onChain !== v.digest.toLowerCase()) {
      textProblems.push({ kind: "digest", message: `Version ${v.version}: the page's digest ${v.digest} is not the chain's ${onChain}.` });
    }
  });
  const listedVersions = new Set(portal.versions.map((v) => v.version));
  for (let version = 1; version <= publishedVersion; version++) {
    if (!listedVersions.has(version)) textProblems.push({ kind: "digest", message: `The chain has consent-text version ${version}; the page does not list it.` });
  }
  for (const version of new Set(events.map((e) => e.textVersion))) {
    if (!listedVersions.has(version)) textProblems.push({ kind: "digest", message: `Decisions on chain were made on consent-text version ${version}, which the page does not list.` });
  }
  discrepancies.push(...textProblems);
  const anchored = digests.filter((d) => d !== null).length;
  checks.push({
    label: "Item texts match the digests on chain",
    ok: textProblems.length === 0,
    detail: `${portal.versions.length} version(s) hashed here; ${anchored} digest(s) published on chain, ${publishedVersion} version(s) on chain`,
  });

  // (a) the portal's events against the chain's.
  const eventProblems = compareEvents(portal.events, events);
  discrepancies.push(...eventProblems);
  const recorded = portal.events.filter((e) => e.status === "RECORDED");
  checks.push({
    label: "Recorded decisions on the page are the decisions on chain, one for one",
    ok: eventProblems.length === 0,
    detail: `${recorded.length} listed as recorded, ${events.length} on chain`,
  });

  // (b) tallies: the chain's against one from the portal's recorded decisions (the page's own
  // tally also counts decisions not on chain yet); then the page's tally against its own list.
  const chainTally = tallyDecisions({ decisions: events, versions: portal.versions, groupSize });
  const recordedTally = tallyDecisions({ decisions: recorded, versions: portal.versions, groupSize: portal.groupSize });
  const tallyProblems = compareTallies({ expected: recordedTally, actual: chainTally, kind: "tally", expectedName: "the portal's recorded decisions", actualName: "the chain" });
  discrepancies.push(...tallyProblems);
  checks.push({ label: "The tally of recorded decisions matches the chain", ok: tallyProblems.length === 0, detail: `${chainLatest.length} pseudonyms' latest decisions counted from the chain` });

  const standing = portal.events.filter((e) => e.status !== "REJECTED");
  const listTally = tallyDecisions({ decisions: standing, versions: portal.versions, groupSize: portal.groupSize });
  const pageProblems = compareTallies({ expected: listTally, actual: portal.tally, kind: "page-tally", expectedName: "the page's list of decisions", actualName: "the page's tally" });
  portal.tally.forEach((row) => {
    const own = listTally.find((r) => r.number === row.number);
    if (own && own.granted === row.granted && own.withdrawn === row.withdrawn && own.notAnswered !== row.notAnswered) {
      pageProblems.push({ kind: "page-tally", message: `Item ${row.number}: the page says ${row.notAnswered} not yet answered, but its group of ${portal.groupSize} minus its answers leaves ${own.notAnswered}.` });
    }
  });
  discrepancies.push(...pageProblems);
  checks.push({ label: "The page's tally follows from the decisions it lists", ok: pageProblems.length === 0, detail: `${standing.length} decisions not refused by the chain` });

  const groupOk = groupSize === portal.groupSize;
  if (!groupOk) {
    discrepancies.push({ kind: "group-size", message: `The trial's group has ${groupSize} members on chain; the page counts ${portal.groupSize}. If someone just enrolled, reload the page and verify again.` });
  }
  checks.push({ label: "Group size matches the chain", ok: groupOk, detail: `${groupSize} members on chain` });

  const pending = portal.events.filter((e) => e.status === "PENDING" || e.status === "SENT").length;
  return { blockNumber: chain.blockNumber, proofs: events.length, verified, pending, groupSize, chainTally, checks, discrepancies };
}

// ─── Reading the chain with ethers ──────────────────────────────────────────────────────────────

/**
 * Fetches `from`..`to` in one request, and when the RPC refuses (hosted RPCs cap a log query's block
 * range or result size, each differently), in halves, recursively. Results come back in block order.
 */
export async function collectInRanges<T>(from: number, to: number, fetch: (from: number, to: number) => Promise<T[]>): Promise<T[]> {
  if (from > to) return [];
  try {
    return await fetch(from, to);
  } catch (error) {
    if (from === to) throw error;
    const middle = Math.floor((from + to) / 2);
    return [...(await collectInRanges(from, middle, fetch)), ...(await collectInRanges(middle + 1, to, fetch))];
  }
}

const registryInterface = new Interface(consentRegistryAbi);
const semaphoreInterface = new Interface(semaphoreAbi);
const MEMBER_EVENTS = ["MembersAdded", "MemberAdded", "MemberUpdated", "MemberRemoved"] as const;

const hexDigest = (value: unknown): string | null => {
  const digest = String(value).toLowerCase();
  return /^0x0{64}$/.test(digest) ? null : digest;
};

/**
 * A ConsentChainReader over an ethers provider (the browser opens it with lib/chain/rpc.ts
 * openProvider and the portal's trusted ConsentRegistry address), pinned to the latest block.
 * @param fromBlock where to start reading logs: the ConsentRegistry's deployment block
 */
export async function openConsentChainReader(opts: {
  provider: Provider;
  consentRegistry: string;
  chainTrialId: string;
  fromBlock: number;
}): Promise<ConsentChainReader> {
  const { provider, chainTrialId } = opts;
  const blockTag = await provider.getBlockNumber();
  const registry = new Contract(opts.consentRegistry, consentRegistryAbi, provider);
  const call = async (name: string, ...args: unknown[]): Promise<unknown> => registry.getFunction(name).staticCallResult(...args, { blockTag });
  const group = async () => {
    const [exists, groupId] = (await call("groupOf", chainTrialId)) as [boolean, bigint];
    if (!exists) return null;
    const [semaphore] = (await call("semaphore")) as [string];
    return { groupId, semaphore: new Contract(semaphore, semaphoreAbi, provider), address: semaphore };
  };
  let groupPromise: ReturnType<typeof group> | undefined;
  const theGroup = () => (groupPromise ??= group());

  const trialTopic = registryInterface.getEvent("ConsentRecorded")?.topicHash;
  if (!trialTopic) throw new Error("ConsentRecorded is missing from the ConsentRegistry ABI");

  return {
    blockNumber: blockTag,
    async consentEvents() {
      const logs = await collectInRanges(opts.fromBlock, blockTag, (fromBlock, toBlock) =>
        provider.getLogs({ address: opts.consentRegistry, topics: [trialTopic, chainTrialId], fromBlock, toBlock }),
      );
      return logs.flatMap((log) => {
        const parsed = registryInterface.parseLog(log);
        if (parsed?.name !== "ConsentRecorded") return [];
        const arg = (name: string) => parsed.args.getValue(name) as bigint;
        return [
          {
            nullifier: arg("nullifier").toString(),
            grants: arg("grants").toString(),
            textVersion: Number(arg("textVersion")),
            sequence: arg("sequence").toString(),
            merkleTreeRoot: arg("merkleTreeRoot").toString(),
            merkleTreeDepth: Number(arg("merkleTreeDepth")),
            message: arg("message").toString(),
            points: (parsed.args.getValue("points") as bigint[]).map(String),
            blockNumber: log.blockNumber,
            txHash: log.transactionHash,
            logIndex: log.index,
          },
        ];
      });
    },
    async groupRoots() {
      const found = await theGroup();
      if (!found) return [];
      const topics = MEMBER_EVENTS.flatMap((name) => semaphoreInterface.getEvent(name)?.topicHash ?? []);
      const groupTopic = `0x${found.groupId.toString(16).padStart(64, "0")}`;
      const logs = await collectInRanges(opts.fromBlock, blockTag, (fromBlock, toBlock) =>
        provider.getLogs({ address: found.address, topics: [topics, groupTopic], fromBlock, toBlock }),
      );
      return logs.flatMap((log) => {
        const parsed = semaphoreInterface.parseLog(log);
        return parsed ? [String(parsed.args.getValue("merkleTreeRoot") as bigint)] : [];
      });
    },
    async groupSize() {
      const found = await theGroup();
      if (!found) return 0;
      const [size] = (await found.semaphore.getFunction("getMerkleTreeSize").staticCallResult(found.groupId, { blockTag })) as unknown as [bigint];
      return Number(size);
    },
    async decidedCount() {
      const [count] = (await call("decidedCount", chainTrialId)) as [bigint];
      return Number(count);
    },
    async decisionOf(nullifier) {
      const [grants, textVersion, sequence] = (await call("decisionOf", chainTrialId, BigInt(nullifier))) as [bigint, bigint, bigint];
      return { grants: grants.toString(), textVersion: Number(textVersion), sequence: sequence.toString() };
    },
    async publishedVersion() {
      const [version] = (await call("consentVersionOf", chainTrialId)) as [bigint];
      return Number(version);
    },
    async textDigest(version) {
      const [digest] = (await call("consentTextDigest", chainTrialId, version)) as [string];
      return hexDigest(digest);
    },
  };
}
