import { createHash } from "node:crypto";
import fs from "node:fs";

/** SHA-256 of a file as 0x hex, streamed in 1 MiB chunks: a multi-gigabyte dataset is never held in memory. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return `0x${hash.digest("hex")}`;
}
