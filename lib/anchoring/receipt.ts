import { z } from "zod";
import { HASH_BYTES, fromHex, inclusionPathLength, leafHash, toHex, verifyInclusion } from "@/lib/merkle";

/**
 * TrialLedger receipts: self-contained JSON documents proving that a SHA-256 digest is a leaf of a
 * Merkle root anchored on chain. docs/receipt-format.md specifies them for independent verifiers;
 * keep the two in step. The portal issues version 2; version 1 (issued until December 2026) still
 * parses and verifies, since receipts are kept and checked for years. Both versions are closed
 * (unknown fields are refused): a verifier knows the meaning of everything it accepted, and any
 * new field means a new version.
 *
 * Version 2 differs from version 1 in one thing: `subject.kind` is open (any lower-case kebab-case
 * word, so a new kind of item — a dataset manifest — needs no new format), and `subject` is always
 * present. The proof and the chain fields are unchanged.
 */

/** The subject kinds version 1 allows, and the only ones: a closed list. */
export const V1_SUBJECT_KINDS = ["trial-record", "file", "analysis-plan", "audit-tree-head"] as const;

/**
 * The kinds this portal issues. The format is open (see SUBJECT_KIND): a verifier shows an
 * unknown kind as it is; this list only types the portal's own anchoring requests.
 */
export const SUBJECT_KINDS = [...V1_SUBJECT_KINDS, "dataset-manifest", "dataset-file", "access-analysis-plan", "export-manifest"] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/**
 * A version 2 subject kind: lower-case words joined by single hyphens, at most 64 characters —
 * one spelling per kind, and room for names like "access-request-analysis-plan".
 */
export const SUBJECT_KIND = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The receipt versions this code reads; the last is the one it issues. */
export const RECEIPT_VERSIONS = [1, 2] as const;
export const CURRENT_RECEIPT_VERSION = 2;

/**
 * 64 levels cover trees of up to 2^64 leaves, far beyond any batch; a longer path cannot be valid
 * and only costs a verifier hashing. (Leaf indices are JSON numbers, so 2^53 − 1 in practice.)
 */
export const MAX_PATH_LENGTH = 64;

/**
 * Messages for a person reading the problem list: "chain: Missing." rather than zod's
 * "expected object, received undefined", and unknown fields named as such.
 */
function expecting(what: string, version: number): { error: z.core.$ZodErrorMap } {
  return {
    error: (issue) => {
      if (issue.code === "unrecognized_keys") {
        return `Unknown field ${issue.keys.map((key) => `"${key}"`).join(", ")}: version ${version} has no such field.`;
      }
      return issue.input === undefined ? "Missing." : `Expected ${what}.`;
    },
  };
}

/** The fields versions 1 and 2 share, with their bounds; `subject` is what differs. */
function receiptShape<V extends number, S extends z.ZodType>(version: V, subject: S) {
  const e = (what: string) => expecting(what, version);
  // Lowercase only, like every hex value TrialLedger writes: one spelling per value, so that
  // comparing receipts or digests as text is comparing bytes.
  const hash32 = z.string(e("a hex string")).regex(/^0x[0-9a-f]{64}$/, 'Expected "0x" and 64 lowercase hex digits (32 bytes).');
  const address = z.string(e("a hex string")).regex(/^0x[0-9a-f]{40}$/, 'Expected an address: "0x" and 40 lowercase hex digits.');
  // z.number().int() also refuses integers beyond 2^53 − 1, which JSON numbers cannot carry exactly.
  const count = z.number(e("an integer")).int("Expected an integer.");
  // Zod's ISO datetime: UTC with a "Z" suffix, which sorts and compares as text.
  const instant = z.iso.datetime(e('an ISO 8601 UTC time, like "2025-01-31T12:00:00.000Z"'));
  // Whole seconds: a block timestamp has no fraction, so the chain check can compare it exactly.
  const blockInstant = z.iso.datetime({ precision: 0, ...e('an ISO 8601 UTC time, like "2025-01-31T12:00:00Z"') });
  return z
    .strictObject(
      {
        format: z.literal("trialledger-receipt", e('"trialledger-receipt"')),
        version: z.literal(version, e(`${version}`)),
        digest: hash32,
        subject,
        leafIndex: count.nonnegative("Expected 0 or more."),
        treeSize: count.positive("Expected 1 or more: an empty batch is never anchored."),
        path: z.array(hash32, e("an array of hashes")).max(MAX_PATH_LENGTH, `At most ${MAX_PATH_LENGTH} hashes: trees have at most 2^64 leaves.`),
        root: hash32,
        chain: z.strictObject(
          {
            chainId: count.positive("Expected a chain id of 1 or more."),
            contract: address,
            transaction: hash32,
            blockNumber: count.nonnegative("Expected 0 or more."),
            blockTime: blockInstant,
          },
          e("an object"),
        ),
        // At least 1: the block that holds the transaction is its first confirmation.
        confirmations: count.min(1, "Expected 1 or more."),
        issuedAt: instant,
      },
      e("a receipt object"),
    )
    .refine((receipt) => receipt.leafIndex < receipt.treeSize, { path: ["leafIndex"], message: "Must be less than treeSize." });
}

/** `subject.id` and `subject.name`, the same in both versions. */
function subjectLabels(version: number) {
  const e = (what: string) => expecting(what, version);
  return {
    // 200: room for any registry or database id (ISRCTN, NCT, cuid ids are under 40).
    id: z.string(e("a string")).min(1, "Empty.").max(200, "At most 200 characters.").optional(),
    // 500: file names are at most 255 bytes on common file systems; trial titles run longer, and a
    // dataset file's name is prefixed with its release ("TLR-2026-00001.D1 release 2 — ").
    name: z.string(e("a string")).min(1, "Empty.").max(500, "At most 500 characters.").optional(),
  };
}

/** Version 1: `subject` optional, its kind one of V1_SUBJECT_KINDS. */
export const receiptV1Schema = receiptShape(
  1,
  z
    .strictObject(
      { kind: z.enum(V1_SUBJECT_KINDS, expecting(`one of ${V1_SUBJECT_KINDS.join(", ")}`, 1)), ...subjectLabels(1) },
      expecting("an object", 1),
    )
    .optional(),
);

/** Version 2, the one the portal issues: `subject` required, its kind open (SUBJECT_KIND). */
export const receiptV2Schema = receiptShape(
  2,
  z.strictObject(
    {
      kind: z
        .string(expecting("a string", 2))
        .max(64, "At most 64 characters.")
        .regex(SUBJECT_KIND, 'Expected lower-case words joined by hyphens, like "dataset-file".'),
      ...subjectLabels(2),
    },
    expecting("an object", 2),
  ),
);

/** The receipt the portal issues (version 2); the OpenAPI document describes this one. */
export const receiptSchema = receiptV2Schema;

export type ReceiptV1 = z.infer<typeof receiptV1Schema>;
export type ReceiptV2 = z.infer<typeof receiptV2Schema>;
/** A receipt of either version: the proof and chain fields are the same, `subject` may be absent (v1). */
export type Receipt = ReceiptV1 | ReceiptV2;

/** A document that is not a well-formed receipt of a known version; `problems` reads "field: what is wrong". */
export class ReceiptError extends Error {
  override name = "ReceiptError";
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Not a valid TrialLedger receipt:\n${problems.map((problem) => `- ${problem}`).join("\n")}`);
    this.problems = problems;
  }
}

/**
 * Checks the shape of a receipt — an already parsed JSON value — of version 1 or 2, chosen by its
 * `version` field, and returns it typed. The proof itself is checked by `checkReceiptProof`.
 *
 * @throws ReceiptError listing every problem found, one per field.
 */
export function parseReceipt(json: unknown): Receipt {
  const version = typeof json === "object" && json !== null && "version" in json ? json.version : undefined;
  if (typeof json === "object" && json !== null && !Array.isArray(json) && version !== 1 && version !== 2) {
    const format = (json as { format?: unknown }).format;
    throw new ReceiptError([
      ...(format === "trialledger-receipt" ? [] : ['format: Expected "trialledger-receipt".']),
      version === undefined ? "version: Missing." : `version: Expected ${RECEIPT_VERSIONS.join(" or ")} (the versions this verifier knows).`,
    ]);
  }
  const result = (version === 1 ? receiptV1Schema : receiptV2Schema).safeParse(json);
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
