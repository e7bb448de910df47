import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fromHex, inclusionProof, leafHash, rootOf, toHex } from "@/lib/merkle";
import { ReceiptError, checkReceiptProof, parseReceipt, type Receipt } from "@/lib/anchoring/receipt";

const sha256 = (text: string) => new Uint8Array(createHash("sha256").update(text).digest());

// Three items anchored together; the receipt is for the second.
const items = ["protocol v1", "statistical analysis plan", "registration record"].map(sha256);
const index = 1;
const item = items[index] ?? new Uint8Array();

const valid: Receipt = {
  format: "trialledger-receipt",
  version: 1,
  digest: toHex(item),
  subject: { kind: "file", id: "TLR-2026-00042", name: "sap.pdf" },
  leafIndex: index,
  treeSize: items.length,
  path: inclusionProof(items.map(leafHash), index).map(toHex),
  root: toHex(rootOf(items.map(leafHash))),
  chain: {
    chainId: 31337,
    contract: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
    transaction: `0x${"ab".repeat(32)}`,
    blockNumber: 12,
    blockTime: "2026-03-02T10:15:30Z",
  },
  confirmations: 2,
  issuedAt: "2026-03-02T10:16:01.250Z",
};

/** The problems parseReceipt reports for `json`, or [] when it accepts it. */
function problems(json: unknown): string[] {
  try {
    parseReceipt(json);
    return [];
  } catch (error) {
    if (error instanceof ReceiptError) return error.problems;
    throw error;
  }
}

describe("parseReceipt", () => {
  it("accepts a valid receipt, with or without a subject, and survives a JSON round trip", () => {
    expect(parseReceipt(JSON.parse(JSON.stringify(valid)))).toEqual(valid);
    const { subject: _subject, ...bare } = valid;
    expect(parseReceipt(bare)).toEqual(bare);
  });

  it("names the field and the problem", () => {
    expect(problems({ ...valid, digest: "0xABCD" })).toEqual(['digest: Expected "0x" and 64 lowercase hex digits (32 bytes).']);
    expect(problems({ ...valid, root: valid.root.toUpperCase() })).toEqual([
      'root: Expected "0x" and 64 lowercase hex digits (32 bytes).',
    ]);
    expect(problems({ ...valid, version: 2 })).toEqual(["version: Expected 1 (the only version this verifier knows)."]);
    expect(problems({ ...valid, path: Array.from({ length: 65 }, () => valid.root) })).toEqual([
      "path: At most 64 hashes: trees have at most 2^64 leaves.",
    ]);
    const { chain: _chain, ...noChain } = valid;
    expect(problems(noChain)).toEqual(["chain: Missing."]);
    expect(problems({ ...valid, chain: { ...valid.chain, blockTime: "2026-03-02T10:15:30.5Z" } })).toEqual([
      'chain.blockTime: Expected an ISO 8601 UTC time, like "2025-01-31T12:00:00Z".',
    ]);
    expect(problems({ ...valid, leafIndex: 3 })).toEqual(["leafIndex: Must be less than treeSize."]);
    expect(problems({ ...valid, subject: { kind: "email" } })[0]).toMatch(/^subject\.kind: Expected one of trial-record/);
  });

  it("lists every problem at once, in the error message too", () => {
    const error = (() => {
      try {
        parseReceipt({ ...valid, format: "ots", treeSize: 0, chain: { ...valid.chain, contract: "0x1234" } });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ReceiptError);
    const message = error instanceof Error ? error.message : "";
    expect(message).toMatch(/^Not a valid TrialLedger receipt:/);
    expect(message).toContain('- format: Expected "trialledger-receipt".');
    expect(message).toContain("- treeSize: Expected 1 or more");
    expect(message).toContain("- chain.contract: Expected an address");
  });

  it("refuses unknown fields and things that are not receipts", () => {
    expect(problems({ ...valid, note: "x" })[0]).toMatch(/note/);
    expect(problems(null)).toEqual(["Expected a receipt object."]);
    expect(problems("{}")).toEqual(["Expected a receipt object."]);
    expect(problems({ ...valid, leafIndex: 2 ** 53 })[0]).toMatch(/^leafIndex:/);
  });
});

describe("checkReceiptProof", () => {
  it("accepts the item the receipt is for, and the proof alone", () => {
    expect(checkReceiptProof(valid, item)).toEqual({ ok: true });
    expect(checkReceiptProof(valid)).toEqual({ ok: true });
  });

  it("refuses an item that differs by one byte", () => {
    const changed = item.slice();
    changed[7] = (changed[7] ?? 0) ^ 0xff;
    const result = checkReceiptProof(valid, changed);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/receipt for a different item, or the item was changed/);
  });

  it("refuses a receipt whose proof was tampered with", () => {
    const first = valid.path[0] ?? "";
    const tampered = { ...valid, path: [`${first.slice(0, -1)}${first.endsWith("0") ? "1" : "0"}`, ...valid.path.slice(1)] };
    expect(checkReceiptProof(tampered, item)).toEqual({
      ok: false,
      reason: "Hashing the digest up the path does not give the receipt's root: the digest, path, leaf index or root was altered.",
    });
    // A receipt edited to name another item's digest fails the same way, with or without the item.
    const otherDigest = { ...valid, digest: toHex(items[0] ?? new Uint8Array()) };
    expect(checkReceiptProof(otherDigest).ok).toBe(false);
    expect(checkReceiptProof({ ...valid, leafIndex: 0 }).ok).toBe(false);
  });

  it("explains a path of the wrong length and a malformed receipt", () => {
    expect(checkReceiptProof({ ...valid, path: [...valid.path, valid.root] })).toEqual({
      ok: false,
      reason: "The path has 3 hashes, but leaf 1 of a tree of 3 leaves needs exactly 2.",
    });
    expect(checkReceiptProof({ ...valid, leafIndex: 5 })).toEqual({ ok: false, reason: "Leaf 5 cannot be in a tree of 3 leaves." });
    const result = checkReceiptProof({ ...valid, root: "0xnothex" });
    expect(!result.ok && result.reason).toMatch(/^The receipt is malformed:/);
  });

  it("works on the bytes, not the spelling", () => {
    expect(fromHex(valid.digest)).toEqual(item);
  });
});
