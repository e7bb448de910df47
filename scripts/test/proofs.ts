// Real Semaphore proofs for tests and benches, from the trusted-setup artifacts installed from npm
// (@zk-kit/semaphore-artifacts), at the portal's fixed depth. Nothing is downloaded.
import { createRequire } from "node:module";
import { Group, type Identity, type SemaphoreProof, generateProof } from "@semaphore-protocol/core";
import { CONSENT_TREE_DEPTH } from "@/lib/consent/artifacts";

const require = createRequire(import.meta.url);

/** Paths of the depth-`depth` wasm and zkey in node_modules. */
export function artifactPaths(depth = CONSENT_TREE_DEPTH): { wasm: string; zkey: string } {
  return {
    wasm: require.resolve(`@zk-kit/semaphore-artifacts/semaphore-${depth}.wasm`),
    zkey: require.resolve(`@zk-kit/semaphore-artifacts/semaphore-${depth}.zkey`),
  };
}

/** A proof by `identity` over the group of `members` (decimal commitments, in leaf order). */
export function prove(identity: Identity, members: readonly (string | bigint)[], message: bigint, scope: bigint | string): Promise<SemaphoreProof> {
  const group = new Group(members.map(BigInt));
  return generateProof(identity, group, message, scope, CONSENT_TREE_DEPTH, artifactPaths());
}

/** snarkjs keeps worker threads alive after proving or verifying; call once when done. */
export async function stopProver(): Promise<void> {
  await (globalThis as { curve_bn128?: { terminate?: () => Promise<void> } }).curve_bn128?.terminate?.();
}

/** A proof as ConsentRegistry.submitConsent takes it (numbers, eight points), for tests that submit straight to the contract. */
export function chainProof(proof: SemaphoreProof) {
  return {
    merkleTreeDepth: BigInt(proof.merkleTreeDepth),
    merkleTreeRoot: BigInt(proof.merkleTreeRoot),
    nullifier: BigInt(proof.nullifier),
    message: BigInt(proof.message),
    scope: BigInt(proof.scope),
    points: proof.points.map(BigInt) as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint],
  };
}
