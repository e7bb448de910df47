import { canonicalize } from "@/lib/canonical-json";
import type { Outcome, TrialRecord } from "@/lib/registry/schema";

/**
 * What an amendment changed, for the public trial page: a field-by-field diff (`diffRecords`) and
 * the outcome changes that matter for outcome switching (`outcomeFlags`). Both are pure and
 * deterministic: the same two versions give the same list in the same order, wherever the
 * records were loaded from (PostgreSQL's jsonb, for one, does not keep member order).
 */

export type FieldChange = {
  /** Where, e.g. "publicTitle", "countries", "eligibility.minAge", "primaryOutcomes[bp-12w].timeFrame". */
  path: string;
  kind: "added" | "removed" | "changed";
  /** The value before; `undefined` for "added". */
  before: unknown;
  /** The value after; `undefined` for "removed". */
  after: unknown;
};

/**
 * Every member name of a registration record, in the order a reader meets it: the top level in
 * WHO item order, then the nested fields in form order. One list serves every nested object
 * because no two of them order shared names differently (intervention: type, name, description;
 * dated event: date, type; IPD statement: plan, description). Names not listed sort last, by code
 * unit, so a field added to the schema and not here still diffs — only its place is arbitrary.
 */
export const FIELD_ORDER: readonly string[] = [
  "primaryRegistry",
  "dateOfRegistration",
  "secondaryIds",
  "fundingSources",
  "primarySponsor",
  "secondarySponsors",
  "publicContact",
  "scientificContact",
  "publicTitle",
  "scientificTitle",
  "acronym",
  "countries",
  "conditions",
  "interventions",
  "eligibility",
  "studyType",
  "dateOfFirstEnrollment",
  "targetSampleSize",
  "recruitmentStatus",
  "primaryOutcomes",
  "secondaryOutcomes",
  "ethicsReview",
  "completionDate",
  "summaryResults",
  "ipdSharingStatement",
  // Nested fields.
  "id",
  "issuer",
  "date",
  "type",
  "allocation",
  "masking",
  "primaryPurpose",
  "phase",
  "name",
  "email",
  "phone",
  "affiliation",
  "code",
  "measure",
  "timeFrame",
  "plan",
  "description",
  "inclusion",
  "exclusion",
  "minAge",
  "maxAge",
  "sex",
  "value",
  "unit",
  "status",
  "approvalDate",
  "committee",
];

const RANK = new Map(FIELD_ORDER.map((name, index) => [name, index]));

function byFieldOrder(a: string, b: string): number {
  const rankA = RANK.get(a) ?? FIELD_ORDER.length;
  const rankB = RANK.get(b) ?? FIELD_ORDER.length;
  if (rankA !== rankB) return rankA - rankB;
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/**
 * The changes from `before` to `after`, one per changed leaf, in FIELD_ORDER:
 * - an object or field present on one side only is one "added" or "removed" change, not one per member;
 * - lists of plain values (countries, funders) are compared as sets: one change per value added
 *   or removed, at the list's path, and reordering them changes nothing;
 * - lists of objects that each carry a distinct `id` (outcomes, secondary identifiers) are matched by
 *   id, with the id in the path — "primaryOutcomes[bp-12w].timeFrame" — and reordering them changes
 *   nothing (WHO gives list order no meaning);
 * - other lists (conditions, interventions) are compared position by position: "conditions[1].name".
 * A member that is `undefined` counts as absent, as in the canonical form.
 */
export function diffRecords(before: TrialRecord, after: TrialRecord): FieldChange[] {
  const changes: FieldChange[] = [];
  diffValue(before, after, "", changes);
  return changes;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Equality of JSON data, as the digest sees it: member order and undefined members do not count. */
function same(a: unknown, b: unknown): boolean {
  return canonicalize(a) === canonicalize(b);
}

function diffValue(before: unknown, after: unknown, path: string, out: FieldChange[]): void {
  if (before === undefined && after === undefined) return;
  if (before === undefined) {
    out.push({ path, kind: "added", before: undefined, after });
    return;
  }
  if (after === undefined) {
    out.push({ path, kind: "removed", before, after: undefined });
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    diffArray(before as unknown[], after as unknown[], path, out);
    return;
  }
  if (isObject(before) && isObject(after)) {
    const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(byFieldOrder);
    for (const name of names) diffValue(before[name], after[name], path ? `${path}.${name}` : name, out);
    return;
  }
  if (!same(before, after)) out.push({ path, kind: "changed", before, after });
}

function diffArray(before: unknown[], after: unknown[], path: string, out: FieldChange[]): void {
  const all = [...before, ...after];
  if (all.every((item) => typeof item !== "object" || item === null)) {
    const beforeKeys = new Set(before.map((item) => canonicalize(item)));
    const afterKeys = new Set(after.map((item) => canonicalize(item)));
    for (const item of before) if (!afterKeys.has(canonicalize(item))) out.push({ path, kind: "removed", before: item, after: undefined });
    for (const item of after) if (!beforeKeys.has(canonicalize(item))) out.push({ path, kind: "added", before: undefined, after: item });
    return;
  }

  const beforeById = byId(before);
  const afterById = byId(after);
  if (beforeById && afterById) {
    for (const [id, item] of beforeById) diffValue(item, afterById.get(id), `${path}[${idLabel(id)}]`, out);
    for (const [id, item] of afterById) if (!beforeById.has(id)) diffValue(undefined, item, `${path}[${idLabel(id)}]`, out);
    return;
  }

  for (let index = 0; index < Math.max(before.length, after.length); index++) {
    diffValue(before[index], after[index], `${path}[${index}]`, out);
  }
}

/** The items by their `id`, in list order, when every item is an object with a distinct string id. */
function byId(items: unknown[]): Map<string, Json> | undefined {
  const map = new Map<string, Json>();
  for (const item of items) {
    if (!isObject(item) || typeof item.id !== "string" || map.has(item.id)) return undefined;
    map.set(item.id, item);
  }
  return map;
}

/** Slugs as they are; anything that could be misread as an index or a path is quoted. */
function idLabel(id: string): string {
  return /^[A-Za-z0-9_-]+$/.test(id) && !/^\d+$/.test(id) ? id : JSON.stringify(id);
}

export const OUTCOME_FLAG_TYPES = [
  "primary-added",
  "primary-removed",
  "primary-reworded",
  "primary-to-secondary",
  "secondary-to-primary",
  "time-frame-changed",
  "secondary-added",
  "secondary-removed",
  "secondary-reworded",
] as const;
export type OutcomeFlagType = (typeof OUTCOME_FLAG_TYPES)[number];

export type OutcomeFlag = {
  type: OutcomeFlagType;
  outcomeId: string;
  /** The outcome as registered before the amendment; absent for an added outcome. */
  before?: Outcome;
  /** The outcome after the amendment; absent for a removed outcome. */
  after?: Outcome;
  /** One plain sentence for the public trial page. */
  message: string;
};

type Role = "primary" | "secondary";
type Outcomes = Pick<TrialRecord, "primaryOutcomes" | "secondaryOutcomes">;

/**
 * The outcome changes between two versions, matched by outcome id (so a new id is a new outcome,
 * whatever its wording). In order: what happened to each primary outcome of `before`, primary
 * outcomes new to `after` (promoted or added), then the same for secondary outcomes — the primary
 * outcomes, which outcome switching concerns, come first.
 *
 * An outcome that moves between primary and secondary and is also reworded or re-timed gets the
 * move flag and then the rewording and time-frame flags, named by the role it was registered in
 * before the amendment: outcome-switching audits (COMPare) compare against what was pre-specified.
 */
export function outcomeFlags(before: Outcomes, after: Outcomes): OutcomeFlag[] {
  const beforePrimary = byOutcomeId(before.primaryOutcomes);
  const beforeSecondary = byOutcomeId(before.secondaryOutcomes);
  const afterPrimary = byOutcomeId(after.primaryOutcomes);
  const afterSecondary = byOutcomeId(after.secondaryOutcomes);
  const flags: OutcomeFlag[] = [];

  for (const [id, old] of beforePrimary) {
    const kept = afterPrimary.get(id);
    const demoted = afterSecondary.get(id);
    if (kept) {
      flags.push(...changes(old, kept, "primary"));
    } else if (demoted) {
      flags.push({
        type: "primary-to-secondary",
        outcomeId: id,
        before: old,
        after: demoted,
        message: `Primary outcome “${old.measure}” was moved to secondary.`,
      });
      flags.push(...changes(old, demoted, "primary"));
    } else {
      flags.push({ type: "primary-removed", outcomeId: id, before: old, message: `Primary outcome “${old.measure}” was removed.` });
    }
  }
  for (const [id, current] of afterPrimary) {
    if (beforePrimary.has(id)) continue;
    const promoted = beforeSecondary.get(id);
    if (promoted) {
      flags.push({
        type: "secondary-to-primary",
        outcomeId: id,
        before: promoted,
        after: current,
        message: `Secondary outcome “${promoted.measure}” was moved to primary.`,
      });
      flags.push(...changes(promoted, current, "secondary"));
    } else {
      flags.push({ type: "primary-added", outcomeId: id, after: current, message: `Primary outcome “${current.measure}” was added.` });
    }
  }

  for (const [id, old] of beforeSecondary) {
    if (afterPrimary.has(id)) continue;
    const kept = afterSecondary.get(id);
    if (kept) {
      flags.push(...changes(old, kept, "secondary"));
    } else {
      flags.push({ type: "secondary-removed", outcomeId: id, before: old, message: `Secondary outcome “${old.measure}” was removed.` });
    }
  }
  for (const [id, current] of afterSecondary) {
    if (beforeSecondary.has(id) || beforePrimary.has(id)) continue;
    flags.push({ type: "secondary-added", outcomeId: id, after: current, message: `Secondary outcome “${current.measure}” was added.` });
  }
  return flags;
}

/** First occurrence wins: ids are unique in a valid record, and this must not throw on one that is not. */
function byOutcomeId(outcomes: readonly Outcome[]): Map<string, Outcome> {
  const map = new Map<string, Outcome>();
  for (const outcome of outcomes) if (!map.has(outcome.id)) map.set(outcome.id, outcome);
  return map;
}

function capitalised(role: Role): string {
  return role === "primary" ? "Primary" : "Secondary";
}

/** Rewording (measure or description) and time-frame flags for one outcome kept under the same id. */
function changes(before: Outcome, after: Outcome, role: Role): OutcomeFlag[] {
  const flags: OutcomeFlag[] = [];
  const name = `${role} outcome “${before.measure}”`;
  const measureChanged = before.measure !== after.measure;
  const descriptionChange = textChange(before.description, after.description);
  if (measureChanged || descriptionChange) {
    const reworded = `${capitalised(role)} outcome “${before.measure}” was reworded to “${after.measure}”`;
    const message = !measureChanged
      ? `The description of ${name} was ${descriptionChange}.`
      : descriptionChange
        ? `${reworded}, and its description was ${descriptionChange}.`
        : `${reworded}.`;
    flags.push({ type: role === "primary" ? "primary-reworded" : "secondary-reworded", outcomeId: before.id, before, after, message });
  }
  if (before.timeFrame !== after.timeFrame) {
    flags.push({
      type: "time-frame-changed",
      outcomeId: before.id,
      before,
      after,
      message: `The time frame of ${name} changed from “${before.timeFrame}” to “${after.timeFrame}”.`,
    });
  }
  return flags;
}

function textChange(before: string | undefined, after: string | undefined): "added" | "removed" | "changed" | undefined {
  if ((before ?? "") === (after ?? "")) return undefined;
  if (!before) return "added";
  return after ? "changed" : "removed";
}
