/**
 * How consent is counted, in one place for the portal's tally (lib/consent/service.ts), the
 * participant's device (which items their last decision still answers) and "Verify all" in the
 * browser (the tally recomputed from the chain). Pure: no I/O.
 */

/** A pseudonym's decision: the fields the tally needs (decimal strings for the 64-bit values). */
export type Decision = { nullifier: string; sequence: string; grants: string; textVersion: number };
export type TallyItem = { number: number; text: string };
export type TallyVersion = { version: number; items: readonly TallyItem[] };
export type TallyRow = { number: number; granted: number; withdrawn: number; notAnswered: number };

/**
 * Whether a decision made on `decidedVersion` still answers `item`: only if that version had the
 * item with the same text. A changed text must be confirmed again.
 */
export function answers(versions: readonly TallyVersion[], decidedVersion: number, item: TallyItem): boolean {
  return versions.find((v) => v.version === decidedVersion)?.items.some((i) => i.number === item.number && i.text === item.text) ?? false;
}

/**
 * Each pseudonym's latest decision: the one with the greatest sequence number, compared as numbers
 * (as strings, "10" < "9"), whatever order the decisions come in.
 */
export function latestDecisions<T extends Decision>(decisions: readonly T[]): T[] {
  const latest = new Map<string, T>();
  for (const decision of decisions) {
    const current = latest.get(decision.nullifier);
    if (!current || BigInt(decision.sequence) > BigInt(current.sequence)) latest.set(decision.nullifier, decision);
  }
  return [...latest.values()];
}

/** The items of the latest version, in item order; empty when there is none. */
export function currentItems<I extends TallyItem>(versions: readonly { version: number; items: readonly I[] }[]): I[] {
  let current: { version: number; items: readonly I[] } | undefined;
  for (const v of versions) if (!current || v.version > current.version) current = v;
  return [...(current?.items ?? [])].sort((a, b) => a.number - b.number);
}

/**
 * The tally per current item: each
 * pseudonym's latest decision counts; it answers an item only if the version it was made on had
 * that item with the same text (a changed text must be confirmed again); answered with the item's
 * bit set is "granted", without it "withdrawn"; the rest of the group has not answered.
 */
export function tallyDecisions(opts: {
  decisions: readonly Decision[];
  versions: readonly TallyVersion[];
  groupSize: number;
}): TallyRow[] {
  const latest = latestDecisions(opts.decisions);
  return currentItems(opts.versions).map((item) => {
    let granted = 0;
    let withdrawn = 0;
    for (const decision of latest) {
      if (!answers(opts.versions, decision.textVersion, item)) continue;
      if ((BigInt(decision.grants) >> BigInt(item.number)) & 1n) granted++;
      else withdrawn++;
    }
    return { number: item.number, granted, withdrawn, notAnswered: opts.groupSize - granted - withdrawn };
  });
}

