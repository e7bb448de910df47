import { type PurposeCategory, type PurposeFlag, PURPOSE_FLAG_NAMES, researchPurpose } from "@/lib/duo/purpose";
import { DUO_TERMS } from "@/lib/duo/terms";

/**
 * A research purpose in words, for the public access register and anyone reading an approval: the
 * category as its DUO term, the diseases by Mondo label and id, and the flags the researcher
 * answered yes to. A flag answered no is left out: the register says what the research is, and 13
 * "no"s would drown the one "yes" that matters (a commercial or a genetic study).
 */

/** Each flag answered yes, as a short phrase (the question the form asks is in PURPOSE_FLAGS). */
export const PURPOSE_FLAG_WORDS: Record<PurposeFlag, string> = {
  commercial: "commercial",
  methods: "methods development",
  genetic: "genetic study",
  controls: "used as controls",
  population: "population research",
  gender: "one sex or gender only",
  pediatric: "children only",
  vulnerablePopulations: "vulnerable populations",
  illegalBehavior: "illegal behaviour",
  sexualDiseases: "sexually transmitted diseases",
  stigmatizedDiseases: "stigmatised diseases",
  psychologicalTraits: "psychological traits",
  notHealth: "traits not about health",
};

export type DescribedPurpose = {
  category: { code: PurposeCategory; id: string; label: string };
  diseases: Array<{ id: string; label: string | null }>;
  /** The flags set, in PURPOSE_FLAG_NAMES order, as PURPOSE_FLAG_WORDS. */
  flags: string[];
  /** "Disease-specific research: melanoma (MONDO:0005105); commercial, genetic study". */
  text: string;
};

/**
 * The purpose recorded in a log entry, in words; null when it is not a research purpose the portal
 * knows (an entry written by a different version, or edited): the caller then shows the entry as is.
 * Diseases are named by `labels` when known and always by id, so the text stays exact.
 */
export function describePurpose(recorded: unknown, labels: ReadonlyMap<string, string>): DescribedPurpose | null {
  const parsed = researchPurpose.safeParse(recorded);
  if (!parsed.success) return null;
  const purpose = parsed.data;
  const term = DUO_TERMS[purpose.category];
  const diseases = purpose.diseases.map((id) => ({ id, label: labels.get(id) ?? null }));
  const flags = PURPOSE_FLAG_NAMES.filter((name) => purpose.flags[name]).map((name) => PURPOSE_FLAG_WORDS[name]);
  const named = diseases.map((d) => (d.label ? `${d.label} (${d.id})` : d.id));
  const text = `${term.label}${named.length ? `: ${named.join(", ")}` : ""}${flags.length ? `; ${flags.join(", ")}` : ""}`;
  return { category: { code: purpose.category, id: term.id, label: term.label }, diseases, flags, text };
}

/** The Mondo ids a recorded purpose names (for looking their labels up), or none if it is not one. */
export function purposeDiseaseIds(recorded: unknown): string[] {
  const parsed = researchPurpose.safeParse(recorded);
  return parsed.success ? parsed.data.diseases : [];
}
