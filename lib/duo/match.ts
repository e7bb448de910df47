import type { ConsentItem } from "@/lib/consent/schema";
import type { DataUseConditions, ModifierCode } from "@/lib/duo/conditions";
import { type ResearchPurpose, SENSITIVE_FLAGS } from "@/lib/duo/purpose";
import { codedRegion, regionHolds } from "@/lib/duo/regions";
import { DUO_TERMS, termById } from "@/lib/duo/terms";

/**
 * The explained DUO matcher: a research purpose against a dataset release's conditions and against
 * a trial's consent items, each condition with a verdict and a reason in words. Pure and
 * isomorphic: the request form runs it in the browser as the researcher types, the committee page
 * and the export's row filter on the server, and all three read the same sentences.
 *
 * Rules (STANDARDS.md §1.3, built on DUOS Algorithm V4, consent-ontology `DataUseMatcherV4`):
 * - Permission: GRU ⊃ HMB ⊃ DS, POA apart. A GRU release takes any purpose; HMB takes HMB and DS
 *   purposes (not GRU: general research includes non-health research, DUOS's HMB failure 1; not
 *   POA); DS(X₁..Xₙ) takes a DS purpose whose **every** disease has some Xᵢ among its
 *   ancestors-or-self (DUOS's rule, stricter than REMS's "one"; DUO's "query at the most specific
 *   level": a cutaneous melanoma purpose is met by DS(melanoma), a melanoma purpose not by
 *   DS(cutaneous melanoma)); POA takes only POA.
 * - A purpose disease the ontology does not know cannot be placed: the committee judges it.
 * - DUOS's sensitive purpose flags (controls, population, …) and a purpose's free-text remarks make
 *   a met permission "committee", as DUOS abstains on them. A permission that is not met stays not
 *   met: no judgment can widen what the participants agreed to (DUOS abstains first; we say the
 *   stronger, equally true thing).
 * - NPU: the institution's not-for-profit flag. NCU: a commercial purpose is not met (the issue's
 *   acceptance test); a non-commercial one is an acknowledgement, since it rests on the researcher's
 *   declaration and the data use agreement's clause (§1.3 "acknowledge").
 * - IRB, COL: not met until the document is uploaded, then the committee reads it.
 * - PUB, RTN, MOR: acknowledgements. TS: met when the requested months are within the cap.
 * - US, IS, GS: met or not met when both sides are coded (e-mail addresses, ROR ids, ISO 3166
 *   codes or the EU/EEA), else the committee. PS, RS, CC: the committee (words, not codes).
 * - NMDS: a methods purpose is not met unless it lies inside the release's DS scope (DUO's README).
 *   NPOA: a POA purpose is not met. GSO: a genetic purpose goes to the committee, another is not met.
 *
 * Consent items name DUO ids without values. An item's DS means "this trial's condition", so its
 * diseases are the release's DS diseases; on a release that is not DS the committee reads the item.
 * A valued modifier (TS, GS, …) takes the release's value, or goes to the committee without one.
 */

export type Verdict = "met" | "not-met" | "committee" | "acknowledge";

/** How a verdict is said at the end of every reason, and on the page. */
export const VERDICT_WORDS: Record<Verdict, string> = {
  met: "met",
  "not-met": "not met",
  committee: "for the committee to judge",
  acknowledge: "to acknowledge",
};

/** Ancestors and labels of the Mondo ids a match involves (see `diseaseIdsOf`). */
export type DiseaseContext = {
  /**
   * Each known id's ancestors (is-a, transitively), the id itself included or not. An id absent
   * from the map is one the ontology does not know.
   */
  ancestors: ReadonlyMap<string, readonly string[]>;
  labels: ReadonlyMap<string, string>;
};

export type MatchContext = {
  purpose: ResearchPurpose;
  /** The requester's institution; `country` is ISO 3166-1 alpha-2, `ror` its ROR id, when known. */
  institution: { name: string; notForProfit: boolean; country?: string; ror?: string };
  /** Every person who will use the data, the requester included (for US). */
  team: ReadonlyArray<{ email: string }>;
  documents: { irb: boolean; collaborationLetter: boolean };
  /** The requested duration of access, in months (against TS). */
  requestedMonths: number;
  diseases: DiseaseContext;
};

export type ConditionMatch = {
  /** The DUO code: DS, NCU, TS… */
  code: string;
  /** The DUO id: DUO:0000007. */
  id: string;
  verdict: Verdict;
  /** One sentence naming the condition, why, and the verdict: "DS(MONDO:0005105 melanoma) — …: met". */
  reason: string;
};

export type MatchResult = { verdict: Verdict; conditions: ConditionMatch[] };

export type ItemMatch = {
  number: number;
  text: string;
  /** What applies to a participant who granted the item (empty: nothing, met). */
  granted: MatchResult;
  /** What applies to a participant who withheld it. */
  withheld: MatchResult;
};

type Modifiers = DataUseConditions["modifiers"];
type Permission = DataUseConditions["permission"];

/**
 * Not met if any condition is not met, else the committee's if any is, else met (an
 * acknowledgement counts as met: it is an obligation the requester accepts, not a doubt).
 */
export function overallVerdict(verdicts: readonly Verdict[]): Exclude<Verdict, "acknowledge"> {
  if (verdicts.includes("not-met")) return "not-met";
  if (verdicts.includes("committee")) return "committee";
  return "met";
}

const result = (conditions: ConditionMatch[]): MatchResult => ({ verdict: overallVerdict(conditions.map((c) => c.verdict)), conditions });

/** A check before it is said: the condition's head ("DS(MONDO:0005105 melanoma)"), the verdict and why. */
type Check = { code: keyof typeof DUO_TERMS; head: string; verdict: Verdict; because: string };

const condition = (code: Check["code"], head: string, verdict: Verdict, because: string): Check => ({ code, head, verdict, because });

/** The reason reads "head — because: verdict", so every reason names its condition and ends with the verdict. */
const said = (c: Check): ConditionMatch => ({ code: c.code, id: DUO_TERMS[c.code].id, verdict: c.verdict, reason: `${c.head} — ${c.because}: ${VERDICT_WORDS[c.verdict]}` });

const headOf = (code: keyof typeof DUO_TERMS) => `${code} (${DUO_TERMS[code].label.toLowerCase()})`;

// ─── diseases ────────────────────────────────────────────────────────────────────────────────────

/** "cutaneous melanoma (MONDO:0005012)", or the id alone when its label is unknown. */
const diseaseName = (id: string, d: DiseaseContext) => {
  const label = d.labels.get(id);
  return label ? `${label} (${id})` : id;
};
const diseaseLabel = (id: string, d: DiseaseContext) => d.labels.get(id) ?? id;
const joined = (words: readonly string[], last: string) => (words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} ${last} ${words.at(-1)}`);
const either = (words: readonly string[]) => joined(words, "or");
const both = (words: readonly string[]) => joined(words, "and");

/** "DS(MONDO:0005105 melanoma, MONDO:0005044 hypertensive disorder)", as the issue writes it. */
function dsHead(diseases: readonly string[], d: DiseaseContext): string {
  return `DS(${diseases.map((id) => (d.labels.has(id) ? `${id} ${d.labels.get(id)}` : id)).join(", ")})`;
}

type Coverage = { kind: "self" | "kind-of"; by: string } | { kind: "outside" } | { kind: "unknown" };

/** Whether the dataset's diseases cover one purpose disease: itself, an ancestor of it, or neither. */
function coverage(purposeDisease: string, datasetDiseases: readonly string[], d: DiseaseContext): Coverage {
  if (datasetDiseases.includes(purposeDisease)) return { kind: "self", by: purposeDisease };
  const up = d.ancestors.get(purposeDisease);
  if (up === undefined) return { kind: "unknown" };
  const by = datasetDiseases.find((x) => up.includes(x));
  return by ? { kind: "kind-of", by } : { kind: "outside" };
}

/** Every purpose disease has a dataset disease among its ancestors-or-self (DUOS's "every"). */
function withinDiseases(purpose: ResearchPurpose, datasetDiseases: readonly string[], d: DiseaseContext): boolean {
  return purpose.diseases.length > 0 && purpose.diseases.every((p) => {
    const kind = coverage(p, datasetDiseases, d).kind;
    return kind === "self" || kind === "kind-of";
  });
}

function matchDiseases(datasetDiseases: readonly string[], ctx: MatchContext): { verdict: Verdict; because: string } {
  const d = ctx.diseases;
  // The purpose schema refuses a DS purpose without diseases; a draft may still have none.
  if (ctx.purpose.diseases.length === 0) return { verdict: "not-met", because: "your purpose names no disease yet; name the diseases you study" };
  const names = either(datasetDiseases.map((x) => diseaseLabel(x, d)));
  // [who, what]: joined as "your purpose, X, is …" for one disease, "X is …; Y is …" for several.
  const phrases: Array<[string, string]> = [];
  let outside = false;
  let unknown = false;
  for (const p of ctx.purpose.diseases) {
    const c = coverage(p, datasetDiseases, d);
    if (c.kind === "self") phrases.push([diseaseName(p, d), `is ${diseaseLabel(c.by, d)} itself`]);
    else if (c.kind === "kind-of") phrases.push([diseaseName(p, d), `is a kind of ${diseaseLabel(c.by, d)}`]);
    else if (c.kind === "outside") {
      outside = true;
      phrases.push([diseaseName(p, d), `is not a kind of ${names}`]);
    } else {
      unknown = true;
      phrases.push([diseaseName(p, d), `is not in the disease ontology, so whether it is a kind of ${names} cannot be computed`]);
    }
  }
  const [first] = phrases;
  const lead =
    phrases.length === 1 && first
      ? `your purpose, ${first[0]}, ${first[1]}`
      : `of your purpose's diseases, ${phrases.map(([who, what]) => `${who} ${what}`).join("; ")}`;
  if (outside) return { verdict: "not-met", because: `${lead}; every disease of the purpose must be one of the dataset's or a kind of one` };
  return { verdict: unknown ? "committee" : "met", because: lead };
}

// ─── the permission ──────────────────────────────────────────────────────────────────────────────

const CATEGORY_WORDS: Record<ResearchPurpose["category"], string> = {
  GRU: "general research (GRU)",
  HMB: "health, medical or biomedical research (HMB)",
  DS: "disease-specific research (DS)",
  POA: "population origins or ancestry research (POA)",
};

/** The sensitive flag in words, with its DUOS name so a committee member can look it up. */
const FLAG_WORDS: Record<(typeof SENSITIVE_FLAGS)[number], string> = {
  controls: "uses the data as controls (controls)",
  population: "is population research (population)",
  gender: "studies one sex or gender only (gender)",
  pediatric: "studies children only (pediatric)",
  vulnerablePopulations: "studies vulnerable populations (vulnerablePopulations)",
  illegalBehavior: "studies illegal behaviour (illegalBehavior)",
  sexualDiseases: "studies sexually transmitted diseases (sexualDiseases)",
  stigmatizedDiseases: "studies stigmatised diseases (stigmatizedDiseases)",
  psychologicalTraits: "studies psychological traits (psychologicalTraits)",
  notHealth: "studies traits that are not about health (notHealth)",
};

function permissionVerdict(permission: Permission, ctx: MatchContext): { verdict: Verdict; because: string } {
  const category = ctx.purpose.category;
  const asked = CATEGORY_WORDS[category];
  switch (permission.code) {
    case "GRU":
      return { verdict: "met", because: `the data may be used for any research, and your purpose is ${asked}` };
    case "HMB":
      if (category === "HMB" || category === "DS") return { verdict: "met", because: `the data may be used for health, medical or biomedical research, and your purpose is ${asked}` };
      return {
        verdict: "not-met",
        because:
          category === "GRU"
            ? "the data may be used for health, medical or biomedical research only, and your purpose is general research, which includes research that is not about health; choose health/medical research or a disease if that is what you study"
            : `the data may be used for health, medical or biomedical research only, not for ${asked}`,
      };
    case "DS": {
      const names = either(permission.diseases.map((x) => diseaseName(x, ctx.diseases)));
      if (category !== "DS") return { verdict: "not-met", because: `the data may be used only for research on ${names}, and your purpose is ${asked}` };
      return matchDiseases(permission.diseases, ctx);
    }
    case "POA":
      if (category === "POA") return { verdict: "met", because: "the data may be used for population origins or ancestry research, and that is your purpose" };
      return { verdict: "not-met", because: `the data may be used only for population origins or ancestry research, and your purpose is ${asked}` };
  }
}

/** The permission's check, then DUOS's abstention on sensitive flags and free-text remarks. */
function matchPermission(permission: Permission, ctx: MatchContext, head?: string): Check {
  const title = head ?? (permission.code === "DS" ? dsHead(permission.diseases, ctx.diseases) : headOf(permission.code));
  const base = permissionVerdict(permission, ctx);
  if (base.verdict !== "met") return condition(permission.code, title, base.verdict, base.because);
  const doubts = SENSITIVE_FLAGS.filter((f) => ctx.purpose.flags[f]).map((f) => FLAG_WORDS[f]);
  if (ctx.purpose.other?.trim()) doubts.push("has remarks in words the matcher cannot read (other)");
  if (doubts.length === 0) return condition(permission.code, title, "met", base.because);
  return condition(permission.code, title, "committee", `${base.because}; but your purpose ${both(doubts)}, which DUOS leaves to the committee`);
}

/** A DS release's diseases hold the purpose: methods research there stays inside the release's scope (NMDS). */
const insideDiseaseScope = (permission: Permission, ctx: MatchContext) =>
  permission.code === "DS" && ctx.purpose.category === "DS" && withinDiseases(ctx.purpose, permission.diseases, ctx.diseases);

// ─── modifiers ───────────────────────────────────────────────────────────────────────────────────

const EMAIL = /^[^\s@]+@[^\s@]+$/;
/** A ROR id, bare (0abcde123) or as its URL: 0, six base-32 characters, two check digits. */
const ROR = /^(?:https?:\/\/ror\.org\/)?(0[a-hj-km-np-tv-z0-9]{6}\d{2})$/i;
const rorOf = (text: string) => ROR.exec(text.trim())?.[1]?.toLowerCase();
const sameName = (a: string, b: string) => a.trim().toLowerCase().replace(/\s+/g, " ") === b.trim().toLowerCase().replace(/\s+/g, " ");
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** At most three entries of a long list, so a reason stays one sentence. */
const listed = (items: readonly string[]) => (items.length <= 3 ? items.join(", ") : `${items.slice(0, 3).join(", ")} and ${items.length - 3} more`);

function matchUsers(users: readonly string[], ctx: MatchContext): Check {
  const head = headOf("US");
  if (ctx.team.length === 0) return condition("US", head, "committee", `the data may be used only by ${listed(users)}, and the request names no team yet`);
  const allowed = new Set(users.filter((u) => EMAIL.test(u)).map((u) => u.trim().toLowerCase()));
  const outside = ctx.team.map((m) => m.email).filter((e) => !allowed.has(e.trim().toLowerCase()));
  if (outside.length === 0) return condition("US", head, "met", `every member of your team is one of the ${plural(users.length, "named user")}`);
  if (users.every((u) => EMAIL.test(u))) {
    return condition("US", head, "not-met", `the data may be used only by ${listed(users)}, and ${listed(outside)} ${outside.length === 1 ? "is" : "are"} not among them`);
  }
  return condition("US", head, "committee", `${listed(outside)} ${outside.length === 1 ? "is" : "are"} not named by e-mail, and the list also names users by other ids (such as ORCID iDs), which the committee compares`);
}

function matchInstitutions(institutions: readonly string[], ctx: MatchContext): Check {
  const head = headOf("IS");
  const { name, ror } = ctx.institution;
  const own = ror ? rorOf(ror) : undefined;
  // Only a ROR id is a code (STANDARDS.md §1.3: "match if ids are listed"); a name is what the
  // researcher typed, so a name that matches is for the committee to confirm.
  const coded = own === undefined ? undefined : institutions.find((i) => rorOf(i) === own);
  if (coded) return condition("IS", head, "met", `your institution, ${name}, is the named institution ${coded}`);
  const named = institutions.find((i) => sameName(i, name));
  if (named) return condition("IS", head, "committee", `your institution's name, ${name}, is the named institution ${named}; the committee confirms it is the same organisation`);
  if (own !== undefined && institutions.every((i) => rorOf(i) !== undefined)) {
    return condition("IS", head, "not-met", `the data may be used only at ${listed(institutions)}, and your institution, ${name} (${own}), is not among them`);
  }
  return condition("IS", head, "committee", `the data may be used only at ${listed(institutions)}; your institution, ${name}, is not named so, and the committee judges whether it is one of them`);
}

function matchRegions(regions: readonly string[], ctx: MatchContext): Check {
  const head = `GS(${listed(regions)})`;
  const country = ctx.institution.country?.trim().toUpperCase();
  const coded = regions.map(codedRegion);
  if (country) {
    const hit = coded.find((r) => r !== undefined && regionHolds(r, country));
    if (hit) return condition("GS", head, "met", `your institution is in ${country}, ${hit === country ? "a named country" : `which is in ${hit}`}`);
    if (coded.every((r) => r !== undefined)) return condition("GS", head, "not-met", `the data may be used only in ${listed(regions)}, and your institution is in ${country}`);
    return condition("GS", head, "committee", `your institution is in ${country}, and the committee judges whether that lies in ${listed(regions)}`);
  }
  return condition("GS", head, "committee", `the data may be used only in ${listed(regions)}, and your institution's country is not recorded, so the committee checks it`);
}

/**
 * One modifier's check. `scope` tells NMDS whether the purpose lies inside the release's DS scope.
 * Undefined for a modifier absent from `modifiers`.
 */
function matchModifier(code: ModifierCode, modifiers: Modifiers, ctx: MatchContext, scope: boolean): Check | undefined {
  const { purpose, documents } = ctx;
  const head = headOf(code);
  switch (code) {
    case "NPU":
      if (!modifiers.NPU) return undefined;
      return ctx.institution.notForProfit
        ? condition(code, head, "met", `your institution, ${ctx.institution.name}, is a not-for-profit organisation`)
        : condition(code, head, "not-met", `the data may be used only by not-for-profit organisations, and your institution, ${ctx.institution.name}, is not one`);
    case "NCU":
      if (!modifiers.NCU) return undefined;
      return purpose.flags.commercial
        ? condition(code, head, "not-met", "the data may not be used commercially, and your purpose is commercial research (or done for or with a for-profit company)")
        : condition(code, head, "acknowledge", "your purpose is declared non-commercial; the data use agreement binds you and your team to keep it so");
    case "IRB":
      if (!modifiers.IRB) return undefined;
      return documents.irb
        ? condition(code, head, "committee", "your ethics committee (IRB/ERB) approval is uploaded; the committee reads it")
        : condition(code, head, "not-met", "the data may be used only with an ethics committee (IRB/ERB) approval; upload your approval document");
    case "COL":
      if (!modifiers.COL) return undefined;
      return documents.collaborationLetter
        ? condition(code, head, "committee", "your collaboration letter with the study's investigators is uploaded; the committee reads it")
        : condition(code, head, "not-met", "the data may be used only in collaboration with the study's investigators; upload a collaboration letter from them");
    case "PUB":
      if (!modifiers.PUB) return undefined;
      return condition(code, head, "acknowledge", "you agree to make the results of your studies available to the scientific community");
    case "RTN":
      if (!modifiers.RTN) return undefined;
      return condition(code, head, "acknowledge", "you agree to return derived or enriched data to the resource; the close-out report asks for it");
    case "MOR":
      if (!modifiers.MOR) return undefined;
      return condition(code, `MOR(${modifiers.MOR.date})`, "acknowledge", `you agree to publish no results before ${modifiers.MOR.date}`);
    case "TS": {
      if (!modifiers.TS) return undefined;
      const cap = modifiers.TS.months;
      const title = `TS(${plural(cap, "month")})`;
      return ctx.requestedMonths <= cap
        ? condition(code, title, "met", `you ask for ${plural(ctx.requestedMonths, "month")}, within the limit of ${plural(cap, "month")} from the decision`)
        : condition(code, title, "not-met", `the data may be used for at most ${plural(cap, "month")} from the decision, and you ask for ${plural(ctx.requestedMonths, "month")}; ask for ${cap} or fewer`);
    }
    case "GS":
      return modifiers.GS ? matchRegions(modifiers.GS.regions, ctx) : undefined;
    case "US":
      return modifiers.US ? matchUsers(modifiers.US.users, ctx) : undefined;
    case "IS":
      return modifiers.IS ? matchInstitutions(modifiers.IS.institutions, ctx) : undefined;
    case "PS":
      if (!modifiers.PS) return undefined;
      return condition(code, head, "committee", `the data may be used only for the approved project ("${modifiers.PS.project.slice(0, 200)}"); the committee judges whether yours is it`);
    case "NPOA":
      if (!modifiers.NPOA) return undefined;
      return purpose.category === "POA"
        ? condition(code, head, "not-met", "population origins or ancestry research is prohibited, and that is your purpose")
        : condition(code, head, "met", `your purpose is ${CATEGORY_WORDS[purpose.category]}, not population origins or ancestry research`);
    case "NMDS":
      if (!modifiers.NMDS) return undefined;
      if (!purpose.flags.methods) return condition(code, head, "met", "your purpose is not methods development");
      return scope
        ? condition(code, head, "met", "your purpose is methods development, but on the dataset's own diseases, inside its disease-specific scope")
        : condition(code, head, "not-met", "general methods development (new statistical or computational methods) is not allowed, and that is your purpose; methods research is allowed only on a disease-specific release's diseases");
    case "GSO":
      if (!modifiers.GSO) return undefined;
      return purpose.flags.genetic
        ? condition(code, head, "committee", "the data may be used for genetic studies only; your purpose is declared genetic, and the committee checks the analysis plan")
        : condition(code, head, "not-met", "the data may be used for genetic studies only, and your purpose is declared not genetic");
    case "CC":
      if (!modifiers.CC) return undefined;
      return condition(code, head, "committee", "the data may be used for clinical care; the committee judges whether your use is that");
    case "RS":
      if (!modifiers.RS) return undefined;
      return condition(code, head, "committee", `the data may be used only for ${modifiers.RS.topic.slice(0, 200)}; the committee judges whether your purpose is that`);
  }
}

/** The modifiers in the order lib/duo/describe.ts lists them (MODIFIER_CODES), so both read alike. */
const MODIFIER_ORDER = ["NPU", "NCU", "IRB", "PUB", "COL", "RTN", "TS", "GS", "MOR", "US", "PS", "IS", "NPOA", "NMDS", "GSO", "CC", "RS"] as const satisfies readonly ModifierCode[];
const FLAG_CODES = new Set<string>(["NPU", "NCU", "IRB", "PUB", "COL", "RTN", "NPOA", "NMDS", "GSO", "CC"]);

// ─── the public functions ────────────────────────────────────────────────────────────────────────

/** The purpose against one release's conditions: the permission first, then each modifier present. */
export function matchConditions(conditions: DataUseConditions, ctx: MatchContext): MatchResult {
  const checks = [matchPermission(conditions.permission, ctx)];
  const scope = insideDiseaseScope(conditions.permission, ctx);
  for (const code of MODIFIER_ORDER) {
    const check = matchModifier(code, conditions.modifiers, ctx, scope);
    if (check) checks.push(check);
  }
  return result(checks.map(said));
}

/** One DUO id of a consent item, read against the purpose (see the module comment for DS and values). */
function matchConsentTerm(id: string, release: DataUseConditions, ctx: MatchContext): ConditionMatch {
  const term = termById(id);
  if (!term) return { code: id, id, verdict: "committee", reason: `${id} — this is not a DUO term the portal knows, so the committee reads the item: ${VERDICT_WORDS.committee}` };
  return said(consentCheck(term.code as keyof typeof DUO_TERMS, release, ctx));
}

/** Worst first: the verdict of conditions that all apply at once. */
const SEVERITY: readonly Verdict[] = ["not-met", "committee", "acknowledge", "met"];
const worst = (verdicts: readonly Verdict[]): Verdict => SEVERITY.find((v) => verdicts.includes(v)) ?? "met";

function consentCheck(code: keyof typeof DUO_TERMS, release: DataUseConditions, ctx: MatchContext): Check {
  const scope = insideDiseaseScope(release.permission, ctx);
  switch (code) {
    case "NRES":
      return condition("NRES", headOf("NRES"), "met", "the participants placed no restriction on use");
    case "GRU":
    case "HMB":
    case "POA":
      return matchPermission({ code }, ctx);
    case "DS": {
      if (release.permission.code !== "DS") {
        return condition("DS", "DS (the trial's condition)", "committee", "the item allows research on the trial's condition, and the release names no disease, so the committee judges whether your purpose is about it");
      }
      return matchPermission(release.permission, ctx, `${dsHead(release.permission.diseases, ctx.diseases)}, the trial's condition`);
    }
    case "NPUNCU": {
      const parts = [matchModifier("NPU", { NPU: true }, ctx, scope), matchModifier("NCU", { NCU: true }, ctx, scope)].filter((m) => m !== undefined);
      return condition("NPUNCU", headOf("NPUNCU"), worst(parts.map((m) => m.verdict)), parts.map((m) => m.because).join("; and "));
    }
    default: {
      const modifier: ModifierCode = code;
      const modifiers: Modifiers = FLAG_CODES.has(modifier) ? { [modifier]: true } : release.modifiers;
      return (
        matchModifier(modifier, modifiers, ctx, scope) ??
        condition(code, headOf(code), "committee", `the item names ${DUO_TERMS[code].label.toLowerCase()} without its value, and the release states none, so the committee reads it`)
      );
    }
  }
}

/**
 * Each consent item, read for a participant who granted it and for one who withheld it: the DUO
 * terms that then apply, matched against the purpose. An export includes a participant's rows only
 * where the terms of their answers are met (a "committee" counts as excluded there, §1.3).
 */
export function matchConsentItems(items: readonly ConsentItem[], release: DataUseConditions, ctx: MatchContext): ItemMatch[] {
  const side = (ids: readonly string[]) => result(ids.map((id) => matchConsentTerm(id, release, ctx)));
  return items.map((item) => ({ number: item.number, text: item.text, granted: side(item.ifGranted), withheld: side(item.ifWithheld) }));
}

/** `date` plus whole calendar months, in UTC, on the last day of the month when it is shorter (31 Jan + 1 → 28/29 Feb). */
export function addMonths(date: Date, months: number): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const out = new Date(date);
  out.setUTCFullYear(y, m, Math.min(date.getUTCDate(), lastDay));
  return out;
}

/**
 * The latest end date a grant may have under the releases' time limits (TS): the decision time plus
 * the smallest cap, in calendar months. Null when no release has a time limit.
 */
export function maxGrantEnd(conditions: readonly DataUseConditions[], decidedAt: Date): Date | null {
  const caps = conditions.flatMap((c) => (c.modifiers.TS ? [c.modifiers.TS.months] : []));
  return caps.length ? addMonths(decidedAt, Math.min(...caps)) : null;
}

/** Every Mondo id a match needs, sorted and once each: the purpose's and every DS release's. */
export function diseaseIdsOf(purpose: Pick<ResearchPurpose, "diseases">, conditions: readonly DataUseConditions[]): string[] {
  const ids = new Set(purpose.diseases);
  for (const c of conditions) if (c.permission.code === "DS") for (const id of c.permission.diseases) ids.add(id);
  return [...ids].sort();
}
