import { keccak256, toBeHex } from "ethers";
import { poseidon2 } from "poseidon-lite";

/**
 * A participant's trial pseudonym, computed on their device without making a proof: Semaphore v4's
 * nullifier, Poseidon(hash(scope), secret), where hash is keccak256 of the 32-byte scope shifted
 * right by 8 bits to fit the SNARK field (as @semaphore-protocol/proof hashes it before proving).
 * Equal to `proof.nullifier` of every proof the identity makes in that scope.
 */
export function trialPseudonym(secretScalar: bigint, scope: bigint): bigint {
  const scopeHash = BigInt(keccak256(toBeHex(scope, 32))) >> 8n;
  return poseidon2([scopeHash, secretScalar]);
}

/** "1234…5678": a pseudonym short enough to read; the full value stays available beside it. */
export function shortPseudonym(pseudonym: string): string {
  return pseudonym.length > 16 ? `${pseudonym.slice(0, 6)}…${pseudonym.slice(-6)}` : pseudonym;
}
