import { describe, expect, it } from "vitest";
import { SESSION_TOUCH_MS, judgeSession } from "@/lib/sessions/lifetime";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const LIFETIMES = { idleMs: 60 * MINUTE, absoluteMs: 12 * HOUR };
const start = new Date("2026-12-01T08:00:00Z");
const at = (ms: number) => new Date(start.getTime() + ms);
const row = (lastSeenMs: number) => ({ createdAt: start, lastSeenAt: at(lastSeenMs), expiresAt: at(LIFETIMES.absoluteMs) });

describe("judgeSession", () => {
  it("refuses a session whose row is gone (signed out, password changed)", () => {
    expect(judgeSession(null, start, LIFETIMES)).toEqual({ live: false, reason: "ended" });
  });

  it("ends a session unused for the idle limit, not a minute before", () => {
    expect(judgeSession(row(0), at(59 * MINUTE), LIFETIMES)).toMatchObject({ live: true });
    expect(judgeSession(row(0), at(60 * MINUTE), LIFETIMES)).toEqual({ live: false, reason: "idle" });
  });

  it("ends a busy session at its absolute lifetime", () => {
    expect(judgeSession(row(12 * HOUR - MINUTE), at(12 * HOUR - 1), LIFETIMES)).toMatchObject({ live: true });
    expect(judgeSession(row(12 * HOUR - MINUTE), at(12 * HOUR), LIFETIMES)).toEqual({ live: false, reason: "expired" });
  });

  it("applies a shortened absolute lifetime to sessions that began before the change", () => {
    expect(judgeSession(row(3 * HOUR), at(3 * HOUR), { ...LIFETIMES, absoluteMs: 2 * HOUR })).toEqual({ live: false, reason: "expired" });
  });

  it("asks for a lastSeenAt write at most once a minute", () => {
    expect(judgeSession(row(0), at(SESSION_TOUCH_MS - 1), LIFETIMES)).toEqual({ live: true, touch: false });
    expect(judgeSession(row(0), at(SESSION_TOUCH_MS), LIFETIMES)).toEqual({ live: true, touch: true });
  });
});
