import { DUO_RELEASE, MODIFIER_CODES, type DataUseConditions, type ModifierCode, type PermissionCode } from "@/lib/duo/conditions";

/** The DUO picker's draft (app/_components/duo-picker.tsx) and its conversion to conditions: pure, so it is unit-tested. */

/** The text fields behind the modifiers that carry a value. */
export type DuoValues = { months: string; regions: string; date: string; users: string; project: string; institutions: string; topic: string };

/** "a, b\nc" → ["a", "b", "c"]: lists are typed separated by commas or lines. */
const list = (text: string) => text.split(/[,\n]/).map((s) => s.trim()).filter((s) => s !== "");

export function initialValues(m: DataUseConditions["modifiers"] | undefined): DuoValues {
  return {
    months: m?.TS ? String(m.TS.months) : "",
    regions: m?.GS?.regions.join(", ") ?? "",
    date: m?.MOR?.date ?? "",
    users: m?.US?.users.join("\n") ?? "",
    project: m?.PS?.project ?? "",
    institutions: m?.IS?.institutions.join("\n") ?? "",
    topic: m?.RS?.topic ?? "",
  };
}

/**
 * The picker's draft as the object `dataUseConditions` checks (the server says what is wrong with
 * it): only ticked modifiers, lists split at commas and line breaks, an empty month count as null.
 */
export function conditionsOf(code: PermissionCode, diseases: string[], on: ReadonlySet<ModifierCode>, v: DuoValues): DataUseConditions {
  const permission: DataUseConditions["permission"] = code === "DS" ? { code, diseases } : { code };
  const modifiers: Record<string, unknown> = {};
  for (const m of MODIFIER_CODES) {
    if (!on.has(m)) continue;
    if (m === "TS") modifiers.TS = { months: v.months.trim() === "" ? null : Number(v.months) };
    else if (m === "GS") modifiers.GS = { regions: list(v.regions) };
    else if (m === "MOR") modifiers.MOR = { date: v.date };
    else if (m === "US") modifiers.US = { users: list(v.users) };
    else if (m === "PS") modifiers.PS = { project: v.project };
    else if (m === "IS") modifiers.IS = { institutions: list(v.institutions) };
    else if (m === "RS") modifiers.RS = { topic: v.topic };
    else modifiers[m] = true;
  }
  return { duoRelease: DUO_RELEASE, permission, modifiers: modifiers };
}

