import { hmac } from "@noble/hashes/hmac";
import { sha256 } from "@noble/hashes/sha256";
import { concatBytes, utf8ToBytes } from "@noble/hashes/utils";
import { Identity } from "@semaphore-protocol/core";
import { getBytes, LangEn, Mnemonic } from "ethers";
import { WalletError } from "./errors";

/**
 * A participant's keys. One random master secret per wallet; every trial identity is derived from
 * it, so the 24-word recovery phrase (the master secret in BIP-39 words) restores them all.
 */

/** 32 bytes: 256 bits of entropy, the most BIP-39 encodes (24 words). */
export const MASTER_SECRET_BYTES = 32;
export const RECOVERY_PHRASE_WORDS = 24;

/** Fresh randomness from the platform's CSPRNG (available in windows, workers and Node). */
export function createMasterSecret(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(MASTER_SECRET_BYTES));
}

function assertMaster(master: Uint8Array): void {
  if (master.length !== MASTER_SECRET_BYTES) throw new RangeError(`a master secret is ${MASTER_SECRET_BYTES} bytes, got ${master.length}`);
}

/** The master secret as 24 English BIP-39 words separated by single spaces. */
export function recoveryPhrase(master: Uint8Array): string {
  assertMaster(master);
  return Mnemonic.entropyToPhrase(master);
}

const WRONG_WORD = "One of the words is wrong or missing — check the phrase against your copy";

/**
 * The master secret back from its recovery phrase. Case, extra spaces and line breaks do not
 * matter. Throws WalletError (code BAD_PHRASE) when the phrase does not have 24 words, has a word
 * that is not in the BIP-39 English list (reported by position, never echoed), or fails the checksum.
 */
export function masterFromPhrase(phrase: string): Uint8Array {
  const words = phrase.normalize("NFKD").trim().toLowerCase().split(/\s+/).filter((w) => w !== "");
  if (words.length !== RECOVERY_PHRASE_WORDS) {
    throw new WalletError("BAD_PHRASE", `A recovery phrase has ${RECOVERY_PHRASE_WORDS} words; this one has ${words.length}.`);
  }
  const wordlist = LangEn.wordlist();
  const unknown = words.findIndex((w) => wordlist.getWordIndex(w) < 0);
  if (unknown >= 0) {
    throw new WalletError("BAD_PHRASE", `Word ${unknown + 1} is not in the recovery word list — check its spelling against your copy.`);
  }
  try {
    return getBytes(Mnemonic.phraseToEntropy(words.join(" ")));
  } catch (error) {
    // The only failure left once count and words are right is the checksum: a word swapped for another valid one.
    throw new WalletError("BAD_PHRASE", WRONG_WORD, { cause: error });
  }
}

/** The deployment and trial an identity is for, as the portal's consent API reports them. */
export type TrialDeployment = {
  chainId: number | bigint;
  /** ConsentRegistry address, any case. */
  consentRegistry: string;
  /** The trial's bytes32 id on chain (0x + 64 hex digits, any case). */
  chainTrialId: string;
};

const IDENTITY_DOMAIN = "TrialLedger participant identity v1";

function canonicalDeployment(trial: TrialDeployment): [string, string, string] {
  const chainId = BigInt(trial.chainId);
  if (chainId <= 0n) throw new RangeError("chainId must be a positive integer");
  if (!/^0x[0-9a-fA-F]{40}$/.test(trial.consentRegistry)) throw new RangeError("consentRegistry must be a 20-byte hex address");
  if (!/^0x[0-9a-fA-F]{64}$/.test(trial.chainTrialId)) throw new RangeError("chainTrialId must be a bytes32 hex string");
  return [chainId.toString(10), trial.consentRegistry.toLowerCase(), trial.chainTrialId.toLowerCase()];
}

/** Each field as a 4-byte big-endian byte length followed by its UTF-8 bytes: no two field lists encode alike. */
function lengthPrefixed(fields: readonly string[]): Uint8Array {
  return concatBytes(
    ...fields.flatMap((field) => {
      const bytes = utf8ToBytes(field);
      const length = new Uint8Array(4);
      new DataView(length.buffer).setUint32(0, bytes.length);
      return [length, bytes];
    }),
  );
}

/**
 * The participant's Semaphore identity for one trial of one deployment. Deterministic: the same
 * master secret and trial give the same identity on any device.
 *
 * Why derived rather than random per trial: the participant then has one thing to keep safe (the
 * master secret, i.e. the recovery phrase) however many trials they join, and a new device rebuilds
 * every identity from it. The private key is HMAC-SHA256(master, domain ‖ chainId ‖ registry ‖
 * trial id), fields length-prefixed so no two inputs collide; HMAC is a pseudorandom function, so
 * without the master secret the identities — and their commitments and nullifiers — of two trials
 * look unrelated, which is what keeps a participant's trials unlinkable (DESIGN.md, consent model).
 *
 * Why the deployment is bound in: trial ids are derived from registration numbers, so the same id
 * exists on every deployment (a test network, a redeployed ConsentRegistry, production). Without the
 * chain and contract, a participant enrolled in the same trial on two deployments would show the same
 * commitment on both, linking them; with them, each deployment sees an unrelated identity.
 *
 * Never change the domain string or the encoding: existing participants would lose their identities.
 */
export function trialIdentity(master: Uint8Array, trial: TrialDeployment): Identity {
  assertMaster(master);
  const input = lengthPrefixed([IDENTITY_DOMAIN, ...canonicalDeployment(trial)]);
  return new Identity(hmac(sha256, master, input));
}
