/**
 * The GA4GH Data Use Ontology terms a consent item may map to (DUO, EBISPOT/DUO duo.csv). Primary
 * permissions say what research the data may be used for; modifiers add conditions. A consent item
 * names the terms that apply when it is granted and those that apply when it is not, e.g.
 * "research on other diseases": granted → GRU, withheld → DS; "commercial use": withheld → NCU.
 */
export const DUO_TERMS = {
  "DUO:0000042": { code: "GRU", label: "General research use", kind: "permission" },
  "DUO:0000006": { code: "HMB", label: "Health or medical or biomedical research", kind: "permission" },
  "DUO:0000007": { code: "DS", label: "Disease-specific research", kind: "permission" },
  "DUO:0000011": { code: "POA", label: "Population origins or ancestry research only", kind: "permission" },
  "DUO:0000004": { code: "NRES", label: "No restriction", kind: "permission" },
  "DUO:0000043": { code: "CC", label: "Clinical care use", kind: "permission" },
  "DUO:0000046": { code: "NCU", label: "Non-commercial use only", kind: "modifier" },
  "DUO:0000045": { code: "NPU", label: "Not-for-profit organisation use only", kind: "modifier" },
  "DUO:0000018": { code: "NPUNCU", label: "Not-for-profit, non-commercial use only", kind: "modifier" },
  "DUO:0000044": { code: "NPOA", label: "Population origins or ancestry research prohibited", kind: "modifier" },
  "DUO:0000015": { code: "NMDS", label: "No general methods research", kind: "modifier" },
  "DUO:0000016": { code: "GSO", label: "Genetic studies only", kind: "modifier" },
  "DUO:0000012": { code: "RS", label: "Research-specific restrictions", kind: "modifier" },
  "DUO:0000019": { code: "PUB", label: "Publication required", kind: "modifier" },
  "DUO:0000020": { code: "COL", label: "Collaboration required", kind: "modifier" },
  "DUO:0000021": { code: "IRB", label: "Ethics approval required", kind: "modifier" },
  "DUO:0000022": { code: "GS", label: "Geographical restriction", kind: "modifier" },
  "DUO:0000024": { code: "MOR", label: "Publication moratorium", kind: "modifier" },
  "DUO:0000025": { code: "TS", label: "Time limit on use", kind: "modifier" },
  "DUO:0000026": { code: "US", label: "User-specific restriction", kind: "modifier" },
  "DUO:0000027": { code: "PS", label: "Project-specific restriction", kind: "modifier" },
  "DUO:0000028": { code: "IS", label: "Institution-specific restriction", kind: "modifier" },
  "DUO:0000029": { code: "RTN", label: "Return to database or resource", kind: "modifier" },
} as const;

export type DuoId = keyof typeof DUO_TERMS;
export const DUO_IDS = Object.keys(DUO_TERMS) as [DuoId, ...DuoId[]];

/** "GRU (DUO:0000042)" — how the pages show a term. */
export function duoLabel(id: DuoId): string {
  return `${DUO_TERMS[id].code} (${id})`;
}
