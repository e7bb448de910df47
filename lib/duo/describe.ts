import { type DataUseConditions, MODIFIER_CODES, type ModifierCode } from "@/lib/duo/conditions";
import { DUO_TERMS } from "@/lib/duo/terms";

/** One condition of use in words, for the dataset page, the catalogue and JSON-LD `conditionsOfAccess`. */
export type DescribedCondition = {
  /** The DUO code: GRU, DS, TS… */
  code: string;
  /** The DUO id: DUO:0000007. */
  id: string;
  /** The term's label: "Disease-specific research". */
  label: string;
  /** The label with the condition's value: "Disease-specific research: melanoma (MONDO:0005105)". */
  text: string;
};

type Modifiers = DataUseConditions["modifiers"];

/** Each modifier's value in words; a flag modifier has none. */
function valueOf(code: ModifierCode, modifiers: Modifiers): string | undefined {
  switch (code) {
    case "TS": {
      const months = modifiers.TS?.months ?? 0;
      return `${months} ${months === 1 ? "month" : "months"}`;
    }
    case "GS":
      return modifiers.GS?.regions.join(", ");
    case "MOR":
      return modifiers.MOR ? `no publication before ${modifiers.MOR.date}` : undefined;
    case "US":
      return modifiers.US?.users.join(", ");
    case "PS":
      return modifiers.PS?.project;
    case "IS":
      return modifiers.IS?.institutions.join(", ");
    case "RS":
      return modifiers.RS?.topic;
    default:
      return undefined;
  }
}

/**
 * The permission, then each modifier present, in the order of MODIFIER_CODES (the same order for
 * every release, so two releases' conditions read alike). Diseases are named by their Mondo
 * label from `labels` and always by id, so the text stays exact when a label is unknown.
 */
export function describeConditions(conditions: DataUseConditions, labels: ReadonlyMap<string, string>): DescribedCondition[] {
  const permission = DUO_TERMS[conditions.permission.code];
  const diseases =
    conditions.permission.code === "DS"
      ? conditions.permission.diseases.map((id) => {
          const label = labels.get(id);
          return label ? `${label} (${id})` : id;
        })
      : [];
  const out: DescribedCondition[] = [
    {
      code: permission.code,
      id: permission.id,
      label: permission.label,
      text: diseases.length ? `${permission.label}: ${diseases.join(", ")}` : permission.label,
    },
  ];
  for (const code of MODIFIER_CODES) {
    if (conditions.modifiers[code] === undefined) continue;
    const term = DUO_TERMS[code];
    const value = valueOf(code, conditions.modifiers);
    out.push({ code, id: term.id, label: term.label, text: value ? `${term.label}: ${value}` : term.label });
  }
  return out;
}
