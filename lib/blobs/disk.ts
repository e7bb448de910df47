import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { addressOf, hexOf, measured } from "@/lib/blobs/common";
import type { BlobStore } from "@/lib/blobs/store";
import { AppError } from "@/lib/errors";
import { SHA256_DIGEST } from "@/lib/schema/values";

/**
 * The blob store in a folder (the default):
 *
 *   <root>/tmp/<random>.part           puts in flight (same file system as sha256/, so the final
 *                                      rename is atomic)
 *   <root>/sha256/ab/cd/abcd…(64 hex)  stored blobs, never modified once there
 */

/** Owner reads and writes, the group (e.g. a backup user) reads, nobody else. */
const FILE_MODE = 0o640;
const DIR_MODE = 0o750;

export function diskStore(root: string): BlobStore {
  const fileOf = (digest: string) => path.join(root, ...addressOf(hexOf(digest)).split("/"));
  const tmpDir = path.join(root, "tmp");

  return {
    kind: "disk",

    async put(input, opts) {
      const source = measured(input, opts);
      await fsp.mkdir(tmpDir, { recursive: true, mode: DIR_MODE });
      const tmp = path.join(tmpDir, `${randomBytes(16).toString("hex")}.part`);
      let renamed = false;
      try {
        await pipeline(
          source.chunks,
          fs.createWriteStream(tmp, {
            // "wx": a fresh file of our own, never one that happens to exist under that name.
            flags: "wx",
            mode: FILE_MODE,
            // fsync before close. Without it a crash shortly after the rename below can leave an empty
            // or short file under a content address; since an existing address is trusted
            // (deduplication), that file would never be replaced.
            flush: true,
          }),
        );
        const size = source.size();
        const digest = `0x${source.hex()}`;
        const final = fileOf(digest);
        if (fs.existsSync(final)) {
          // A fresh modification time tells the clean-up that these bytes were just put again, so
          // it does not remove them between now and their owner's row.
          const now = new Date();
          await fsp.utimes(final, now, now).catch(() => undefined);
          if (fs.existsSync(final)) return { digest, size, created: false };
        }
        await fsp.mkdir(path.dirname(final), { recursive: true, mode: DIR_MODE });
        // Two puts of the same bytes at once may both get here; the later rename replaces the first
        // file with identical bytes, atomically, so a reader sees one or the other, never a mix.
        await fsp.rename(tmp, final);
        renamed = true;
        return { digest, size, created: true };
      } finally {
        if (!renamed) await fsp.rm(tmp, { force: true });
      }
    },

    async stat(digest) {
      const stat = await fsp.stat(fileOf(digest)).catch(() => undefined);
      return stat?.isFile() ? { size: stat.size } : null;
    },

    async open(digest, range) {
      const file = fileOf(digest);
      // Opened here, so a missing file fails now, not on the stream's first read.
      const handle = await fsp.open(file, "r").catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") throw new AppError("NOT_FOUND", "No stored file has that digest.");
        throw error;
      });
      return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
    },

    async remove(digest) {
      await fsp.rm(fileOf(digest), { force: true });
    },

    async removeIfOlder(digest, olderThan) {
      const file = fileOf(digest);
      const stat = await fsp.stat(file).catch(() => undefined);
      if (!stat?.isFile() || stat.mtime >= olderThan) return false;
      await fsp.rm(file, { force: true });
      return true;
    },

    async *list() {
      const top = path.join(root, "sha256");
      const entries = (dir: string) => fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const first of await entries(top)) {
        if (!first.isDirectory()) continue;
        for (const second of await entries(path.join(top, first.name))) {
          if (!second.isDirectory()) continue;
          for (const file of await entries(path.join(top, first.name, second.name))) {
            const digest = `0x${file.name}`;
            if (file.isFile() && SHA256_DIGEST.test(digest)) yield digest;
          }
        }
      }
    },

    // A live put writes its .part file every few milliseconds, so one untouched for long belongs to none.
    async removeStalePartsOlderThan(olderThan) {
      let removed = 0;
      for (const entry of await fsp.readdir(tmpDir, { withFileTypes: true }).catch(() => [])) {
        if (!entry.isFile() || !entry.name.endsWith(".part")) continue;
        const file = path.join(tmpDir, entry.name);
        const stat = await fsp.stat(file).catch(() => undefined);
        if (!stat || stat.mtime >= olderThan) continue;
        await fsp.rm(file, { force: true });
        removed++;
      }
      return removed;
    },
  };
}
