import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashBlob } from "@/lib/verify/hash-blob";

describe("hashBlob", () => {
  it("hashes a blob in chunks to the same digest as node:crypto, reporting progress to the end", async () => {
    const bytes = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 31) % 251);
    const progress: number[] = [];
    const digest = await hashBlob(new Blob([bytes]), (done) => progress.push(done));
    expect(digest).toBe(`0x${createHash("sha256").update(bytes).digest("hex")}`);
    expect(progress.at(-1)).toBe(bytes.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });
});
