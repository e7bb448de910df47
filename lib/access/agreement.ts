import { sha256Hex } from "@/lib/verify/trial-chain";

/**
 * The data use agreement each team member accepts personally before a request is submitted. It is
 * versioned: a changed text is a new version (a new constant here and a new row), and a request
 * records the version its members accepted, so what someone agreed to never changes under them.
 * The clauses are those the big platforms' agreements share (CSDR, Vivli, EGA's DAA): use only for
 * the approved purpose, no re-identification, no onward sharing, security, deletion on withdrawal
 * and at the end, reporting, publication and acknowledgement duties.
 */

export const AGREEMENT_TEXT_V1 = `TrialLedger data use agreement, version 1

By accepting this agreement I undertake, for the data released to me under an approved access request:
1. to use the data only for the research purpose and analysis plan the committee approved, and only until access ends;
2. not to try to identify any participant, nor to link the data with other data in order to do so;
3. not to share the data, or any part of it that could identify a participant, with anyone who is not a member of the approved team;
4. to keep the data secure, on systems my institution controls, and to report any loss or misuse to the committee within 72 hours;
5. to delete the rows of any participant who withdraws, when the portal tells me to, and to confirm the deletion;
6. to destroy every copy of the data when access ends, and to confirm it in the close-out report;
7. to meet the conditions of use of each release (publication, moratorium, return of results, collaboration), as the portal explains them;
8. to acknowledge the trial, its sponsor and its participants in any publication, and to report publications in the close-out report;
9. that access may be revoked at once if I break this agreement, and that every download is recorded in a public, tamper-evident log.`;

export const CURRENT_AGREEMENT = { version: 1, text: AGREEMENT_TEXT_V1 } as const;

/**
 * 0x SHA-256 of a text's UTF-8 bytes (lib/verify's `sha256Hex`): the agreement's digest, and the
 * digest the log holds of a message, a note or a visa.
 */
export function textDigest(text: string): string {
  return sha256Hex(new TextEncoder().encode(text));
}

export const agreementDigest = textDigest;

export type Agreement = { version: number; text: string; digest: string };
