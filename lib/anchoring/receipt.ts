import { z } from "zod";
import { HASH_BYTES, fromHex, inclusionPathLength, leafHash, toHex, verifyInclusion } from "@/lib/merkle";

/**
 * TrialLedger receipt, version 1: a self-contained JSON document proving that a SHA-256 digest is
 * a leaf of a Merkle root anchored on chain. docs/receipt-format.md specifies it for independent
 * verifiers; keep the two in step. Version 1 is closed (unknown fields are refused): a verifier
 * knows the meaning of everything it accepted, and any new field means version 2.
 */

/** What the anchored item is. Descriptive only: the proof covers the digest, not the subject. */
export const SUBJECT_KINDS = ["trial-record", "file", "analysis-plan", "audit-tree-head"] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/**
 * 64 levels cover trees of up to 2^64 leaves, far beyond any batch; a longer path cannot be valid
 * and only costs a verifier hashing. (Leaf indices are JSON numbers, so 2^53 − 1 in practice.)
 */
export const MAX_PATH_LENGTH = 64;

/**
 * Messages for a person reading the problem list: "chain: Missing." rather than zod's
 * "expected object, received undefined", and unknown fields named as such.
 */
function expecting(what: string): { error: z.core.$ZodErrorMap } {
  return {
    error: (issue) => {
      if (issue.code === "unrecognized_keys") {
        return `Unknown field ${issue.keys.map((key) => `"${key}"`).join(", ")}: version 1 has no such field.`;
      }
      return issue.input === undefined ? "Missing." : `Expected ${what}.`;
    },
  };
}

// Lowercase only, like every hex value TrialLedger writes: one spelling per value, so that
// comparing receipts or digests as text is comparing bytes.
const hash32 = z
  .string(expecting("a hex string"))
  .regex(/^0x[0-9a-f]{64}$/, 'Expected "0x" and 64 lowercase hex digits (32 bytes).');
const address = z
  .string(expecting("a hex string"))
  .regex(/^0x[0-9a-f]{40}$/, 'Expected an address: "0x" and 40 lowercase hex digits.');
// z.number().int() also refuses integers beyond 2^53 − 1, which JSON numbers cannot carry exactly.
const count = z.number(expecting("an integer")).int("Expected an integer.");
// Zod's ISO datetime: UTC with a "Z" suffix, which sorts and compares as text.
const instant = z.iso.datetime(expecting('an ISO 8601 UTC time, like "2025-01-31T12:00:00.000Z"'));
// Whole seconds: a block timestamp has no fraction, so the chain check can compare it exactly.
const blockInstant = z.iso.datetime({ precision: 0, ...expecting('an ISO 8601 UTC time, like "2025-01-31T12:00:00Z"') });

export const receiptSchema = z
  .strictObject(
    {
      format: z.literal("trialledger-receipt", expecting('"trialledger-receipt"')),
      version: z.literal(1, expecting("1 (the only version this verifier knows)")),
      digest: hash32,
      subject: z
        .strictObject(
          {
            kind: z.enum(SUBJECT_KINDS, expecting(`one of ${SUBJECT_KINDS.join(", ")}`)),
            // 200: room for any registry or database id (ISRCTN, NCT, cuid ids are under 40).
            id: z.string(expecting("a string")).min(1, "Empty.").max(200, "At most 200 characters.").optional(),
            // 500: file names are at most 255 bytes on common file systems; trial titles run longer.
            name: z.string(expecting("a string")).min(1, "Empty.").max(500, "At most 500 characters.").optional(),
          },
          expecting("an object"),
        )
        .optional(),
      leafIndex: count.nonnegative("Expected 0 or more."),
      treeSize: count.positive("Expected 1 or more: an empty batch is never anchored."),
      path: z
        .array(hash32, expecting("an array of hashes"))
        .max(MAX_PATH_LENGTH, `At most ${MAX_PATH_LENGTH} hashes: trees have at most 2^64 leaves.`),
      root: hash32,
      chain: z.strictObject(
        {
          chainId: count.positive("Expected a chain id of 1 or more."),
          contract: address,
          transaction: hash32,
          blockNumber: count.nonnegative("Expected 0 or more."),
          blockTime: blockInstant,
        },
        expecting("an object"),
      ),
      // At least 1: the block that holds the transaction is its first confirmation.
      confirmations: count.min(1, "Expected 1 or more."),
      issuedAt: instant,
    },
    expecting("a receipt object"),
  )
  .refine((receipt) => receipt.leafIndex < receipt.treeSize, {
    path: ["leafIndex"],
    message: "Must be less than treeSize.",
  });

export type Receipt = z.infer<typeof receiptSchema>;

/** A document that is not a well-formed version 1 receipt; `problems` reads "field: what is wrong". */
export class ReceiptError extends Error {
  override name = "ReceiptError";
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Not a valid TrialLedger receipt:\n${problems.map((problem) => `- ${problem}`).join("\n")}`);
    this.problems = problems;
  }
}

/**
 * Checks the shape of a receipt — an already parsed JSON value — and returns it typed. The proof
 * itself is checked by `checkReceiptProof`.
 *
 * @throws ReceiptError listing every problem found, one per field.
 */
export function parseReceipt(json: unknown): Receipt {
  const result = receiptSchema.safeParse(json);
  if (result.success) return result.data;
  throw new ReceiptError(
    result.error.issues.map((issue) => {
      const field = issue.path.map(String).join(".");
      return field ? `${field}: ${issue.message}` : issue.message;
    }),
  );
}

export type ProofCheck = { ok: true } | { ok: false; reason: string };

/**
 * Checks that `digest` (when given: the SHA-256 of the item the holder has) is the receipt's
 * digest, and that the receipt's inclusion proof leads from that digest to its root. Says nothing
 * about the chain: whether and when the root was anchored is the chain check's job.
 *
 * Returns a reason written for the person verifying rather than throwing, including for a
 * receipt object that did not come through `parseReceipt`.
 */
export function checkReceiptProof(receipt: Receipt, digest?: Uint8Array): ProofCheck {
  if (digest !== undefined && toHex(digest) !== receipt.digest) {
    return {
      ok: false,
      reason: `The item's SHA-256 is ${toHex(digest)}, but this receipt is for ${receipt.digest}: it is a receipt for a different item, or the item was changed.`,
    };
  }

  const { leafIndex, treeSize } = receipt;
  let expectedLength: number;
  try {
    expectedLength = inclusionPathLength(leafIndex, treeSize);
  } catch {
    return { ok: false, reason: `Leaf ${leafIndex} cannot be in a tree of ${treeSize} leaves.` };
  }
  if (receipt.path.length !== expectedLength) {
    return {
      ok: false,
      reason: `The path has ${receipt.path.length} hashes, but leaf ${leafIndex} of a tree of ${treeSize} leaves needs exactly ${expectedLength}.`,
    };
  }

  let leaf: Uint8Array, path: Uint8Array[], root: Uint8Array;
  try {
    leaf = fromHex(receipt.digest, HASH_BYTES);
    path = receipt.path.map((hash) => fromHex(hash, HASH_BYTES));
    root = fromHex(receipt.root, HASH_BYTES);
  } catch (error) {
    return { ok: false, reason: `The receipt is malformed: ${error instanceof Error ? error.message : "bad hex"}` };
  }

  if (!verifyInclusion(leafHash(leaf), leafIndex, treeSize, path, root)) {
    return {
      ok: false,
      reason: "Hashing the digest up the path does not give the receipt's root: the digest, path, leaf index or root was altered.",
    };
  }
  return { ok: true };
}
