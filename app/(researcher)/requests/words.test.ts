import { describe, expect, it } from "vitest";
import { REQUEST_STATES, STATE_WORDS, daysBetween, eventInWords, grantInWords, isoDate, lowerFirst, shortDigest, stateInWords } from "@/app/(researcher)/requests/words";

const now = new Date("2026-12-10T09:00:00Z");

describe("stateInWords", () => {
  it("gives the days since submission while the committee has the request", () => {
    expect(stateInWords("IN_REVIEW", "2026-12-07T10:00:00Z", now)).toBe("In review by the committee, submitted 2 days ago");
    expect(stateInWords("SUBMITTED", new Date("2026-12-09T08:00:00Z"), now)).toBe("Submitted, waiting for the committee, submitted 1 day ago");
    expect(stateInWords("SUBMITTED", "2026-12-10T08:00:00Z", now)).toBe("Submitted, waiting for the committee, submitted today");
  });

  it("says the state alone once decided, or before submission", () => {
    expect(stateInWords("APPROVED", "2026-11-01T00:00:00Z", now)).toBe("Approved");
    expect(stateInWords("DRAFT", null, now)).toBe("Draft, not submitted yet");
    expect(stateInWords("RETURNED", "2026-11-01T00:00:00Z", now)).toBe("Returned for revision");
  });

  it("has words for every state of the data model", () => {
    for (const state of REQUEST_STATES) expect(STATE_WORDS[state]).toMatch(/^[A-Z]/);
  });
});

describe("daysBetween and isoDate", () => {
  it("counts whole days and never goes negative", () => {
    expect(daysBetween("2026-12-01T00:00:00Z", "2026-12-15T23:59:59Z")).toBe(14);
    expect(daysBetween("2026-12-15T00:00:00Z", "2026-12-01T00:00:00Z")).toBe(0);
    expect(isoDate(new Date("2027-01-02T23:00:00Z"))).toBe("2027-01-02");
  });
});

describe("grantInWords", () => {
  it("says until when an active grant runs, and why an ended one ended", () => {
    expect(grantInWords({ active: true, end: "2027-12-01T00:00:00Z", endReason: null })).toBe("Active until 2027-12-01");
    expect(grantInWords({ active: false, end: "2026-11-30T00:00:00Z", endReason: "EXPIRED" })).toBe("Ended: expired on 2026-11-30");
    expect(grantInWords({ active: false, end: "2027-12-01T00:00:00Z", endReason: "REVOKED", revokeReason: "Data shared outside the team" })).toBe(
      "Ended: revoked by the committee (“Data shared outside the team”)",
    );
    expect(grantInWords({ active: false, end: "2027-12-01T00:00:00Z", endReason: "REVOKED" })).toBe("Ended: revoked by the committee");
    expect(grantInWords({ active: false, end: "2027-12-01T00:00:00Z", endReason: "CLOSED_OUT" })).toBe("Ended: closed with the close-out report");
  });
});

describe("lowerFirst", () => {
  it("lowers the first letter only, keeping acronyms", () => {
    expect(lowerFirst("Ethics (IRB) approval")).toBe("ethics (IRB) approval");
  });
});

describe("shortDigest and eventInWords", () => {
  it("keeps the head and tail of a digest", () => {
    const digest = `0x${"ab".repeat(31)}9f8e`;
    expect(shortDigest(digest)).toBe("0xabababab…9f8e");
    expect(shortDigest("0x1234")).toBe("0x1234");
  });

  it("names known events and makes an unknown one readable", () => {
    expect(eventInWords("renewal-requested")).toBe("Renewal asked for");
    expect(eventInWords("something-new")).toBe("Something new");
  });
});
