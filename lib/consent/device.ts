import type { SemaphoreProof } from "@semaphore-protocol/core";

/**
 * The participant device's conversation with the portal: plain JSON over the public consent API.
 * Every read is of public data; the device filters it locally, so the portal never learns which
 * pseudonym or commitment a device is interested in.
 */

export type ConsentItemView = { number: number; text: string; ifGranted: string[]; ifWithheld: string[] };
export type ConsentVersionView = {
  version: number;
  items: ConsentItemView[];
  /** "0x" + 64 lowercase hex digits: SHA-256 of the items' RFC 8785 canonical JSON. */
  digest: string;
  createdAt: string;
  chainStatus: "PENDING" | "SENT" | "CONFIRMED";
};
export type ConsentGroupView = {
  registrationNumber: string;
  chainId: number;
  consentRegistry: string;
  chainTrialId: string;
  scope: string;
  members: string[];
  root: string | null;
  /** A JSON-RPC endpoint of the chain for anyone (CHAIN_PUBLIC_RPC_URL); null when the portal has none. */
  rpcUrl: string | null;
  /** ConsentRegistry's deployment block: where reading its events starts. */
  fromBlock: number | null;
} & AnonymityView;
/**
 * The anonymity set: how many members the group has on chain, and how many it needs before the
 * portal accepts decisions (CONSENT_MIN_GROUP_SIZE; a proof over fewer hides its maker among fewer).
 */
export type AnonymityView = { groupSize: number; minGroupSize: number; acceptingDecisions: boolean };
export type ConsentOverviewView = {
  registrationNumber: string;
  title: string;
  chainTrialId: string;
  versions: ConsentVersionView[];
  currentVersion: number | null;
  tally: { number: number; text: string; granted: number; withdrawn: number; notAnswered: number }[];
} & AnonymityView;
export type ConsentEventView = {
  position: number;
  nullifier: string;
  sequence: string;
  grants: string;
  textVersion: number;
  status: "PENDING" | "SENT" | "RECORDED" | "REJECTED";
  txHash: string | null;
  blockNumber: number | null;
  blockTime: string | null;
  reason: string | null;
  /** Members of the group at the proof's root (null when the portal has not seen that root). */
  anonymitySet: number | null;
  proof: { merkleTreeDepth: number; merkleTreeRoot: string; nullifier: string; message: string; points: string[] };
};
export type CodeCheck = { registrationNumber: string; title: string; chainId: number; consentRegistry: string; chainTrialId: string; scope: string };

/** The portal's error message, thrown as an Error with `status` and `code`. */
export class PortalError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

async function call<T>(path: string, init?: { method: "POST"; body: unknown }): Promise<T> {
  const response = await fetch(path, {
    method: init?.method ?? "GET",
    headers: init ? { "content-type": "application/json" } : undefined,
    body: init ? JSON.stringify(init.body) : undefined,
    cache: "no-store",
  });
  const body = (await response.json().catch(() => null)) as { error?: { message?: string; code?: string } } | null;
  if (!response.ok) {
    throw new PortalError(body?.error?.message ?? `The portal answered ${response.status}.`, response.status, body?.error?.code ?? "UNKNOWN");
  }
  return body as T;
}

const trialPath = (number: string) => `/api/consent/trials/${encodeURIComponent(number)}`;

export const fetchGroup = (number: string) => call<ConsentGroupView>(`${trialPath(number)}/group`);
export const fetchOverview = (number: string) => call<ConsentOverviewView>(trialPath(number));
export const fetchEvents = async (number: string) => (await call<{ events: ConsentEventView[] }>(`${trialPath(number)}/events`)).events;
export const fetchConsentTrials = () => call<{ trials: CodeCheck[] }>("/api/consent/trials");
export const checkCode = (code: string) => call<CodeCheck>("/api/consent/enrolment/check", { method: "POST", body: { code } });
export const redeemCode = (code: string, commitment: string) =>
  call<{ status: "queued" }>("/api/consent/enrolment", { method: "POST", body: { code, commitment } });
export const postDecision = (number: string, proof: SemaphoreProof) =>
  call<{ position: number; status: string }>(`${trialPath(number)}/decisions`, { method: "POST", body: { proof } });
export const postHandover = (challenge: string, proof: SemaphoreProof) =>
  call<{ pseudonym: string }>("/api/consent/handover", { method: "POST", body: { challenge, proof } });

/** A device's own decisions, oldest first, and the one that counts now (the latest not refused). */
export function myDecisions(events: readonly ConsentEventView[], pseudonym: string) {
  const mine = events.filter((e) => e.nullifier === pseudonym).sort((a, b) => Number(BigInt(a.sequence) - BigInt(b.sequence)));
  const current = [...mine].reverse().find((e) => e.status !== "REJECTED") ?? null;
  const last = mine.at(-1);
  return { history: mine, current, nextSequence: last ? BigInt(last.sequence) + 1n : 1n };
}

export { answers } from "@/lib/consent/tally";
