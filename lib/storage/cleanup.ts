import "server-only";
import { startPolling } from "@/lib/outbox/runner";
import { env } from "@/lib/env";
import { referencedDigests } from "@/lib/storage/data";
import { deleteExpiredUploads } from "@/lib/storage/mutations";
import { blobStore } from "@/lib/blobs/store";

/**
 * The store's clean-up: what an upload leaves behind when it is never registered, or when the
 * process dies in the middle of it.
 * - `.part` files untouched for an hour: a live upload writes its file with every chunk it
 *   receives, so one that has not changed for an hour belongs to no upload (a crash left it).
 * - uploads never attached, UPLOAD_MAX_AGE_HOURS after they were (last) uploaded: the row, and the
 *   file once nothing else refers to it (another organisation's upload or a trial's file keeps it).
 * - at start, also every stored file nothing refers to (left by a crash between the store and the
 *   row, or from before uploads had owners), if older than UPLOAD_MAX_AGE_HOURS.
 */

export const PART_MAX_AGE_MS = 60 * 60 * 1000;
/** Every 15 minutes: an expired upload outlives its time by at most that, and a run costs one query when idle. */
export const CLEANUP_INTERVAL_MS = 15 * 60 * 1000;
/** Digests looked up per query in the full scan; well under PostgreSQL's 65,535 bind parameters. */
const SCAN_PAGE = 1000;

export type CleanupResult = { parts: number; uploads: number; files: number };

async function removeUnreferenced(digests: string[], olderThan: Date): Promise<number> {
  const referenced = await referencedDigests(digests);
  let removed = 0;
  for (const digest of digests) {
    if (!referenced.has(digest) && (await blobStore().removeIfOlder(digest, olderThan))) removed++;
  }
  return removed;
}

/**
 * One clean-up run.
 * @param opts.scanStore also walk the whole store for unreferenced files (at start)
 * @returns how many `.part` files, upload rows and stored files were removed
 */
export async function cleanUpUploads(opts: { now?: Date; maxAgeMs?: number; scanStore?: boolean } = {}): Promise<CleanupResult> {
  const now = opts.now ?? new Date();
  const cutoff = new Date(now.getTime() - (opts.maxAgeMs ?? env().UPLOAD_MAX_AGE_HOURS * 60 * 60 * 1000));
  const parts = await blobStore().removeStalePartsOlderThan(new Date(now.getTime() - PART_MAX_AGE_MS));
  const expired = [...new Set(await deleteExpiredUploads(cutoff))];
  let files = await removeUnreferenced(expired, cutoff);
  if (opts.scanStore) {
    let page: string[] = [];
    for await (const digest of blobStore().list()) {
      page.push(digest);
      if (page.length < SCAN_PAGE) continue;
      files += await removeUnreferenced(page, cutoff);
      page = [];
    }
    files += await removeUnreferenced(page, cutoff);
  }
  return { parts, uploads: expired.length, files };
}

/** Runs the clean-up now (with the full scan) and then every CLEANUP_INTERVAL_MS until stopped. */
export function startUploadCleanup(log: (line: string) => void = console.log) {
  let first = true;
  return startPolling(
    async () => {
      const result = await cleanUpUploads({ scanStore: first });
      first = false;
      if (result.parts + result.uploads + result.files > 0) {
        log(`[storage] removed ${result.parts} unfinished upload(s), ${result.uploads} expired upload(s), ${result.files} unreferenced file(s)`);
      }
    },
    CLEANUP_INTERVAL_MS,
    (line) => log(`[storage] ${line}`),
  );
}
