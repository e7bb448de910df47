/**
 * The Semaphore proving artifacts (trusted-setup circuit and key) the portal proves with, pinned.
 * Isomorphic: the browser prover (lib/consent/prover.ts), the copy script
 * (scripts/semaphore-artifacts.ts) and the benches read the same constants.
 */

/**
 * Every consent group is a Semaphore tree proved at depth 20: up to 2^20 = 1,048,576 participants
 * per trial, some 20× the enrolment of even the largest modern trials (RECOVERY: ~50,000). One fixed depth
 * means one pair of files (5.7 MB) for every trial, downloaded once per browser and cached, instead
 * of a download per group size. The cost over a tighter depth is small: the zkey is 3.9 MB at 20
 * against 2.4 MB at 10 and 5.9 MB at 32, and the wasm ~1.8 MB at every depth. The official
 * SemaphoreVerifier accepts proofs at every depth, so the portal's proof schema and
 * ConsentRegistry (TREE_DEPTH, WrongTreeDepth) both refuse any other: a shallower proof covers only
 * part of the group and its depth tells the group's size. The browser prover
 * (lib/consent/prover.worker.ts) always proves at this one.
 */
export const CONSENT_TREE_DEPTH = 20;

/** The npm package the artifacts come from, and the version the digests below were taken from. */
export const SEMAPHORE_ARTIFACTS_PACKAGE = "@zk-kit/semaphore-artifacts";
export const SEMAPHORE_ARTIFACTS_VERSION = "4.13.0";

export type ProvingArtifact = {
  /** File name in the npm package and in public/semaphore/. */
  file: string;
  /** Path the browser fetches, relative to the portal's origin. */
  url: string;
  /** SHA-256 of the file, lowercase hex. */
  sha256: string;
  /** Size in bytes: the progress bar's total when a response has no Content-Length. */
  bytes: number;
};

/**
 * Digests of @zk-kit/semaphore-artifacts 4.13.0's semaphore-20.{wasm,zkey}. A wrong zkey would make
 * proofs the verifier refuses (or, from a tampered setup, proofs that mean nothing), so both the
 * copy script and the browser refuse files that do not match. Changing the package version or the
 * depth means taking new digests: `sha256sum node_modules/@zk-kit/semaphore-artifacts/semaphore-20.*`.
 */
export const PROVING_ARTIFACTS = {
  wasm: {
    file: `semaphore-${CONSENT_TREE_DEPTH}.wasm`,
    url: `/semaphore/semaphore-${CONSENT_TREE_DEPTH}.wasm`,
    sha256: "6f71e55586929e520e76027ebe067daac8b41e2f4b8057313a5fd0304e1e44ee",
    bytes: 1_847_949,
  },
  zkey: {
    file: `semaphore-${CONSENT_TREE_DEPTH}.zkey`,
    url: `/semaphore/semaphore-${CONSENT_TREE_DEPTH}.zkey`,
    sha256: "33f9a067a80c7daf90e085449073613a9559a1904dd40aeb6d603afb7988c2cc",
    bytes: 3_890_175,
  },
} as const satisfies Record<"wasm" | "zkey", ProvingArtifact>;

/** Both files' sizes together: what "downloading the proving files" means in bytes. */
export const PROVING_ARTIFACTS_BYTES = PROVING_ARTIFACTS.wasm.bytes + PROVING_ARTIFACTS.zkey.bytes;
