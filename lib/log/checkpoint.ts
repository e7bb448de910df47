import { decodeBase64, encodeBase64, openNote, type NoteVerifier } from "@/lib/log/note";

/**
 * C2SP tlog-checkpoint (c2sp.org/tlog-checkpoint): the text of a signed note holding a tree head,
 *
 *   <origin>\n<tree size>\n<base64 RFC 6962 root>\n[<extension line>\n…]
 *
 * The portal writes no extension lines (the spec does not recommend them: monitors cannot audit
 * them); it parses them so a checkpoint of another log still reads.
 */
export type Checkpoint = { origin: string; size: number; root: Uint8Array; extensions: string[] };

export class CheckpointError extends Error {
  override name = "CheckpointError";
}

/** Decimal, no leading zero (except "0"), within JS's exact integers (2^53: ~285 years at 1M/s). */
function parseSize(line: string): number | null {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(line)) return null;
  const size = Number(line);
  return Number.isSafeInteger(size) ? size : null;
}

/**
 * The checkpoint's note text.
 * @throws CheckpointError when the origin is empty or holds a newline, space or `+` (the portal's
 *   own origins follow the spec's SHOULD, so its key name can equal the origin), the size is not a
 *   safe non-negative integer, the root is not 32 bytes, or an extension line is empty
 */
export function formatCheckpoint(c: Checkpoint): string {
  if (c.origin.length === 0 || /[\s+]/u.test(c.origin)) throw new CheckpointError("the origin is non-empty, with no space or '+'");
  if (!Number.isSafeInteger(c.size) || c.size < 0) throw new CheckpointError("the tree size is a non-negative integer");
  if (c.root.length !== 32) throw new CheckpointError("the root is a 32-byte SHA-256 hash");
  for (const line of c.extensions) {
    if (line.length === 0 || line.includes("\n")) throw new CheckpointError("an extension line is one non-empty line");
  }
  return [c.origin, String(c.size), encodeBase64(c.root), ...c.extensions].map((line) => `${line}\n`).join("");
}

/**
 * Parses a checkpoint's note text (as `openNote` returns it, never an unverified note).
 * @throws CheckpointError when it has fewer than three lines, an empty line, a size with a leading
 *   zero or beyond 2^53, or a root that is not canonical base64 of 32 bytes
 */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith("\n")) throw new CheckpointError("a checkpoint's text ends with a newline");
  const lines = text.slice(0, -1).split("\n");
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (origin === undefined || sizeLine === undefined || rootLine === undefined) {
    throw new CheckpointError("a checkpoint has an origin, a tree size and a root line");
  }
  if (lines.some((line) => line.length === 0)) throw new CheckpointError("a checkpoint has no empty line");
  const size = parseSize(sizeLine);
  if (size === null) throw new CheckpointError(`not a tree size: ${JSON.stringify(sizeLine.slice(0, 40))}`);
  const root = decodeBase64(rootLine);
  if (!root || root.length !== 32) throw new CheckpointError("the root line is not base64 of a 32-byte hash");
  return { origin, size, root, extensions };
}

/**
 * Opens a signed checkpoint of the log `origin`: the note verifies under one of `verifiers` and
 * its origin line is `origin` (a checkpoint of another log signed by the same key proves nothing
 * about this one).
 * @throws NoteError for a bad or missing signature, CheckpointError for a bad body or another origin
 */
export async function openCheckpoint(note: string, verifiers: NoteVerifier[], origin: string): Promise<Checkpoint> {
  const { text } = await openNote(note, verifiers);
  const checkpoint = parseCheckpoint(text);
  if (checkpoint.origin !== origin) {
    throw new CheckpointError(`the checkpoint is of ${JSON.stringify(checkpoint.origin)}, not of ${JSON.stringify(origin)}`);
  }
  return checkpoint;
}
