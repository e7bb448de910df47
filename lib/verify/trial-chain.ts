import { createHash } from "node:crypto";
import { Contract, EventLog, type Provider } from "ethers";
import { abis } from "@/lib/chain/generated/abis";

/**
 * Verifying a trial's version history against TrialRegistry, for `trialledger verify-trial`.
 * The chain is the authority: the portal, when asked at all, is only a source of record bytes,
 * each checked against the digest the chain holds for its version. No server-only imports: this
 * runs in the CLI, outside the portal.
 */

/** TrialRegistry's id of a trial: the SHA-256 of its registration number (as lib/registry/service). */
export function trialIdOf(registrationNumber: string): string {
  return `0x${createHash("sha256").update(registrationNumber, "utf8").digest("hex")}`;
}

/** SHA-256 of bytes as 0x lowercase hex, the spelling of every digest TrialLedger writes. */
export function sha256Hex(bytes: Uint8Array): string {
  return `0x${createHash("sha256").update(bytes).digest("hex")}`;
}

/** One version as the chain recorded it. */
export type ChainVersion = { version: number; digest: string; blockNumber: number; blockTime: Date; txHash: string };

/** A TrialRegistered or TrialAmended event, reduced to what the version check needs, in chain order. */
export type TrialEvent =
  | { kind: "registered"; digest: string; time: bigint; blockNumber: number; txHash: string }
  | { kind: "amended"; version: number; previousDigest: string; digest: string; time: bigint; blockNumber: number; txHash: string };

/** `trialOf(trialId)`: the contract's current state of the trial; version 0 means not registered. */
export type TrialState = { currentDigest: string; version: number; registeredAt: bigint };

export type TrialChainCheck = { ok: true; versions: ChainVersion[] } | { ok: false; reason: string };

/**
 * Checks that the events form one complete, consistent version chain ending in `state`: exactly
 * one registration, first; amendments numbered 2..n in order, each naming the digest before it as
 * its previous digest; the last version and digest equal to the contract's current ones.
 * Pure: `readTrialFromChain` gathers the inputs.
 */
export function checkVersionChain(state: TrialState, events: TrialEvent[]): TrialChainCheck {
  const registrations = events.filter((event) => event.kind === "registered");
  if (registrations.length !== 1) {
    return { ok: false, reason: `the contract emitted ${registrations.length} TrialRegistered events for this trial, not exactly one` };
  }
  const versions: ChainVersion[] = [];
  for (const [index, event] of events.entries()) {
    const expected = index + 1;
    const at = { blockNumber: event.blockNumber, blockTime: new Date(Number(event.time) * 1000), txHash: event.txHash };
    if (event.kind === "registered") {
      if (index !== 0) return { ok: false, reason: `the registration comes after ${index} amendment(s) on chain` };
      if (event.time !== state.registeredAt) {
        return { ok: false, reason: `the registration event says time ${event.time}, the contract ${state.registeredAt}` };
      }
      versions.push({ version: 1, digest: event.digest, ...at });
      continue;
    }
    if (event.version !== expected) {
      return { ok: false, reason: `amendment ${index} on chain is numbered version ${event.version}, expected ${expected}: the version chain has a gap or is out of order` };
    }
    const before = versions.at(-1)?.digest;
    if (event.previousDigest !== before) {
      return { ok: false, reason: `version ${expected} names previous digest ${event.previousDigest}, but version ${expected - 1} is ${before}` };
    }
    versions.push({ version: expected, digest: event.digest, ...at });
  }
  const last = versions.at(-1);
  if (!last || last.version !== state.version || last.digest !== state.currentDigest) {
    return {
      ok: false,
      reason: `the events end at version ${last?.version} (${last?.digest}), but the contract's current version is ${state.version} (${state.currentDigest})`,
    };
  }
  return { ok: true, versions };
}

const hex = (value: unknown) => String(value).toLowerCase();

/**
 * Reads a trial's whole version history from the TrialRegistry at `contract`: `trialOf`, and every
 * TrialRegistered/TrialAmended event for its id since block 0, then checks it with `checkVersionChain`.
 */
export async function readTrialFromChain(opts: { provider: Provider; contract: string; registrationNumber: string }): Promise<TrialChainCheck> {
  const { provider, contract, registrationNumber } = opts;
  if ((await provider.getCode(contract)) === "0x") return { ok: false, reason: `there is no contract at ${contract.toLowerCase()}` };
  const registry = new Contract(contract, abis.TrialRegistry, provider);
  const trialId = trialIdOf(registrationNumber);
  let state: TrialState;
  try {
    const [currentDigest, version, registeredAt] = (await registry.getFunction("trialOf")(trialId)) as [string, bigint, bigint];
    state = { currentDigest: hex(currentDigest), version: Number(version), registeredAt };
  } catch (error) {
    return { ok: false, reason: `the contract at ${contract.toLowerCase()} is not a TrialRegistry (trialOf failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)})` };
  }
  if (state.version === 0) {
    return { ok: false, reason: `${registrationNumber} is not registered on chain in the TrialRegistry at ${contract.toLowerCase()} (trial id ${trialId})` };
  }
  const logs = [
    ...(await registry.queryFilter(registry.filters.TrialRegistered!(trialId), 0)),
    ...(await registry.queryFilter(registry.filters.TrialAmended!(trialId), 0)),
  ]
    .filter((log): log is EventLog => log instanceof EventLog)
    .sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
  const events: TrialEvent[] = logs.map((log) => {
    const base = { blockNumber: log.blockNumber, txHash: log.transactionHash };
    if (log.eventName === "TrialRegistered") return { kind: "registered", digest: hex(log.args[1]), time: BigInt(log.args[2] as bigint), ...base };
    return {
      kind: "amended",
      version: Number(log.args[1]),
      previousDigest: hex(log.args[2]),
      digest: hex(log.args[3]),
      time: BigInt(log.args[4] as bigint),
      ...base,
    };
  });
  return checkVersionChain(state, events);
}

export type RecordCheck = { ok: true } | { ok: false; reasons: string[] };

/**
 * Checks what a portal serves against the chain: it lists the chain's versions in the chain's
 * order (with the chain's digests, when it states them), and the SHA-256 of each version's record
 * bytes is that version's on-chain digest. Every problem is reported, not just the first.
 * @param listed the versions the portal lists, in its order
 * @param records each version's record bytes as served; a missing version means the portal served none
 */
export function checkPortalRecords(opts: {
  chain: ChainVersion[];
  listed: { version: number; digest?: string }[];
  records: Map<number, Uint8Array>;
}): RecordCheck {
  const reasons: string[] = [];
  const chainOrder = opts.chain.map((v) => v.version).join(", ");
  const portalOrder = opts.listed.map((v) => v.version).join(", ");
  if (chainOrder !== portalOrder) reasons.push(`the portal lists versions [${portalOrder}], the chain has [${chainOrder}]`);
  for (const onChain of opts.chain) {
    const stated = opts.listed.find((v) => v.version === onChain.version)?.digest;
    if (stated !== undefined && stated.toLowerCase() !== onChain.digest) {
      reasons.push(`the portal states digest ${stated} for version ${onChain.version}, the chain ${onChain.digest}`);
    }
    const bytes = opts.records.get(onChain.version);
    if (!bytes) {
      reasons.push(`the portal served no record for version ${onChain.version}`);
      continue;
    }
    const digest = sha256Hex(bytes);
    if (digest !== onChain.digest) {
      reasons.push(`the record the portal serves for version ${onChain.version} has SHA-256 ${digest}, but the chain holds ${onChain.digest}: it is not the registered record`);
    }
  }
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}

/**
 * Fetches from a portal what `checkPortalRecords` needs: GET /api/trials/{n} for the version list,
 * and /api/trials/{n}/versions/{v}/record for each version the chain has.
 * @throws Error when the trial itself cannot be fetched
 */
export async function fetchPortalRecords(opts: { portal: string; registrationNumber: string; versions: number[]; fetchImpl?: typeof fetch }) {
  const get = opts.fetchImpl ?? fetch;
  const base = `${opts.portal.replace(/\/+$/, "")}/api/trials/${encodeURIComponent(opts.registrationNumber)}`;
  const response = await get(base, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`GET ${base} answered HTTP ${response.status}`);
  const body = (await response.json()) as { versions?: unknown };
  const listed = (Array.isArray(body.versions) ? body.versions : []).map((item) => {
    const v = item as { version?: unknown; digest?: unknown };
    return { version: Number(v.version), ...(typeof v.digest === "string" ? { digest: v.digest } : {}) };
  });
  const records = new Map<number, Uint8Array>();
  for (const version of opts.versions) {
    const record = await get(`${base}/versions/${version}/record`, { signal: AbortSignal.timeout(30_000) });
    if (record.ok) records.set(version, new Uint8Array(await record.arrayBuffer()));
  }
  return { listed, records };
}
