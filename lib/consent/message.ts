import { AbiCoder, keccak256 } from "ethers";

/**
 * The consent message a participant proves, packed into the one uint256 a Semaphore proof carries.
 * ConsentRegistry.sol decodes the same layout; change both together.
 *
 *   bits   0..63   grants: bit i set ⇔ consent item i is granted (items are numbered per trial, 0..63)
 *   bits  64..95   the consent-text version the participant read (1, 2, …)
 *   bits  96..159  sequence number: strictly increasing per participant and trial (1, 2, …)
 *   bits 160..255  zero
 *
 * 64 items is far above any consent form (the GA4GH DUO vocabulary has ~25 terms); a fixed-width
 * field keeps decoding one shift and one mask on chain.
 *
 * A pseudonym-handover challenge is signed with the same scope (so it proves the same nullifier)
 * but always has bit 255 set: the contract refuses any message with bits above 159, so a handover
 * proof can never be replayed as a consent, and the handover check refuses anything without bit 255.
 */

export const MAX_CONSENT_ITEMS = 64;

export type ConsentMessage = {
  /** Granted item numbers as a bit mask (bit i = item i). */
  grants: bigint;
  textVersion: number;
  sequence: bigint;
};

const U64 = (1n << 64n) - 1n;
const U32 = (1n << 32n) - 1n;
const CHALLENGE_FLAG = 1n << 255n;

/** Packs a decision; throws RangeError on a field that does not fit or a zero version/sequence. */
export function packConsentMessage(message: ConsentMessage): bigint {
  const { grants, textVersion, sequence } = message;
  if (grants < 0n || grants > U64) throw new RangeError("grants must fit 64 bits");
  if (!Number.isInteger(textVersion) || textVersion < 1 || BigInt(textVersion) > U32) {
    throw new RangeError("textVersion must be an integer from 1 to 2^32-1");
  }
  if (sequence < 1n || sequence > U64) throw new RangeError("sequence must be from 1 to 2^64-1");
  return grants | (BigInt(textVersion) << 64n) | (sequence << 96n);
}

/** Unpacks a consent message; null when it is not one (high bits set, zero version or sequence). */
export function unpackConsentMessage(packed: bigint): ConsentMessage | null {
  if (packed < 0n || packed >> 160n !== 0n) return null;
  const message = { grants: packed & U64, textVersion: Number((packed >> 64n) & U32), sequence: (packed >> 96n) & U64 };
  if (message.textVersion === 0 || message.sequence === 0n) return null;
  return message;
}

/** Item numbers granted in a mask, ascending. */
export function grantedItems(grants: bigint): number[] {
  const items: number[] = [];
  for (let i = 0; i < MAX_CONSENT_ITEMS; i++) if ((grants >> BigInt(i)) & 1n) items.push(i);
  return items;
}

/** The mask granting exactly `items`. Throws RangeError for an item outside 0..63. */
export function grantsMask(items: Iterable<number>): bigint {
  let mask = 0n;
  for (const item of items) {
    if (!Number.isInteger(item) || item < 0 || item >= MAX_CONSENT_ITEMS) throw new RangeError(`item ${item} out of range`);
    mask |= 1n << BigInt(item);
  }
  return mask;
}

/** The handover message for a 128-bit challenge (given as 32 hex digits, no 0x). */
export function challengeMessage(challengeHex: string): bigint {
  if (!/^[0-9a-f]{32}$/.test(challengeHex)) throw new RangeError("a challenge is 32 lowercase hex digits");
  return CHALLENGE_FLAG | BigInt(`0x${challengeHex}`);
}

/**
 * A trial's consent scope, as ConsentRegistry.consentScope computes it:
 * uint256(keccak256(abi.encode(chainId, registryAddress, trialId))). Binding the chain and the
 * contract means a proof made for one deployment is useless on another; binding the trial makes the
 * participant's nullifier — their trial pseudonym — differ from trial to trial.
 */
export function consentScope(opts: { chainId: number | bigint; consentRegistry: string; chainTrialId: string }): bigint {
  const encoded = AbiCoder.defaultAbiCoder().encode(
    ["uint256", "address", "bytes32"],
    [opts.chainId, opts.consentRegistry, opts.chainTrialId],
  );
  return BigInt(keccak256(encoded));
}
