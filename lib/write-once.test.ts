import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readOrCreateOnce } from "@/lib/write-once";

describe("readOrCreateOnce", () => {
  it("creates the file once, owner-readable, with no temporary left, and never makes it again", () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tl-once-")), "nested");
    const file = path.join(dir, "key");
    let made = 0;
    const make = () => `secret-${++made}`;
    expect(readOrCreateOnce(file, make)).toBe("secret-1");
    expect(readOrCreateOnce(file, make)).toBe("secret-1");
    expect(made).toBe(1);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(["key"]);
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it("keeps the first writer's file when another process created it meanwhile", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-once-"));
    const file = path.join(dir, "key");
    // The other process links its file in after this one looked and before it links its own.
    const text = readOrCreateOnce(file, () => {
      fs.writeFileSync(file, "theirs\n");
      return "mine";
    });
    expect(text).toBe("theirs");
    expect(fs.readdirSync(dir)).toEqual(["key"]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
