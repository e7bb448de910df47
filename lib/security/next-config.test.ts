import path from "node:path";
import { pathToFileURL } from "node:url";
import type { NextConfig } from "next";
import { describe, expect, it } from "vitest";
import { TRIAL_RECORD_BODY_LIMIT } from "@/lib/registry/schema";

// next.config.mjs is plain JavaScript (Next reads it before any TypeScript runs): loaded by URL, typed here.
const configUrl = pathToFileURL(path.resolve(import.meta.dirname, "../../next.config.mjs")).href;
const nextConfig = ((await import(configUrl)) as { default: NextConfig }).default;

/** "2mb" → bytes, as Next reads a size limit (the `bytes` package: 1 mb = 1024 kb). */
function bytesOf(limit: string | number | undefined): number {
  if (typeof limit === "number") return limit;
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)$/i.exec(limit ?? "1mb");
  if (!match?.[1] || !match[2]) throw new Error(`unreadable size limit ${String(limit)}`);
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[match[2].toLowerCase() as "b" | "kb" | "mb" | "gb"];
  return Number(match[1]) * unit;
}

describe("next.config", () => {
  it("lets a server action take a whole trial record (the register and amend forms send one; Next's default is 1 MB)", () => {
    const limit = bytesOf(nextConfig.experimental?.serverActions?.bodySizeLimit);
    expect(limit).toBeGreaterThanOrEqual(TRIAL_RECORD_BODY_LIMIT);
  });
});
