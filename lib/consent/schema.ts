import { z } from "zod";
import { CONSENT_TREE_DEPTH } from "@/lib/consent/artifacts";
import { DUO_IDS } from "@/lib/consent/duo";
import { MAX_CONSENT_ITEMS } from "@/lib/consent/message";
import { multiLine } from "@/lib/schema/text";

/**
 * A non-negative integer in canonical decimal (no sign, no leading zeros), as Semaphore proofs spell
 * them. Canonical because the portal keys pseudonyms, commitments and decisions by these strings
 * while the verifier reads them as numbers: "0123" would verify as 123 yet count as a new pseudonym.
 * 78 digits hold 2^256.
 */
const CANONICAL_DECIMAL = /^(0|[1-9]\d{0,77})$/;
const decimal = z.string().regex(CANONICAL_DECIMAL, "must be a decimal integer without leading zeros");

/** `decimal` below `bound`; the refinement runs even after a failed pattern (zod), so it re-checks the digits. */
const decimalBelow = (bound: bigint, message: string) => decimal.refine((value) => CANONICAL_DECIMAL.test(value) && BigInt(value) < bound, message);

/** One consent item as a sponsor writes it. */
export const consentItemInput = z.object({
  /** Absent for a new item; an existing item keeps its number (its bit in every decision). */
  number: z.coerce.number().int().min(0).max(MAX_CONSENT_ITEMS - 1).optional(),
  // 2,000 characters: a plain-language paragraph; longer belongs in the participant information sheet.
  text: multiLine().min(10, "Write the item in a full sentence.").max(2000, "Keep an item under 2,000 characters."),
  ifGranted: z.array(z.enum(DUO_IDS)).max(DUO_IDS.length).default([]),
  ifWithheld: z.array(z.enum(DUO_IDS)).max(DUO_IDS.length).default([]),
});

export const consentItemsInput = z
  .array(consentItemInput)
  .min(1, "Add at least one consent item.")
  .max(MAX_CONSENT_ITEMS, `A trial can have at most ${MAX_CONSENT_ITEMS} consent items.`);

/** A consent item as frozen in a version. */
export type ConsentItem = { number: number; text: string; ifGranted: string[]; ifWithheld: string[] };
export const frozenItems = z.array(
  z.object({ number: z.number().int(), text: z.string(), ifGranted: z.array(z.string()), ifWithheld: z.array(z.string()) }),
);

/**
 * The BN254 scalar field's order p (Semaphore's SNARK_SCALAR_FIELD): every leaf, root and public
 * signal of a proof is an element of [0, p). Semaphore's LeanIMT refuses a leaf ≥ p or 0.
 */
export const SNARK_SCALAR_FIELD = 21888242871839275222246405745257275088548364400416827590307405616602143004167n;

/**
 * An identity commitment as a group can hold it: a decimal field element 0 < c < p. 0 and values ≥ p
 * (the digit check alone lets through up to 10^78) are refused by Semaphore on chain and would make
 * every enrolment batch they join revert; refusing them here keeps the code unspent.
 */
export const commitmentInput = decimal.refine(
  (value) => CANONICAL_DECIMAL.test(value) && value !== "0" && BigInt(value) < SNARK_SCALAR_FIELD,
  "must be an identity commitment: a decimal integer above 0 and below the SNARK field order",
).meta({
  description: `The Semaphore v4 identity commitment (Poseidon hash of the public key), decimal, 0 < c < ${SNARK_SCALAR_FIELD}.`,
});

const FIELD_MESSAGE = "must be an element of the SNARK scalar field (below its order)";
const UINT256_LIMIT = 1n << 256n;
/** BN254's base field order q: the coordinates of a Groth16 proof's points are below it. */
const BN254_BASE_FIELD = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

const DEPTH_MESSAGE = `must be ${CONSENT_TREE_DEPTH}: consent proofs are made at the fixed tree depth`;

/** A Semaphore v4 proof as @semaphore-protocol/proof returns it. */
export const semaphoreProofInput = z.object({
  // Only the portal's fixed depth: a proof at a smaller depth than the group needs proves a smaller
  // set (a depth-3 proof in a 23-member group covers 8 leaves at most), and its depth tells how many
  // members the group had when it was made. Semaphore's verifier accepts 1..32; the portal does not.
  merkleTreeDepth: z.coerce
    .number()
    .int()
    .min(CONSENT_TREE_DEPTH, DEPTH_MESSAGE)
    .max(CONSENT_TREE_DEPTH, DEPTH_MESSAGE)
    .meta({ description: `Always ${CONSENT_TREE_DEPTH}, whatever the group's size (lib/consent/artifacts.ts).` }),
  // Roots and nullifiers are Poseidon outputs (elements of the scalar field); message and scope are
  // uint256 (hashed into the field by the circuit's caller); the points are coordinates over the
  // curve's base field. A value past its range could only be an alias of a smaller one.
  merkleTreeRoot: decimalBelow(SNARK_SCALAR_FIELD, FIELD_MESSAGE),
  nullifier: decimalBelow(SNARK_SCALAR_FIELD, FIELD_MESSAGE),
  message: decimalBelow(UINT256_LIMIT, "must be below 2^256"),
  scope: decimalBelow(UINT256_LIMIT, "must be below 2^256"),
  points: z.array(decimalBelow(BN254_BASE_FIELD, "must be below the BN254 base field order")).length(8),
});
export type SemaphoreProofInput = z.infer<typeof semaphoreProofInput>;

/**
 * Enrolment codes: 20 Crockford base-32 characters (100 random bits) in groups of four. 100 bits
 * make guessing hopeless without a rate limit — which matters, because rate limiting would mean
 * keeping the requester's address next to an enrolment. Typing: case, spaces and dashes are
 * ignored, and I/L→1, O→0 as Crockford reads them.
 */
export const ENROLMENT_CODE_CHARS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const ENROLMENT_CODE_LENGTH = 20;

/** The canonical form of a typed code, or null when it cannot be one. */
export function normaliseEnrolmentCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, "").replace(/[IL]/g, "1").replace(/O/g, "0");
  if (code.length !== ENROLMENT_CODE_LENGTH) return null;
  for (const char of code) if (!ENROLMENT_CODE_CHARS.includes(char)) return null;
  return code;
}

/** "ABCD-EFGH-…" for print. */
export function formatEnrolmentCode(code: string): string {
  return code.match(/.{1,4}/g)?.join("-") ?? code;
}

/**
 * The enrolment link printed as a QR code. The code goes in the fragment, which browsers never send
 * to a server, so no access log ever holds a code.
 */
export function enrolmentLink(origin: string, code: string): string {
  return `${origin}${ENROLMENT_PATH}#code=${code}`;
}

/** The participant's enrolment page. */
export const ENROLMENT_PATH = "/participate/enrol";

/** The code in an enrolment link's fragment ("#code=…"), or null. */
export function codeFromFragment(hash: string): string | null {
  const match = /(?:^#|&)code=([^&]+)/.exec(hash);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

/** RFC 4180: quote a field that holds a comma, a quote or a line break. */
const csvField = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** The sponsor's CSV of a code set: one row per code, with its printed form and its link. */
export function enrolmentCodesCsv(registrationNumber: string, cards: readonly { formatted: string; url: string }[]): string {
  const rows = [["registration_number", "code", "enrol_url"], ...cards.map((c) => [registrationNumber, c.formatted, c.url])];
  return `${rows.map((row) => row.map(csvField).join(",")).join("\r\n")}\r\n`;
}

export const enrolmentCodeInput = z.string().max(64).transform((typed, ctx) => {
  const code = normaliseEnrolmentCode(typed);
  if (!code) {
    ctx.addIssue({ code: "custom", message: "An enrolment code has 20 letters and digits, like ABCD-EFGH-JKMN-PQRS-TVWX." });
    return z.NEVER;
  }
  return code;
});

/** How many codes one request may generate: a printed sheet per site visit, not a whole registry. */
export const MAX_CODES_PER_REQUEST = 500;

/** `POST /api/consent/enrolment`. */
export const enrolmentRedeemInput = z.object({ code: z.string().max(64), commitment: commitmentInput });
/** `POST /api/consent/enrolment/check`. */
export const enrolmentCheckInput = z.object({ code: z.string().max(64) });
/** `POST /api/consent/trials/{number}/decisions`: the proof's message is a packed decision (lib/consent/message.ts). */
export const decisionInput = z.object({ proof: semaphoreProofInput });
/** `POST /api/consent/handover`: the proof's message is the challenge with bit 255 set. */
export const handoverAnswerInput = z.object({ challenge: z.string().max(64), proof: semaphoreProofInput });
