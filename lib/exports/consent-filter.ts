import type { ConsentItem } from "@/lib/consent/schema";
import { grantedItems } from "@/lib/consent/message";
import type { DataUseConditions } from "@/lib/duo/conditions";
import { type ConditionMatch, type MatchContext, matchConsentItems } from "@/lib/duo/match";

/**
 * The consent filter of an export (issue 12, point 1): does a participant's current decision allow
 * the grant's purpose? The same matcher the researcher and the committee read (lib/duo/match.ts),
 * applied to one participant's answers. Pure: the caller reads the decisions (the portal's mirror of
 * ConsentRegistry) and the grant's approved purpose.
 *
 * A participant's rows are kept only when
 * 1. they decided (no decision → excluded), and did not withdraw (a decision granting nothing);
 * 2. some granted item carries a permission term (NRES, GRU, HMB, DS, POA) that the purpose meets:
 *    the participant agreed to a use that covers it. Granted permissions are alternatives — a
 *    participant who allowed research on the trial's condition and on other diseases is covered for
 *    a diabetes study by the second;
 * 3. every other term that applies is met (an acknowledgement counts as met): a granted item's
 *    modifiers and a withheld item's `ifWithheld` terms (the narrower use that then applies).
 * A term for the committee to judge excludes the row as a term not met does: the committee cannot
 * judge each row, and a doubt is decided for the participant.
 */

export type ParticipantDecision = { grants: bigint; textVersion: number };

export type FilterOutcome = "kept" | "no-decision" | "withdrawn" | "not-covered" | "doubtful" | "unknown-text";

/** The reason of each outcome, as the manifest's filter rule and the counts' labels say it. */
export const FILTER_OUTCOMES: Record<FilterOutcome, string> = {
  kept: "the current decision grants an item that covers the grant's purpose, and no term it carries is unmet or doubtful",
  "no-decision": "no consent decision",
  withdrawn: "the latest decision withdraws consent (grants no item)",
  "not-covered": "a term of the decision is not met by the purpose, or no granted item's permission covers it",
  doubtful: "a term of the decision is for the committee to judge",
  "unknown-text": "the decision names a consent text version the portal does not hold",
};

export const FILTER_RULE = "consent-filter/v1";

const PERMISSIONS = new Set(["NRES", "GRU", "HMB", "DS", "POA"]);

export type ConsentFilter = (decision: ParticipantDecision | null) => FilterOutcome;

/**
 * A filter for one grant and release: `versions` maps each consent text version of the trial to its
 * items; `conditions` are the release's (a consent item's DS means the release's diseases); `context`
 * is the approved request's purpose. Outcomes are cached per (version, grants): participants share
 * a handful of answer patterns, so a million rows cost a handful of matches.
 */
export function consentFilter(versions: ReadonlyMap<number, readonly ConsentItem[]>, conditions: DataUseConditions, context: MatchContext): ConsentFilter {
  const matched = new Map<number, ReturnType<typeof matchConsentItems>>();
  const cache = new Map<string, FilterOutcome>();

  const outcomeOf = (decision: ParticipantDecision): FilterOutcome => {
    if (decision.grants === 0n) return "withdrawn";
    const items = versions.get(decision.textVersion);
    if (!items) return "unknown-text";
    let itemMatches = matched.get(decision.textVersion);
    if (!itemMatches) {
      itemMatches = matchConsentItems(items, conditions, context);
      matched.set(decision.textVersion, itemMatches);
    }
    const granted = new Set(grantedItems(decision.grants));
    // Permissions a participant granted are alternatives (any one may cover the purpose); every
    // other term that applies — a granted item's modifiers, a withheld item's fallback terms — is a
    // restriction that must hold.
    const permissions: ConditionMatch[] = [];
    const restrictions: ConditionMatch[] = [];
    for (const item of itemMatches) {
      const isGranted = granted.has(item.number);
      for (const c of (isGranted ? item.granted : item.withheld).conditions) {
        (isGranted && PERMISSIONS.has(c.code) ? permissions : restrictions).push(c);
      }
    }
    if (restrictions.some((c) => c.verdict === "not-met")) return "not-covered";
    if (restrictions.some((c) => c.verdict === "committee")) return "doubtful";
    if (permissions.some((c) => c.verdict === "met")) return "kept";
    return permissions.some((c) => c.verdict === "committee") ? "doubtful" : "not-covered";
  };

  return (decision) => {
    if (!decision) return "no-decision";
    const key = `${decision.textVersion}:${decision.grants}`;
    let outcome = cache.get(key);
    if (outcome === undefined) {
      outcome = outcomeOf(decision);
      cache.set(key, outcome);
    }
    return outcome;
  };
}
