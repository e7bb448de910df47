import { describe, expect, it } from "vitest";
import { formatBytes, percentOf, progressText } from "@/app/_components/upload-progress";

describe("upload progress text", () => {
  it("reads like the brief's example", () => {
    expect(progressText(620e6, 1e9)).toBe("62 % — 620 MB of 1 GB");
    expect(progressText(0, 20 * 2 ** 30)).toBe("0 % — 0 B of 21.5 GB");
  });

  it("says 100 % only once every byte is sent", () => {
    expect(percentOf(999_999, 1e6)).toBe(99);
    expect(percentOf(1e6, 1e6)).toBe(100);
    expect(percentOf(0, 0)).toBe(0);
  });

  it("picks the unit by size", () => {
    expect([formatBytes(512), formatBytes(1500), formatBytes(2.4e6), formatBytes(1.25e9)]).toEqual(["512 B", "2 kB", "2 MB", "1.3 GB"]);
  });
});
