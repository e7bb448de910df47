/**
 * One Merkle code base for TrialLedger (anchoring batches and the transparency log): RFC 6962 /
 * RFC 9162 hashing, in-memory trees and proofs, verification, golang sumdb/tlog's stored-hash
 * layout and C2SP tlog-tiles paths. Isomorphic: no Node built-ins, so the browser verifier uses it.
 */
export { EMPTY_ROOT, HASH_BYTES, leafHash, nodeHash } from "@/lib/merkle/hash";
export { fromHex, toHex } from "@/lib/merkle/hex";
export { auditPaths, consistencyProof, inclusionPathLength, inclusionProof, rootOf } from "@/lib/merkle/memory";
export { verifyConsistency, verifyInclusion } from "@/lib/merkle/verify";
export {
  type HashReader,
  proveRecord,
  proveTree,
  rangeNodes,
  splitStoredHashIndex,
  storedHashCount,
  storedHashIndex,
  storedHashesForBatch,
  treeHash,
} from "@/lib/merkle/stored";
export {
  ENTRIES_LEVEL,
  TILE_HEIGHT,
  TILE_WIDTH,
  type Tile,
  bundlesForSize,
  parseTilePath,
  tileHashIndexes,
  tileHashReader,
  tilePath,
  tilesForSize,
} from "@/lib/merkle/tiles";
