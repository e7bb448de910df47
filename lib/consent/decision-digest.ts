import { createHash } from "node:crypto";
import { canonicalize } from "@/lib/canonical-json";

/**
 * What the transparency log says about a participant's decision: a digest of it, never the
 * pseudonym itself (lib/log/kinds.ts), so the log alone does not link one participant's decisions
 * by time. It is computed from the three values ConsentRegistry's ConsentRecorded event carries
 * (the trial's chain id, the nullifier and the packed message, all as the chain has them), so the
 * `consent.decision-accepted` entry and the relay's `consent.decision-recorded` entry of one
 * decision carry the same digest, and anyone reading the chain can find the entries of a decision.
 * A different sequence number is a different message, so two decisions never share a digest.
 *
 * @param decision.nullifier and .message as decimal strings (lib/consent/schema.ts)
 * @returns 0x and 64 lower-case hex digits: SHA-256 of the RFC 8785 JSON of the three values
 */
export function decisionDigestOf(decision: { chainTrialId: string; nullifier: string; message: string }): string {
  const canonical = canonicalize({ chainTrialId: decision.chainTrialId.toLowerCase(), message: decision.message, nullifier: decision.nullifier });
  return `0x${createHash("sha256").update(canonical, "utf8").digest("hex")}`;
}
