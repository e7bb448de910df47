import { describe, expect, it } from "vitest";
import { StaleReceipts, judgeAnchor } from "@/lib/anchoring/reconcile";

const HASH = `0x${"ab".repeat(32)}`;
const OTHER = `0x${"cd".repeat(32)}`;
// An anchor in block 100, re-checked with a finality depth of 64.
const at = (over: Partial<Parameters<typeof judgeAnchor>[0]>) =>
  judgeAnchor({ height: 100, recorded: HASH, onChain: HASH, head: 110, finalized: null, depth: 64, ...over });

describe("judgeAnchor", () => {
  it("an RPC without the block (a load-balanced backend behind, or one that cannot say) does not reopen the batch", () => {
    // Behind: its head is below the anchor's block.
    expect(at({ onChain: null, head: 98 })).toBe("unknown");
    // Inconsistent backends: one reports a head past the block, another has no block there.
    expect(at({ onChain: null, head: 200 })).toBe("unknown");
    // Nor one that has not recorded the hash yet.
    expect(at({ onChain: null, recorded: null })).toBe("unknown");
  });

  it("a block with another hash at the anchor's height is a reorganisation, however deep", () => {
    expect(at({ onChain: OTHER })).toBe("reorganised");
    expect(at({ onChain: OTHER, head: 1_000, finalized: 900 })).toBe("reorganised");
    expect(at({ recorded: null })).toBe("reorganised");
  });

  it("the recorded block settles once deep enough and finalized, where the chain says", () => {
    expect(at({})).toBe("shallow");
    expect(at({ head: 163 })).toBe("settled"); // 64 blocks counting its own
    expect(at({ head: 162 })).toBe("shallow");
    expect(at({ head: 163, finalized: 99 })).toBe("shallow");
    expect(at({ head: 163, finalized: 100 })).toBe("settled");
  });
});

describe("StaleReceipts", () => {
  it("treats a transaction as dropped after the limit of stale receipts in a row, per batch and transaction", () => {
    const stale = new StaleReceipts(3);
    expect([stale.note("b1", "0xa"), stale.note("b1", "0xa")]).toEqual([false, false]);
    expect(stale.note("b2", "0xa")).toBe(false); // another batch counts on its own
    expect(stale.note("b1", "0xb")).toBe(false); // as does another transaction
    expect(stale.note("b1", "0xa")).toBe(true);
    expect(stale.note("b1", "0xa")).toBe(false); // counting starts again after the resend
  });

  it("starts again after a good receipt", () => {
    const stale = new StaleReceipts(2);
    expect(stale.note("b1", "0xa")).toBe(false);
    stale.clear("b1");
    expect(stale.note("b1", "0xa")).toBe(false);
    expect(stale.note("b1", "0xa")).toBe(true);
  });
});
