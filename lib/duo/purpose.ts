import { z } from "zod";
import { DUO_RELEASE, mondoId } from "@/lib/duo/conditions";
import { multiLine } from "@/lib/schema/text";

/**
 * The research purpose of an access request, in the terms the matcher compares with a release's
 * data-use conditions and a trial's consent items (STANDARDS.md §1.2–1.3). The research category is
 * a DUO permission; the flags are DUOS's purpose flags (DataAccessRequestData), each a yes/no the
 * researcher answers, because an unanswered flag cannot be matched.
 *
 * - `category`: GRU (general research), HMB (health, medical or biomedical), DS (research on the
 *   listed diseases), POA (population origins or ancestry).
 * - `diseases`: Mondo ids, required for DS, refused otherwise (a purpose is either disease-specific
 *   or it is not; DUOS's schema allows both, which its own matcher then reads as DS).
 */

export const PURPOSE_CATEGORIES = ["GRU", "HMB", "DS", "POA"] as const;
export type PurposeCategory = (typeof PURPOSE_CATEGORIES)[number];

/**
 * DUOS's purpose flags, with the question the request form asks. A `true` on any of the
 * "sensitive" ones makes DUOS abstain: the committee judges (STANDARDS.md §1.2, Abstain).
 */
export const PURPOSE_FLAGS = {
  commercial: "Is the research commercial, or done for or with a for-profit company?",
  methods: "Is it methods development (new statistical or computational methods)?",
  genetic: "Is it a genetic study?",
  controls: "Will the data be used as controls for another study?",
  population: "Is it population research (prevalence, distribution across a population)?",
  gender: "Is it research on one sex or gender only?",
  pediatric: "Is it research on children only?",
  vulnerablePopulations: "Does it study vulnerable populations (prisoners, people lacking capacity, …)?",
  illegalBehavior: "Does it study illegal behaviour (violence, drug use, …)?",
  sexualDiseases: "Does it study sexually transmitted diseases?",
  stigmatizedDiseases: "Does it study stigmatised diseases?",
  psychologicalTraits: "Does it study psychological traits (intelligence, personality, …)?",
  notHealth: "Does it study traits that are not about health (behaviour, for example)?",
} as const;
export type PurposeFlag = keyof typeof PURPOSE_FLAGS;
export const PURPOSE_FLAG_NAMES = Object.keys(PURPOSE_FLAGS) as PurposeFlag[];

/** The flags on which DUOS abstains from a decision when set (STANDARDS.md §1.2). */
export const SENSITIVE_FLAGS = [
  "controls",
  "population",
  "gender",
  "pediatric",
  "vulnerablePopulations",
  "illegalBehavior",
  "sexualDiseases",
  "stigmatizedDiseases",
  "psychologicalTraits",
  "notHealth",
] as const satisfies readonly PurposeFlag[];

const flags = z.object(
  Object.fromEntries(PURPOSE_FLAG_NAMES.map((name) => [name, z.boolean({ error: `Answer: ${PURPOSE_FLAGS[name]}` })])) as Record<PurposeFlag, z.ZodBoolean>,
);

export const researchPurpose = z
  .object({
    duoRelease: z.literal(DUO_RELEASE),
    category: z.enum(PURPOSE_CATEGORIES, { error: "Choose the kind of research: general, health/medical, disease-specific or population origins." }),
    /** For DS: the diseases studied, as Mondo ids. */
    diseases: z.array(mondoId).max(20, "Name at most 20 diseases.").default([]),
    flags,
    /** Anything the flags do not say, for the committee (DUOS `other`). */
    other: multiLine().trim().max(2000).optional(),
  })
  .strict()
  .superRefine((purpose, ctx) => {
    if (purpose.category === "DS" && purpose.diseases.length === 0) {
      ctx.addIssue({ code: "custom", path: ["diseases"], message: "Disease-specific research names at least one disease." });
    }
    if (purpose.category !== "DS" && purpose.diseases.length > 0) {
      ctx.addIssue({ code: "custom", path: ["diseases"], message: "Only disease-specific research names diseases; choose that kind or remove them." });
    }
  });

export type ResearchPurpose = z.infer<typeof researchPurpose>;
