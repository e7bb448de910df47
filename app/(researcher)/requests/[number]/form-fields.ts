import { DUO_RELEASE } from "@/lib/duo/conditions";
import { PURPOSE_FLAGS, PURPOSE_FLAG_NAMES, type PurposeCategory } from "@/lib/duo/purpose";

/**
 * The request form's fields in the order the page shows them, each with its label and the id of
 * its control, so the server's field errors (keyed by the form's own paths: "purpose.diseases",
 * "institution.name") land beside their field and in the error summary in form order. Also the
 * conversion of one section's inputs into the part of the draft that section saves. Pure: the
 * client forms use it and so do its tests.
 */

export type FieldKind = "line" | "text" | "months" | "yes-no" | "country";
export type FieldSpec = { path: string; label: string; kind: FieldKind; hint?: string };

export const CATEGORY_LABELS: Record<PurposeCategory, { label: string; hint: string }> = {
  GRU: { label: "General research", hint: "Any research purpose." },
  HMB: { label: "Health, medical or biomedical research", hint: "Research on health or disease in general, not on named diseases." },
  DS: { label: "Research on specific diseases", hint: "Name the diseases below (Mondo)." },
  POA: { label: "Research on population origins or ancestry", hint: "Where populations come from, their history and ancestry." },
};

/** Every field of the form, in form order. */
export const FIELDS: readonly FieldSpec[] = [
  { path: "title", label: "Title", kind: "line" },
  { path: "laySummary", label: "Lay summary", kind: "text", hint: "A paragraph anyone can read: it is published on the access register if the request is approved (at least 50 characters)." },
  { path: "abstract", label: "Scientific abstract", kind: "text", hint: "At least 100 characters." },
  { path: "purpose.category", label: "Kind of research", kind: "line" },
  { path: "purpose.diseases", label: "Diseases studied (Mondo)", kind: "line" },
  ...PURPOSE_FLAG_NAMES.map((name): FieldSpec => ({ path: `purpose.flags.${name}`, label: PURPOSE_FLAGS[name], kind: "yes-no" })),
  { path: "purpose.other", label: "Anything else the committee should know about the purpose (optional)", kind: "text" },
  { path: "analysisPlan", label: "Analysis plan", kind: "text", hint: "The questions, the variables and the methods (at least 100 characters)." },
  { path: "institution.name", label: "Institution", kind: "line" },
  { path: "institution.notForProfit", label: "Is the institution a not-for-profit organisation?", kind: "yes-no" },
  { path: "institution.country", label: "Country of the institution (two-letter code, like NL)", kind: "country" },
  { path: "conflicts", label: "Conflicts of interest", kind: "text", hint: "Write “None” if there are none." },
  { path: "funding", label: "Funding", kind: "text" },
  { path: "publicationPlan", label: "Publication plan", kind: "text" },
  { path: "months", label: "Duration of access (months)", kind: "months", hint: "A year unless you need otherwise; the committee sets the end date." },
];

const BY_PATH = new Map(FIELDS.map((f, i) => [f.path, { ...f, order: i }]));

/** Errors that name a part of the request rather than a field: where the summary links to. */
const SECTIONS: Record<string, { id: string; label: string }> = {
  releases: { id: "section-releases", label: "Releases" },
  purpose: { id: "section-purpose", label: "Research purpose" },
  members: { id: "section-team", label: "Team" },
  team: { id: "section-team", label: "Team" },
  documents: { id: "section-documents", label: "Documents" },
  institution: { id: "section-institution", label: "Institution" },
  agreement: { id: "section-agreement", label: "Data use agreement" },
};

export function fieldSpec(path: string): FieldSpec {
  const spec = BY_PATH.get(path);
  if (!spec) throw new Error(`not a field of the request form: ${path}`);
  return spec;
}

/** The id of the field's control (a radio group's first radio). */
export const fieldId = (path: string) => `request-${path.replaceAll(".", "-")}`;

/** The server may prefix the form's paths with the action's own key ("form.title"). */
const normalise = (path: string) => path.replace(/^form\./, "");

/** The field itself, else its nearest ancestor that is a field, else the part of the request it names. */
function placeOf(path: string): { id: string; label: string; order: number } | undefined {
  const segments = normalise(path).split(".");
  for (let n = segments.length; n > 0; n--) {
    const spec = BY_PATH.get(segments.slice(0, n).join("."));
    if (spec) return { id: fieldId(spec.path), label: spec.label, order: spec.order };
  }
  const section = segments[0] ? SECTIONS[segments[0]] : undefined;
  if (!section) return undefined;
  // A section's own error goes before its first field, or after every field when it has none.
  const first = FIELDS.findIndex((f) => f.path.startsWith(`${segments[0]}.`));
  return { ...section, order: first >= 0 ? first - 0.5 : FIELDS.length };
}

export type PlacedErrors = {
  /** [place id, messages] in form order, for ErrorSummary's `fields`. */
  fields: Array<[string, string[]]>;
  labels: Record<string, string>;
  /** Messages that belong to no field or part of the request. */
  unplaced: string[];
};

/** The server's field errors, placed and in form order; errors of one place are merged. */
export function placeErrors(fieldErrors: Record<string, string[]> | undefined): PlacedErrors {
  const placed = new Map<string, { label: string; order: number; messages: string[] }>();
  const unplaced: string[] = [];
  for (const [path, messages] of Object.entries(fieldErrors ?? {})) {
    const place = placeOf(path);
    if (!place) {
      unplaced.push(...messages);
      continue;
    }
    const entry = placed.get(place.id) ?? { label: place.label, order: place.order, messages: [] };
    entry.messages.push(...messages.filter((m) => !entry.messages.includes(m)));
    placed.set(place.id, entry);
  }
  const ordered = [...placed.entries()].sort((a, b) => a[1].order - b[1].order);
  return {
    fields: ordered.map(([id, e]) => [id, e.messages]),
    labels: Object.fromEntries(ordered.map(([id, e]) => [id, e.label])),
    unplaced,
  };
}

/** The messages for one field (and its sub-paths), for the error beside it. */
export function errorsOf(fieldErrors: Record<string, string[]> | undefined, path: string): string[] | undefined {
  const out = Object.entries(fieldErrors ?? {})
    .filter(([key]) => {
      const k = normalise(key);
      return k === path || k.startsWith(`${path}.`);
    })
    .flatMap(([, messages]) => messages);
  return out.length ? out : undefined;
}

const textOf = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
};

/** "yes" → true, "no" → false, unanswered → undefined (the server then asks for an answer). */
export function yesNo(value: FormDataEntryValue | null): boolean | undefined {
  return value === "yes" ? true : value === "no" ? false : undefined;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const segments = path.split(".");
  let node = target;
  for (const segment of segments.slice(0, -1)) node = (node[segment] ??= {}) as Record<string, unknown>;
  node[segments.at(-1) as string] = value;
}

/**
 * The part of the draft one section saves, from its inputs (named by path). An empty field is left
 * out rather than sent empty: a section half filled saves what it has, and the server says what
 * is missing when the request is submitted. Months are sent as typed (the server says if they are
 * not a number).
 */
export function patchOf(paths: readonly string[], form: FormData): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const path of paths) {
    const spec = fieldSpec(path);
    if (spec.kind === "yes-no") {
      const answer = yesNo(form.get(path));
      if (answer !== undefined) setPath(patch, path, answer);
      continue;
    }
    const text = textOf(form, path);
    if (text !== "") setPath(patch, path, text);
  }
  return patch;
}

/**
 * The purpose section's part of the draft: always the whole purpose (the server validates it
 * whole). Unanswered flags are left out, so the server names each one that needs an answer;
 * diseases are sent only for disease-specific research.
 */
export function purposeOf(form: FormData): { purpose: Record<string, unknown> } {
  const category = textOf(form, "purpose.category");
  const flags: Record<string, boolean> = {};
  for (const name of PURPOSE_FLAG_NAMES) {
    const answer = yesNo(form.get(`purpose.flags.${name}`));
    if (answer !== undefined) flags[name] = answer;
  }
  const other = textOf(form, "purpose.other");
  return {
    purpose: {
      duoRelease: DUO_RELEASE,
      ...(category ? { category } : {}),
      diseases: category === "DS" ? form.getAll("purpose.diseases").map(String) : [],
      flags,
      ...(other ? { other } : {}),
    },
  };
}

/** Whether every question of the purpose has an answer: only then can the match be explained. */
export function purposeComplete(purpose: Record<string, unknown>): boolean {
  const flags = (purpose.flags ?? {}) as Record<string, unknown>;
  const diseases = (purpose.diseases ?? []) as unknown[];
  if (typeof purpose.category !== "string") return false;
  if (purpose.category === "DS" && diseases.length === 0) return false;
  return PURPOSE_FLAG_NAMES.every((name) => typeof flags[name] === "boolean");
}

/** The value at a dotted path of the saved draft, for a field's initial value. */
export function valueAt(draft: unknown, path: string): unknown {
  let node: unknown = draft;
  for (const segment of path.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
