/**
 * Ancestors-or-self of every term of an is-a hierarchy held in memory (terms with their direct
 * parents), for the matcher's DiseaseContext where no database is at hand: the browser's copy of a
 * small subset, and tests on the Mondo release file (22,382 terms: reading and walking it take
 * under 2 s in lib/duo/match-mondo.test.ts). Each term's set is built once from its parents'
 * (memoised depth-first walk); a cycle, which Mondo's is-a has none of, ends the walk instead of
 * recursing for ever. A parent not among the terms is kept as a name, as `ancestorIds` keeps an
 * unknown id.
 */
export function ancestorsFromParents(terms: Iterable<{ id: string; parents: readonly string[] }>): Map<string, string[]> {
  const parents = new Map<string, readonly string[]>();
  for (const t of terms) parents.set(t.id, t.parents);
  const done = new Map<string, Set<string>>();
  const walking = new Set<string>();

  function up(id: string): Set<string> {
    const known = done.get(id);
    if (known) return known;
    const out = new Set([id]);
    if (walking.has(id)) return out;
    walking.add(id);
    for (const p of parents.get(id) ?? []) for (const a of up(p)) out.add(a);
    walking.delete(id);
    done.set(id, out);
    return out;
  }

  return new Map([...parents.keys()].map((id) => [id, [...up(id)].sort()]));
}
