import { sha256 } from "@noble/hashes/sha256";

/**
 * SHA-256 of a File or Blob in the browser, read as a stream chunk by chunk (WebCrypto would need
 * the whole file in memory), reporting progress. The file never leaves the device.
 * @returns 0x + 64 lowercase hex digits
 */
export async function hashBlob(blob: Blob, onProgress?: (done: number, total: number) => void): Promise<string> {
  const hash = sha256.create();
  const reader = blob.stream().getReader();
  let done = 0;
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) break;
    hash.update(chunk.value);
    done += chunk.value.byteLength;
    onProgress?.(done, blob.size);
  }
  return `0x${Array.from(hash.digest(), (b) => b.toString(16).padStart(2, "0")).join("")}`;
}
