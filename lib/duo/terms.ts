/**
 * The GA4GH Data Use Ontology terms the portal uses, as published in DUO release `DUO_RELEASE`
 * (2021-02-23; ids, codes, kinds and labels as in STANDARDS.md §1.1, definitions from its duo.csv).
 * The one list of them: dataset conditions (lib/duo/conditions.ts), their description in words
 * (lib/duo/describe.ts) and consent items (lib/consent/duo.ts) all read it.
 *
 * `label` is how the pages name a term (sentence case, hyphenated as in British English prose);
 * `ontologyLabel` is DUO's own rdfs:label, for machine-readable output (JSON-LD, exports).
 * NRES and NPUNCU are DUO terms a consent item may name; a dataset release states neither (a
 * release picks NPU and/or NCU, and "no restriction" is not a condition of access).
 */

export type DuoTerm = {
  id: `DUO:${string}`;
  code: string;
  label: string;
  ontologyLabel: string;
  kind: "permission" | "modifier";
  /** One line: what the term asks of a user of the data. */
  description: string;
};

export const DUO_TERMS = {
  // ─── permissions ───────────────────────────────────────────────────────────────────────────
  GRU: {
    id: "DUO:0000042",
    code: "GRU",
    label: "General research use",
    ontologyLabel: "general research use",
    kind: "permission",
    description: "Use is allowed for any research purpose.",
  },
  HMB: {
    id: "DUO:0000006",
    code: "HMB",
    label: "Health or medical or biomedical research",
    ontologyLabel: "health or medical or biomedical research",
    kind: "permission",
    description: "Use is allowed for health, medical or biomedical research; not for the study of population origins or ancestry.",
  },
  DS: {
    id: "DUO:0000007",
    code: "DS",
    label: "Disease-specific research",
    ontologyLabel: "disease specific research",
    kind: "permission",
    description: "Use is allowed for research on the named diseases (and their subtypes) only.",
  },
  POA: {
    id: "DUO:0000011",
    code: "POA",
    label: "Population origins or ancestry research only",
    ontologyLabel: "population origins or ancestry research only",
    kind: "permission",
    description: "Use is limited to the study of population origins or ancestry.",
  },
  NRES: {
    id: "DUO:0000004",
    code: "NRES",
    label: "No restriction",
    ontologyLabel: "no restriction",
    kind: "permission",
    description: "There is no restriction on use.",
  },
  // ─── modifiers ─────────────────────────────────────────────────────────────────────────────
  NPU: {
    id: "DUO:0000045",
    code: "NPU",
    label: "Not-for-profit organisation use only",
    ontologyLabel: "not for profit organisation use only",
    kind: "modifier",
    description: "Use is limited to not-for-profit organisations.",
  },
  NCU: {
    id: "DUO:0000046",
    code: "NCU",
    label: "Non-commercial use only",
    ontologyLabel: "non-commercial use only",
    kind: "modifier",
    description: "Use is limited to non-commercial purposes.",
  },
  NPUNCU: {
    id: "DUO:0000018",
    code: "NPUNCU",
    label: "Not-for-profit, non-commercial use only",
    ontologyLabel: "not for profit, non commercial use only",
    kind: "modifier",
    description: "Use is limited to not-for-profit organisations and non-commercial purposes.",
  },
  IRB: {
    id: "DUO:0000021",
    code: "IRB",
    label: "Ethics approval required",
    ontologyLabel: "ethics approval required",
    kind: "modifier",
    description: "The requester must provide documentation of local ethics committee (IRB/ERB) approval.",
  },
  PUB: {
    id: "DUO:0000019",
    code: "PUB",
    label: "Publication required",
    ontologyLabel: "publication required",
    kind: "modifier",
    description: "The requester agrees to make the results of studies using the data available to the scientific community.",
  },
  COL: {
    id: "DUO:0000020",
    code: "COL",
    label: "Collaboration required",
    ontologyLabel: "collaboration required",
    kind: "modifier",
    description: "The requester must agree to collaborate with the primary study investigators.",
  },
  RTN: {
    id: "DUO:0000029",
    code: "RTN",
    label: "Return to database or resource",
    ontologyLabel: "return to database or resource",
    kind: "modifier",
    description: "The requester must return derived or enriched data to the database or resource.",
  },
  TS: {
    id: "DUO:0000025",
    code: "TS",
    label: "Time limit on use",
    ontologyLabel: "time limit on use",
    kind: "modifier",
    description: "Use is approved for a stated number of months.",
  },
  GS: {
    id: "DUO:0000022",
    code: "GS",
    label: "Geographical restriction",
    ontologyLabel: "geographical restriction",
    kind: "modifier",
    description: "Use is limited to within the named countries or regions.",
  },
  MOR: {
    id: "DUO:0000024",
    code: "MOR",
    label: "Publication moratorium",
    ontologyLabel: "publication moratorium",
    kind: "modifier",
    description: "The requester agrees not to publish results of studies until a stated date.",
  },
  US: {
    id: "DUO:0000026",
    code: "US",
    label: "User-specific restriction",
    ontologyLabel: "user specific restriction",
    kind: "modifier",
    description: "Use is limited to the named users.",
  },
  PS: {
    id: "DUO:0000027",
    code: "PS",
    label: "Project-specific restriction",
    ontologyLabel: "project specific restriction",
    kind: "modifier",
    description: "Use is limited to the approved project.",
  },
  IS: {
    id: "DUO:0000028",
    code: "IS",
    label: "Institution-specific restriction",
    ontologyLabel: "institution specific restriction",
    kind: "modifier",
    description: "Use is limited to the named institutions.",
  },
  NPOA: {
    id: "DUO:0000044",
    code: "NPOA",
    label: "Population origins or ancestry research prohibited",
    ontologyLabel: "population origins or ancestry research prohibited",
    kind: "modifier",
    description: "Use for population, origin or ancestry research is prohibited.",
  },
  NMDS: {
    id: "DUO:0000015",
    code: "NMDS",
    label: "No general methods research",
    ontologyLabel: "no general methods research",
    kind: "modifier",
    description: "Use for methods development research (e.g. software or algorithms) is not allowed.",
  },
  GSO: {
    id: "DUO:0000016",
    code: "GSO",
    label: "Genetic studies only",
    ontologyLabel: "genetic studies only",
    kind: "modifier",
    description: "Use is limited to genetic studies (genotype research alone, or genotype and phenotype together).",
  },
  CC: {
    id: "DUO:0000043",
    code: "CC",
    label: "Clinical care use",
    ontologyLabel: "clinical care use",
    kind: "modifier",
    description: "Use is allowed for clinical use and care.",
  },
  RS: {
    id: "DUO:0000012",
    code: "RS",
    label: "Research-specific restrictions",
    ontologyLabel: "research specific restrictions",
    kind: "modifier",
    description: "Use is limited to studies of the stated research type.",
  },
} as const satisfies Record<string, DuoTerm>;

export type DuoCode = keyof typeof DUO_TERMS;
export type DuoId = (typeof DUO_TERMS)[DuoCode]["id"];

/** The term with this DUO id (DUO:0000007), or undefined. */
export function termById(id: string): DuoTerm | undefined {
  return Object.values(DUO_TERMS).find((t) => t.id === id);
}
