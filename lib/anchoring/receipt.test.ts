import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
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
  version: 2,
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
  it("accepts a valid receipt and survives a JSON round trip; version 2 needs a subject, version 1 does not", () => {
    expect(parseReceipt(JSON.parse(JSON.stringify(valid)))).toEqual(valid);
    const { subject: _subject, ...bare } = valid;
    expect(problems(bare)).toEqual(["subject: Missing."]);
    expect(parseReceipt({ ...bare, version: 1 })).toEqual({ ...bare, version: 1 });
  });

  it("takes any kebab-case subject kind in version 2, only the four closed ones in version 1", () => {
    for (const kind of ["dataset-manifest", "dataset-file", "access-request-analysis-plan", "email"]) {
      expect(parseReceipt({ ...valid, subject: { kind } }).subject?.kind).toBe(kind);
    }
    expect(problems({ ...valid, subject: { kind: "Dataset File" } })).toEqual(['subject.kind: Expected lower-case words joined by hyphens, like "dataset-file".']);
    expect(problems({ ...valid, subject: { kind: "dataset--file" } })).toHaveLength(1);
    expect(problems({ ...valid, subject: { kind: "k".repeat(65) } })).toEqual(["subject.kind: At most 64 characters."]);
    expect(problems({ ...valid, version: 1, subject: { kind: "dataset-file" } })[0]).toMatch(/^subject\.kind: Expected one of trial-record, file, analysis-plan, audit-tree-head/);
    expect(problems({ ...valid, version: 1, note: "x" })).toEqual(['Unknown field "note": version 1 has no such field.']);
    expect(problems({ ...valid, subject: { kind: "file", size: 3 } })).toEqual(['subject: Unknown field "size": version 2 has no such field.']);
  });

  it("names the field and the problem", () => {
    expect(problems({ ...valid, digest: "0xABCD" })).toEqual(['digest: Expected "0x" and 64 lowercase hex digits (32 bytes).']);
    expect(problems({ ...valid, root: valid.root.toUpperCase() })).toEqual([
      'root: Expected "0x" and 64 lowercase hex digits (32 bytes).',
    ]);
    expect(problems({ ...valid, version: 3 })).toEqual(["version: Expected 1 or 2 (the versions this verifier knows)."]);
    expect(problems({ ...valid, version: "2" })).toEqual(["version: Expected 1 or 2 (the versions this verifier knows)."]);
    expect(problems({ ...valid, path: Array.from({ length: 65 }, () => valid.root) })).toEqual([
      "path: At most 64 hashes: trees have at most 2^64 leaves.",
    ]);
    const { chain: _chain, ...noChain } = valid;
    expect(problems(noChain)).toEqual(["chain: Missing."]);
    expect(problems({ ...valid, chain: { ...valid.chain, blockTime: "2026-03-02T10:15:30.5Z" } })).toEqual([
      'chain.blockTime: Expected an ISO 8601 UTC time, like "2025-01-31T12:00:00Z".',
    ]);
    expect(problems({ ...valid, leafIndex: 3 })).toEqual(["leafIndex: Must be less than treeSize."]);
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

/**
 * Receipts the portal issued, kept as files: lib/anchoring/fixtures/receipt-v1-*.json were written
 * by anchorState before version 2 existed (three items anchored on anvil in one batch), the v2 ones
 * by the current code. The items are the texts "TrialLedger receipt fixture item A\n", "… B\n", "… C\n".
 */
describe("receipts issued by the portal", () => {
  const fixture = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8"));
  const itemText = (letter: string) => sha256(`TrialLedger receipt fixture item ${letter}\n`);

  it.each([
    ["receipt-v1-trial-record.json", 1, "trial-record", "A"],
    ["receipt-v1-file.json", 1, "file", "B"],
    ["receipt-v2-dataset-manifest.json", 2, "dataset-manifest", "A"],
    ["receipt-v2-dataset-file.json", 2, "dataset-file", "B"],
    ["receipt-v2-file.json", 2, "file", "C"],
  ] as const)("%s parses as version %i and proves its item", (name, version, kind, letter) => {
    const receipt = parseReceipt(fixture(name));
    expect(receipt.version).toBe(version);
    expect(receipt.subject?.kind).toBe(kind);
    expect(checkReceiptProof(receipt, itemText(letter))).toEqual({ ok: true });
    expect(checkReceiptProof(receipt, itemText(letter === "A" ? "B" : "A")).ok).toBe(false);
  });

  it("version 1 and version 2 of one item share the proof and the chain fields", () => {
    const { version: _v1, subject: s1, issuedAt: _i1, ...v1 } = parseReceipt(fixture("receipt-v1-file.json"));
    const { version: _v2, subject: s2, issuedAt: _i2, chain: c2, ...v2 } = parseReceipt(fixture("receipt-v2-dataset-file.json"));
    const { blockTime: _t1, ...chain1 } = v1.chain;
    const { blockTime: _t2, ...chain2 } = c2;
    expect({ ...v1, chain: chain1 }).toEqual({ ...v2, chain: chain2 });
    expect([s1?.kind, s2?.kind]).toEqual(["file", "dataset-file"]);
  });
});
