import { describe, expect, it } from "vitest";
import { packConsentMessage } from "@/lib/consent/message";
import {
  type ChainEvent,
  type ConsentChainReader,
  type PortalConsent,
  type PortalEvent,
  type PortalItem,
  type PortalVersion,
  collectInRanges,
  compareEvents,
  consentTextDigest,
  latestDecisions,
  tallyDecisions,
  verdict,
  verifyConsent,
} from "@/lib/consent/verify-all";
import { recordDigest } from "@/lib/canonical-json";

const SCOPE = "123456789";
const ROOT = "4242";

const item = (number: number, text: string, ifGranted: string[] = [], ifWithheld: string[] = []): PortalItem => ({ number, text, ifGranted, ifWithheld });

function version(v: number, items: PortalItem[]): PortalVersion {
  return { version: v, items, digest: consentTextDigest(items), chainStatus: "CONFIRMED" };
}

// Version 1: items 0 and 1. Version 2: item 0 unchanged, item 1's text changed, item 2 new.
const V1 = version(1, [item(0, "Use my data for this trial.", ["DUO:0000007"]), item(1, "Share with other researchers.", ["DUO:0000042"], ["DUO:0000007"])]);
const V2 = version(2, [item(0, "Use my data for this trial.", ["DUO:0000007"]), item(1, "Share with other researchers, also commercially.", ["DUO:0000042"]), item(2, "Contact me about results.")]);

let block = 10;
function chainEvent(nullifier: string, sequence: number, grants: bigint, textVersion: number): ChainEvent {
  block++;
  return {
    nullifier,
    sequence: String(sequence),
    grants: grants.toString(),
    textVersion,
    merkleTreeRoot: ROOT,
    merkleTreeDepth: 10,
    message: packConsentMessage({ grants, textVersion, sequence: BigInt(sequence) }).toString(),
    points: ["1", "2", "3", "4", "5", "6", "7", "8"],
    blockNumber: block,
    txHash: `0x${block.toString(16).padStart(64, "0")}`,
    logIndex: 0,
  };
}

function listed(position: number, e: ChainEvent, status: PortalEvent["status"] = "RECORDED"): PortalEvent {
  const recorded = status === "RECORDED";
  return {
    position,
    nullifier: e.nullifier,
    sequence: e.sequence,
    grants: e.grants,
    textVersion: e.textVersion,
    status,
    txHash: recorded ? e.txHash : null,
    blockNumber: recorded ? e.blockNumber : null,
    proof: { merkleTreeDepth: e.merkleTreeDepth, merkleTreeRoot: e.merkleTreeRoot, message: e.message, points: [...e.points] },
  };
}

function reader(events: ChainEvent[], opts: { groupSize?: number; roots?: string[]; digests?: Record<number, string | null>; decided?: number } = {}): ConsentChainReader {
  const latest = latestDecisions(events);
  return {
    blockNumber: 99,
    consentEvents: async () => events,
    groupRoots: async () => opts.roots ?? [ROOT],
    groupSize: async () => opts.groupSize ?? 3,
    decidedCount: async () => opts.decided ?? latest.length,
    decisionOf: async (nullifier) => {
      const d = latest.find((x) => x.nullifier === nullifier);
      return d ? { grants: d.grants, textVersion: d.textVersion, sequence: d.sequence } : { grants: "0", textVersion: 0, sequence: "0" };
    },
    publishedVersion: async () => 2,
    textDigest: async (v) => (opts.digests && v in opts.digests ? (opts.digests[v] ?? null) : v === 1 ? V1.digest : v === 2 ? V2.digest : null),
  };
}

// A proof "verifies" when made for SCOPE and its first point is not "0".
const fakeVerify = async (proof: { scope: string; points: string[] }) => proof.scope === SCOPE && proof.points[0] !== "0";

function portalFor(events: PortalEvent[], groupSize = 3): PortalConsent {
  const versions = [V1, V2];
  return { versions, groupSize, events, tally: tallyDecisions({ decisions: events.filter((e) => e.status !== "REJECTED"), versions, groupSize }) };
}

describe("latestDecisions", () => {
  it("keeps the greatest sequence per pseudonym, whatever the order, comparing numbers not strings", () => {
    const decisions = [
      { nullifier: "a", sequence: "10", grants: "1", textVersion: 1 },
      { nullifier: "a", sequence: "9", grants: "0", textVersion: 1 },
      { nullifier: "b", sequence: "1", grants: "0", textVersion: 1 },
      { nullifier: "b", sequence: "2", grants: "3", textVersion: 1 },
    ];
    const latest = latestDecisions(decisions);
    expect(latest).toHaveLength(2);
    expect(latest.find((d) => d.nullifier === "a")).toMatchObject({ sequence: "10", grants: "1" });
    expect(latest.find((d) => d.nullifier === "b")).toMatchObject({ sequence: "2", grants: "3" });
  });
});

describe("tallyDecisions", () => {
  it("counts the latest decision per pseudonym; a changed or new text is not answered until confirmed again", () => {
    const decisions = [
      // a: granted items 0 and 1 on version 1, then on version 2 granted only item 2
      { nullifier: "a", sequence: "1", grants: "3", textVersion: 1 },
      { nullifier: "a", sequence: "2", grants: "4", textVersion: 2 },
      // b: only decided on version 1, granting both: counts for item 0 (same text), not for 1 (changed) or 2 (new)
      { nullifier: "b", sequence: "1", grants: "3", textVersion: 1 },
    ];
    expect(tallyDecisions({ decisions, versions: [V1, V2], groupSize: 4 })).toEqual([
      { number: 0, granted: 1, withdrawn: 1, notAnswered: 2 },
      { number: 1, granted: 0, withdrawn: 1, notAnswered: 3 },
      { number: 2, granted: 1, withdrawn: 0, notAnswered: 3 },
    ]);
  });

  it("does not let an older decision listed later override a newer one", () => {
    const decisions = [
      { nullifier: "a", sequence: "2", grants: "0", textVersion: 2 },
      { nullifier: "a", sequence: "1", grants: "7", textVersion: 2 },
    ];
    expect(tallyDecisions({ decisions, versions: [V1, V2], groupSize: 1 }).map((r) => r.granted)).toEqual([0, 0, 0]);
  });

  it("does not count a decision on a version the page does not know", () => {
    const decisions = [{ nullifier: "a", sequence: "1", grants: "7", textVersion: 3 }];
    expect(tallyDecisions({ decisions, versions: [V1, V2], groupSize: 1 })).toEqual([
      { number: 0, granted: 0, withdrawn: 0, notAnswered: 1 },
      { number: 1, granted: 0, withdrawn: 0, notAnswered: 1 },
      { number: 2, granted: 0, withdrawn: 0, notAnswered: 1 },
    ]);
  });
});

describe("consentTextDigest", () => {
  it("is the RFC 8785 digest the portal freezes (recordDigest), also for quotes, escapes and non-ASCII", () => {
    const items = [item(3, 'Tell "them" \\ about my data — ünïcödé 🧬\n\u0001', ["DUO:0000042", "DUO:0000046"], ["DUO:0000007"]), item(0, "Plain.")];
    expect(consentTextDigest(items)).toBe(recordDigest(items));
  });
});

describe("compareEvents", () => {
  const a1 = chainEvent("111111111111111111", 1, 1n, 1);
  const a2 = chainEvent("111111111111111111", 2, 0n, 2);
  const b1 = chainEvent("222222222222222222", 1, 3n, 1);

  it("finds nothing when the page lists exactly the chain's decisions", () => {
    expect(compareEvents([listed(1, a1), listed(2, b1), listed(3, a2)], [a1, b1, a2])).toEqual([]);
  });

  it("reports a recorded decision missing on chain and a chain decision missing from the page", () => {
    const problems = compareEvents([listed(1, a1), listed(2, b1)], [a1, a2]);
    expect(problems.map((p) => p.kind).sort()).toEqual(["missing-in-portal", "missing-on-chain"]);
    expect(problems.find((p) => p.kind === "missing-on-chain")?.message).toContain("Decision 2");
  });

  it("reports altered grants, text version, proof and transaction", () => {
    const altered = { ...listed(1, a1), grants: "3" };
    const otherProof = listed(2, b1);
    otherProof.proof.points[7] = "9";
    const otherTx = { ...listed(3, a2), txHash: `0x${"f".repeat(64)}` };
    const problems = compareEvents([altered, otherProof, otherTx], [a1, b1, a2]);
    expect(problems.map((p) => p.kind)).toEqual(["altered", "altered", "altered"]);
    expect(problems[0]?.message).toContain("grants 3 on the page, 1 on chain");
    expect(problems[1]?.message).toContain("not the proof on chain");
    expect(problems[2]?.message).toContain("transaction");
  });

  it("reports a decision on chain that the page still lists as pending or as rejected, but not a pending one not yet there", () => {
    const pendingNotThere = listed(3, chainEvent("333", 1, 1n, 1), "PENDING");
    const problems = compareEvents([listed(1, a1, "SENT"), listed(2, b1, "REJECTED"), pendingNotThere], [a1, b1]);
    expect(problems.map((p) => p.kind)).toEqual(["status", "status"]);
    expect(problems[1]?.message).toContain("refused by the chain");
  });
});

describe("verifyConsent", () => {
  const a1 = chainEvent("555555555555555555", 1, 3n, 1);
  const a2 = chainEvent("555555555555555555", 2, 5n, 2);
  const b1 = chainEvent("666666666666666666", 1, 1n, 2);

  it("finds nothing when every proof verifies and the tallies agree, and keeps pending decisions apart", async () => {
    const pending = listed(4, chainEvent("777777777777777777", 1, 7n, 2), "PENDING");
    const portal = portalFor([listed(1, a1), listed(2, a2), listed(3, b1), pending]);
    const progress: string[] = [];
    const report = await verifyConsent({
      portal,
      chain: reader([a1, a2, b1]),
      scope: SCOPE,
      verifyProof: fakeVerify,
      onProgress: (p) => progress.push(p.phase === "proofs" ? `${p.done}/${p.total}` : p.phase),
    });
    expect(report.discrepancies).toEqual([]);
    expect(report.checks.every((c) => c.ok)).toBe(true);
    expect(report).toMatchObject({ proofs: 3, verified: 3, pending: 1, groupSize: 3 });
    expect(report.chainTally).toEqual([
      { number: 0, granted: 2, withdrawn: 0, notAnswered: 1 },
      { number: 1, granted: 0, withdrawn: 2, notAnswered: 1 },
      { number: 2, granted: 1, withdrawn: 1, notAnswered: 1 },
    ]);
    expect(progress).toContain("3/3");
    expect(verdict(report)).toBe("All 3 proofs verify and the tally matches the chain");
  });

  it("reports a proof that does not verify, one over an unknown root, and a message that is not the event's", async () => {
    const bad = { ...a1, points: ["0", "2", "3", "4", "5", "6", "7", "8"] };
    const unknownRoot = { ...b1, merkleTreeRoot: "1" };
    const wrongMessage = { ...a2, message: packConsentMessage({ grants: 7n, textVersion: 2, sequence: 2n }).toString() };
    const portal = portalFor([listed(1, bad), listed(2, wrongMessage), listed(3, unknownRoot)]);
    const report = await verifyConsent({ portal, chain: reader([bad, wrongMessage, unknownRoot]), scope: SCOPE, verifyProof: fakeVerify });
    expect(report.verified).toBe(2);
    expect(report.discrepancies.map((d) => d.kind).sort()).toEqual(["message", "proof", "root"]);
    expect(verdict(report)).toBe("3 discrepancies found between the portal and the chain");
  });

  it("checks every proof against this trial's scope", async () => {
    const report = await verifyConsent({ portal: portalFor([listed(1, a1)]), chain: reader([a1]), scope: "1", verifyProof: fakeVerify });
    expect(report.discrepancies.map((d) => d.kind)).toEqual(["proof"]);
  });

  it("reports a page tally that does not follow from its decisions, and a recorded tally that differs from the chain", async () => {
    const portal = portalFor([listed(1, a1), listed(2, a2), listed(3, b1)]);
    portal.tally = portal.tally.map((row) => (row.number === 0 ? { ...row, granted: row.granted + 1, notAnswered: row.notAnswered - 1 } : row));
    const report = await verifyConsent({ portal, chain: reader([a1, a2, b1]), scope: SCOPE, verifyProof: fakeVerify });
    expect(report.discrepancies.map((d) => d.kind)).toEqual(["page-tally"]);
    expect(report.discrepancies[0]?.message).toContain("Item 0");

    // The page hides b's decision: its recorded tally no longer matches the chain's.
    const hiding = portalFor([listed(1, a1), listed(2, a2)]);
    const hidden = await verifyConsent({ portal: hiding, chain: reader([a1, a2, b1]), scope: SCOPE, verifyProof: fakeVerify });
    expect(hidden.discrepancies.map((d) => d.kind).sort()).toEqual(["missing-in-portal", "tally", "tally", "tally"]);
  });

  it("reports texts that do not hash to their digest, a digest the chain does not hold, and a group size that differs", async () => {
    const portal = portalFor([listed(1, a1)]);
    const [first, second] = portal.versions;
    if (!first || !second) throw new Error("fixture");
    // A portal that changed a text after publishing it (keeping the old digest), and is consistent about it.
    portal.versions = [{ ...first, items: [item(0, "Use my data for any trial."), ...first.items.slice(1)] }, second];
    portal.tally = tallyDecisions({ decisions: portal.events, versions: portal.versions, groupSize: portal.groupSize });
    const report = await verifyConsent({
      portal,
      chain: reader([a1], { groupSize: 4, digests: { 2: `0x${"1".repeat(64)}` } }),
      scope: SCOPE,
      verifyProof: fakeVerify,
    });
    expect(report.discrepancies.map((d) => d.kind).sort()).toEqual(["digest", "group-size", "text"]);
  });

  it("notices logs the RPC left out through the contract's decided count and current decisions", async () => {
    const chain = reader([a1], { decided: 2 });
    const report = await verifyConsent({ portal: portalFor([listed(1, a1)]), chain, scope: SCOPE, verifyProof: fakeVerify });
    expect(report.discrepancies.map((d) => d.kind)).toEqual(["chain-state"]);

    const stale = { ...reader([a1, a2]), consentEvents: async () => [a1] };
    const staleReport = await verifyConsent({ portal: portalFor([listed(1, a1)]), chain: stale, scope: SCOPE, verifyProof: fakeVerify });
    expect(staleReport.discrepancies.map((d) => d.kind)).toEqual(["chain-state"]);
  });
});

describe("collectInRanges", () => {
  it("splits a refused range in halves and returns the results in order", async () => {
    const calls: string[] = [];
    const result = await collectInRanges(0, 9, async (from, to) => {
      calls.push(`${from}-${to}`);
      if (to - from > 3) throw new Error("range too large");
      return Array.from({ length: to - from + 1 }, (_, i) => from + i);
    });
    expect(result).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(calls[0]).toBe("0-9");
  });

  it("gives up on a single block the RPC refuses", async () => {
    await expect(collectInRanges(5, 5, async () => Promise.reject(new Error("down")))).rejects.toThrow("down");
  });
});
