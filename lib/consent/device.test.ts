import { describe, expect, it } from "vitest";
import { type ConsentEventView, type ConsentVersionView, answers, myDecisions } from "@/lib/consent/device";

const event = (nullifier: string, sequence: number, status: ConsentEventView["status"], grants = "1"): ConsentEventView => ({
  position: sequence,
  nullifier,
  sequence: String(sequence),
  grants,
  textVersion: 1,
  status,
  txHash: null,
  blockNumber: null,
  blockTime: null,
  reason: null,
  anonymitySet: null,
  proof: { merkleTreeDepth: 20, merkleTreeRoot: "1", nullifier, message: "1", points: [] },
});

describe("myDecisions", () => {
  it("keeps only the device's pseudonym, in sequence order, and skips refused decisions for the current one", () => {
    const events = [event("9", 1, "RECORDED"), event("7", 2, "REJECTED", "0"), event("7", 1, "RECORDED", "3"), event("9", 2, "PENDING")];
    const mine = myDecisions(events, "7");
    expect(mine.history.map((e) => e.sequence)).toEqual(["1", "2"]);
    expect(mine.current?.grants).toBe("3");
    // The next number is above every number used, refused ones included: the chain may hold none of them, the portal may.
    expect(mine.nextSequence).toBe(3n);
    expect(myDecisions(events, "5")).toEqual({ history: [], current: null, nextSequence: 1n });
  });
});

describe("answers", () => {
  const versions: ConsentVersionView[] = [
    { version: 1, digest: "", createdAt: "", chainStatus: "CONFIRMED", items: [{ number: 0, text: "A", ifGranted: [], ifWithheld: [] }, { number: 1, text: "B", ifGranted: [], ifWithheld: [] }] },
    { version: 2, digest: "", createdAt: "", chainStatus: "CONFIRMED", items: [{ number: 0, text: "A", ifGranted: [], ifWithheld: [] }, { number: 1, text: "B2", ifGranted: [], ifWithheld: [] }] },
  ];
  it("counts an old decision only for items whose text did not change", () => {
    const [a, b] = versions[1]?.items ?? [];
    if (!a || !b) throw new Error("fixture");
    expect(answers(versions, 1, a)).toBe(true);
    expect(answers(versions, 1, b)).toBe(false);
    expect(answers(versions, 2, b)).toBe(true);
    expect(answers(versions, 3, a)).toBe(false);
  });
});
