import { parseCheckpoint } from "@/lib/log/checkpoint";
import { decodeBase64, encodeBase64, splitNote } from "@/lib/log/note";

/**
 * C2SP tlog-proof (c2sp.org/tlog-proof@v1): an offline receipt that an entry is in the log,
 *
 *   c2sp.org/tlog-proof@v1
 *   extra <base64>            (optional; unauthenticated — the portal puts the chain anchor here)
 *   index <n>
 *   <base64 hash>             (zero or more: the inclusion proof, leaf's sibling first)
 *
 *   <the signed checkpoint, verbatim>
 *
 * Parsing checks the layout only. Verifying a receipt means opening its checkpoint with the log's
 * key, then checking the inclusion proof against that checkpoint's root.
 */
export type TlogProof = { index: number; proof: Uint8Array[]; checkpoint: string; extra?: Uint8Array };

export class TlogProofError extends Error {
  override name = "TlogProofError";
}

const HEADER = "c2sp.org/tlog-proof@v1";

/** 63 hashes: a proof for a tree of up to 2^63 entries (the witness protocol allows as many lines). */
export const MAX_PROOF_HASHES = 63;

/**
 * The receipt's text.
 * @throws TlogProofError when the index is not a safe non-negative integer, a hash is not 32
 *   bytes, there are more than 63, or the checkpoint is not a signed note
 */
export function formatTlogProof(p: TlogProof): string {
  if (!Number.isSafeInteger(p.index) || p.index < 0) throw new TlogProofError("the index is a non-negative integer");
  if (p.proof.length > MAX_PROOF_HASHES) throw new TlogProofError(`an inclusion proof has at most ${MAX_PROOF_HASHES} hashes`);
  if (p.proof.some((hash) => hash.length !== 32)) throw new TlogProofError("each proof hash is 32 bytes");
  checkCheckpoint(p.checkpoint);
  const lines = [HEADER];
  if (p.extra !== undefined) lines.push(`extra ${encodeBase64(p.extra)}`);
  lines.push(`index ${p.index}`, ...p.proof.map(encodeBase64));
  return `${lines.join("\n")}\n\n${p.checkpoint}`;
}

/** The layout of a signed checkpoint (signatures unverified: that needs the log's key). */
function checkCheckpoint(note: string): void {
  try {
    parseCheckpoint(splitNote(note).text);
  } catch (error) {
    throw new TlogProofError(`the checkpoint is not a signed checkpoint: ${(error as Error).message}`);
  }
}

/**
 * Parses a receipt. The checkpoint is returned verbatim and still unverified.
 * @throws TlogProofError when the header, the extra or index line, a hash line, the blank line or
 *   the checkpoint is missing or malformed
 */
export function parseTlogProof(text: string): TlogProof {
  // The proof's own lines end at the first empty line; the checkpoint (which has its own) follows.
  const split = text.indexOf("\n\n");
  if (split === -1) throw new TlogProofError("a tlog-proof has an empty line before its checkpoint");
  const lines = text.slice(0, split).split("\n");
  const checkpoint = text.slice(split + 2);
  if (lines.shift() !== HEADER) throw new TlogProofError(`a tlog-proof begins with ${HEADER}`);
  let extra: Uint8Array | undefined;
  if (lines[0]?.startsWith("extra ")) {
    const decoded = decodeBase64(lines.shift()!.slice("extra ".length));
    if (!decoded) throw new TlogProofError("the extra line is not base64");
    extra = decoded;
  }
  const indexMatch = /^index (0|[1-9][0-9]{0,15})$/.exec(lines.shift() ?? "");
  const index = indexMatch ? Number(indexMatch[1]) : NaN;
  if (!Number.isSafeInteger(index)) throw new TlogProofError("a tlog-proof has an index line: 'index <n>', no leading zero, below 2^53");
  if (lines.length > MAX_PROOF_HASHES) throw new TlogProofError(`an inclusion proof has at most ${MAX_PROOF_HASHES} hashes`);
  const proof = lines.map((line) => {
    const hash = decodeBase64(line);
    if (!hash || hash.length !== 32) throw new TlogProofError("each proof line is the base64 of a 32-byte hash");
    return hash;
  });
  checkCheckpoint(checkpoint);
  return extra === undefined ? { index, proof, checkpoint } : { index, proof, checkpoint, extra };
}
