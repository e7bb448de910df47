import { DUO_TERMS as TERMS, type DuoTerm } from "@/lib/duo/terms";

/**
 * The GA4GH Data Use Ontology terms a consent item may map to, taken from the portal's one DUO list
 * (lib/duo/terms.ts). Primary permissions say what research the data may be used for; modifiers
 * add conditions. A consent item names the terms that apply when it is granted and those that apply
 * when it is not, e.g. "research on other diseases": granted → GRU, withheld → DS; "commercial use":
 * withheld → NCU.
 */

/** In the order the consent editor lists them: permissions first, then modifiers. */
const CONSENT_CODES = [
  "GRU", "HMB", "DS", "POA", "NRES",
  "CC", "NCU", "NPU", "NPUNCU", "NPOA", "NMDS", "GSO", "RS", "PUB", "COL", "IRB", "GS", "MOR", "TS", "US", "PS", "IS", "RTN",
] as const satisfies ReadonlyArray<keyof typeof TERMS>;

export type DuoId = (typeof TERMS)[(typeof CONSENT_CODES)[number]]["id"];

export const DUO_TERMS = Object.fromEntries(
  CONSENT_CODES.map((code) => {
    const { id, label, kind } = TERMS[code];
    return [id, { code, label, kind }];
  }),
) as Record<DuoId, Pick<DuoTerm, "code" | "label" | "kind">>;

export const DUO_IDS = CONSENT_CODES.map((code) => TERMS[code].id) as [DuoId, ...DuoId[]];

/** "GRU (DUO:0000042)" — how the pages show a term. */
export function duoLabel(id: DuoId): string {
  return `${DUO_TERMS[id].code} (${id})`;
}
