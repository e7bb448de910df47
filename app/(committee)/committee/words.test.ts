import { describe, expect, it } from "vitest";
import { QUEUES, clockText, eventText, decisionText, eventDetail, majorityOf, queueOf, ruleText, stateText, voteText, votesText } from "@/app/(committee)/committee/words";

describe("inbox queues", () => {
  it("are the four of issue 11, in working order, each with its own URL value", () => {
    expect(QUEUES.map((q) => q.label)).toEqual(["New", "In review", "Waiting for the researcher", "Decided"]);
    expect(new Set(QUEUES.map((q) => q.param)).size).toBe(4);
  });

  it("read the chosen queue from ?queue=, New when absent or unknown", () => {
    expect(queueOf("in-review").key).toBe("inReview");
    expect(queueOf("waiting").label).toBe("Waiting for the researcher");
    expect(queueOf(["decided", "new"]).key).toBe("decided");
    expect(queueOf(undefined).key).toBe("new");
    expect(queueOf("inReview").key).toBe("new");
    expect(queueOf("").key).toBe("new");
  });
});

describe("the clock against the target", () => {
  it("says days since submission and the target, in the singular where it is one", () => {
    expect(clockText(9, 14, false)).toBe("9 days since submission (target 14 days)");
    expect(clockText(1, 1, false)).toBe("1 day since submission (target 1 day)");
    expect(clockText(0, 14, false)).toBe("0 days since submission (target 14 days)");
  });

  it("says overdue in words, not by colour alone", () => {
    expect(clockText(16, 14, true)).toBe("Overdue: 16 days since submission (target 14 days)");
  });

  it("counts votes", () => {
    expect([votesText(0), votesText(1), votesText(3)]).toEqual(["No votes yet", "1 vote", "3 votes"]);
  });
});

describe("the decision rule in words", () => {
  it("names one decider, or the majority with the committee's size and the votes it takes", () => {
    expect(ruleText("ONE_DECIDER", 5)).toBe("One member decides.");
    expect(ruleText("MAJORITY", 3)).toBe("A majority of the committee's 3 members decides: 2 votes for the same decision (approving with or without conditions counts as one).");
    expect(ruleText("MAJORITY", 4)).toBe("A majority of the committee's 4 members decides: 3 votes for the same decision (approving with or without conditions counts as one).");
    expect(ruleText("MAJORITY", 1)).toBe("A majority of the committee's 1 member decides: 1 vote for the same decision (approving with or without conditions counts as one).");
    expect(ruleText("MAJORITY")).toBe("A majority of the committee decides.");
  });

  it("takes more than half of the seats", () => {
    expect([1, 2, 3, 4, 5].map(majorityOf)).toEqual([1, 2, 2, 3, 3]);
  });
});

describe("states, votes and events in words", () => {
  it("names each state and shows an unknown one as it is", () => {
    expect(stateText("SUBMITTED")).toBe("New");
    expect(stateText("RETURNED")).toBe("Returned for revision");
    expect(stateText("LIMBO")).toBe("LIMBO");
  });

  it("names votes with the schema's words", () => {
    expect(voteText("approve-with-conditions")).toBe("Approve with conditions");
    expect(voteText("return")).toBe("Return for revision");
  });

  it("names a recorded decision, approvals with conditions as such", () => {
    expect(decisionText("approved", null)).toBe("Approved");
    expect(decisionText("approved", "Publish the code.")).toBe("Approved with conditions");
    expect(decisionText("returned")).toBe("Returned for revision");
    expect(decisionText("denied", undefined)).toBe("Denied");
  });

  it("names known events, and reads an unknown type as words", () => {
    expect(eventText("grant-revoked")).toBe("Grant revoked");
    expect(eventText("note")).toBe("Internal note");
    expect(eventText("plan-anchored")).toBe("Plan anchored");
    expect(eventText("")).toBe("Event");
  });
});

describe("the timeline's detail of an event", () => {
  it("gives a vote with its rationale, and the text of others", () => {
    expect(eventDetail({ type: "vote", body: { vote: "deny", rationale: "No ethics approval." } })).toBe("Deny: No ethics approval.");
    expect(eventDetail({ type: "message", text: "Which cohort?", body: { text: "Which cohort?" } })).toBe("Which cohort?");
    expect(eventDetail({ type: "review-started", body: {} })).toBeUndefined();
  });
});
