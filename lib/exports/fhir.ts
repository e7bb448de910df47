import type { ConsentItem } from "@/lib/consent/schema";
import { termById } from "@/lib/duo/terms";
import { REGISTRATION_NUMBER_SYSTEM } from "@/lib/registry/fhir";

/**
 * The FHIR R4 resources that go with a consent-gated export (STANDARDS.md §4): for each participant
 * a Consent (their current decision, in GA4GH DUO terms) and a ResearchSubject (are their rows in
 * this export), as NDJSON. Pure: the same subject and context give the same lines.
 *
 * Anonymous by construction: the only value that identifies a participant is the per-grant
 * pseudonym (lib/exports/keys.ts), as an identifier-only reference — no Patient resource, no trial
 * pseudonym (nullifier), no chain value. Two grants' exports cannot be joined on these resources.
 * Only R4 core elements are used, so any R4 parser reads them and the official R4 JSON schema
 * accepts them (lib/exports/fhir.test.ts).
 */

export type ExportSubject = {
  /** Per-grant pseudonym (64 hex), the only identifier of the participant in the export. */
  pseudonym: string;
  /** Whether the participant's rows are in this export (on-study) or they withdrew / are excluded (withdrawn). */
  status: "on-study" | "withdrawn";
  /** The participant's current decision: granted item numbers, consent text version, and the decision's time if known (ISO) — may be null. */
  decision: { grantedItems: number[]; textVersion: number; decidedAt: string | null } | null;
};

export type FhirExportContext = {
  /** The portal's origin, e.g. "http://localhost:3000" (a trailing slash is ignored). */
  portalUrl: string;
  /** The access grant the export is made under: it scopes the pseudonyms' identifier system. */
  grantId: string;
  /** The trial's registration number, as the project's ResearchStudy carries it. */
  trialNumber: string;
  /** The items of the decision's consent text version. */
  consentItems: ConsentItem[];
  /** 0x-prefixed SHA-256 of that consent text version. */
  consentTextDigest: string;
};

const CONSENT_SCOPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentscope";
const CONSENT_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/consentcategorycodes";
const ACT_REASON_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
/** The DUO code system: codes are DUO ids ("DUO:0000006"). */
export const DUO_SYSTEM = "http://purl.obolibrary.org/obo/duo";

/** The identifier system of a grant's pseudonyms: a pseudonym means nothing outside its grant. */
export function pseudonymSystem(grantId: string): string {
  return `urn:trialledger:grant:${grantId}:pseudonym`;
}

const PSEUDONYM = /^[0-9a-f]{64}$/;
const DIGEST = /^0x[0-9a-f]{64}$/i;
/** R4's dateTime pattern (fhir.schema.json), so a bad time fails here rather than in a consumer. */
const FHIR_DATE_TIME =
  /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$/;

/**
 * The resource id of a subject's Consent and ResearchSubject: the pseudonym itself. It already is
 * a FHIR id ([A-Za-z0-9-.]{1,64}: 64 lowercase hex digits), is stable across re-runs of the same
 * grant's export, and adds no value that could identify the participant beside the pseudonym. The
 * two resources share it: FHIR ids are unique per resource type.
 */
export function fhirResourceId(subject: Pick<ExportSubject, "pseudonym">): string {
  if (!PSEUDONYM.test(subject.pseudonym)) throw new RangeError("a per-grant pseudonym is 64 lowercase hex digits");
  return subject.pseudonym;
}

/** The identifier-only reference to the participant (R4 Reference.identifier): satisfies ppc-3 without a Patient resource. */
function individual(subject: ExportSubject, ctx: FhirExportContext) {
  return { type: "Patient", identifier: { system: pseudonymSystem(ctx.grantId), value: fhirResourceId(subject) } };
}

function origin(ctx: FhirExportContext): string {
  return ctx.portalUrl.replace(/\/+$/, "");
}

type Coding = { system: string; code: string; display?: string };
type Provision = { type: "permit" | "deny"; code: Array<{ coding: Coding[]; text?: string }> };

/** A DUO term as a CodeableConcept: the id as code, DUO's own label as display, the short code (HMB) as text. */
function duoConcept(id: string) {
  const term = termById(id);
  return { coding: [{ system: DUO_SYSTEM, code: id, ...(term ? { display: term.ontologyLabel } : {}) }], ...(term ? { text: term.code } : {}) };
}

/**
 * The nested provisions of a decision that grants something: one per DUO term, in item order, the
 * first occurrence of a term deciding its place. Each term sits in its own provision because R4's
 * `provision.purpose`/`code` lists have AND semantics (STANDARDS.md §4).
 *
 * Decision on withheld items — the same reading as the export's consent filter
 * (lib/exports/consent-filter.ts), so the Consent says what the filter applied:
 * - a granted item's `ifGranted` terms are permits (the use the participant agreed to);
 * - a withheld item's `ifWithheld` terms are permits too: they name the narrower use that then
 *   applies ("research on other diseases" withheld → DS, disease-specific research is allowed;
 *   "commercial use" withheld → NCU, non-commercial use only). Every DUO term, modifiers included,
 *   is phrased as the use that is allowed, so a *deny* of NCU would deny non-commercial use — the
 *   opposite of the participant's answer (the §4 example's deny of DUO:0000046 reads that way;
 *   it is not followed here);
 * - a withheld item without `ifWithheld` terms is a plain refusal: a deny carrying its `ifGranted`
 *   terms (the use the participant refused) — unless another granted item permits that very term:
 *   the filter takes granted permissions as alternatives, so the participant did allow that use,
 *   and a deny beside a permit of the same term would contradict itself.
 */
function termProvisions(granted: ReadonlySet<number>, items: readonly ConsentItem[]): Provision[] {
  const permits: string[] = [];
  const denies: string[] = [];
  for (const item of items) {
    if (granted.has(item.number)) permits.push(...item.ifGranted);
    else if (item.ifWithheld.length > 0) permits.push(...item.ifWithheld);
    else denies.push(...item.ifGranted);
  }
  const permitted = new Set(permits);
  const denied = new Set(denies.filter((id) => !permitted.has(id)));
  return [
    ...[...permitted].map((id): Provision => ({ type: "permit", code: [duoConcept(id)] })),
    ...[...denied].map((id): Provision => ({ type: "deny", code: [duoConcept(id)] })),
  ];
}

/**
 * The participant's current decision as an R4 Consent (scope and category research, the policy
 * the consent text version with its digest).
 *
 * - status: `active` when there is a decision that grants at least one item — the decision in
 *   force, also when this export's purpose is not covered by it (the ResearchSubject then says
 *   `withdrawn`); `inactive` for a withdrawal (a decision granting nothing) or no decision at all.
 * - provision: `permit` for clinical-trial research (v3-ActReason CLINTRCH) with one nested
 *   provision per DUO term (termProvisions); a withdrawal or no decision is a bare `deny`, nothing
 *   is allowed — a withheld item's `ifWithheld` fallback is not a permit when consent is withdrawn.
 * - policy: `<portal>/trials/<number>/consent-text/<version>#sha256=<hex>`, the text the
 *   participant answered, its SHA-256 in the fragment (R4's Attachment.hash is SHA-1 and is not
 *   used). With no decision there is no version: the trial's consent text page, unversioned.
 *
 * @throws RangeError when the pseudonym, the digest or the decision's time is malformed
 */
export function fhirConsent(subject: ExportSubject, ctx: FhirExportContext): object {
  const { decision } = subject;
  const trialUrl = `${origin(ctx)}/trials/${encodeURIComponent(ctx.trialNumber)}`;
  if (decision?.decidedAt && !FHIR_DATE_TIME.test(decision.decidedAt)) throw new RangeError(`"${decision.decidedAt}" is not an R4 dateTime`);
  if (decision && !DIGEST.test(ctx.consentTextDigest)) throw new RangeError("the consent text digest is 0x and 64 hex digits");
  const grants = decision?.grantedItems.length ? decision : null;
  const purpose = [{ system: ACT_REASON_SYSTEM, code: "CLINTRCH", display: "clinical trial research" }];
  const nested = grants ? termProvisions(new Set(grants.grantedItems), ctx.consentItems) : [];
  return {
    resourceType: "Consent",
    id: fhirResourceId(subject),
    status: grants ? "active" : "inactive",
    scope: { coding: [{ system: CONSENT_SCOPE_SYSTEM, code: "research", display: "Research" }] },
    category: [{ coding: [{ system: CONSENT_CATEGORY_SYSTEM, code: "research", display: "Research Information Access" }] }],
    patient: individual(subject, ctx),
    ...(decision?.decidedAt ? { dateTime: decision.decidedAt } : {}),
    policy: [
      {
        uri: decision
          ? `${trialUrl}/consent-text/${decision.textVersion}#sha256=${ctx.consentTextDigest.slice(2).toLowerCase()}`
          : `${trialUrl}/consent-text`,
      },
    ],
    provision: {
      type: grants ? "permit" : "deny",
      ...(decision?.decidedAt ? { period: { start: decision.decidedAt } } : {}),
      purpose,
      // R4 forbids empty arrays: a decision whose items carry no DUO term has no nested provisions.
      ...(nested.length > 0 ? { provision: nested } : {}),
    },
  };
}

/**
 * The participant in the study as an R4 ResearchSubject: `on-study` when their rows are in the
 * export, `withdrawn` otherwise. The study is referenced by the registration number under the
 * project's own identifier system (the one lib/registry/fhir.ts gives the ResearchStudy at
 * /trials/<number>/fhir), so the logical reference resolves against that resource.
 */
export function fhirResearchSubject(subject: ExportSubject, ctx: FhirExportContext, consentId: string): object {
  return {
    resourceType: "ResearchSubject",
    id: fhirResourceId(subject),
    status: subject.status,
    study: { type: "ResearchStudy", identifier: { system: REGISTRATION_NUMBER_SYSTEM, value: ctx.trialNumber } },
    individual: individual(subject, ctx),
    consent: { reference: `Consent/${consentId}` },
  };
}

/**
 * NDJSON lines (one resource per line, each ending in "\n", so joining them gives the file), the
 * Consent then the ResearchSubject per subject. A generator, so a large export streams: one
 * subject's resources are in memory at a time, whatever the source yields.
 */
export async function* fhirExportLines(subjects: AsyncIterable<ExportSubject> | Iterable<ExportSubject>, ctx: FhirExportContext): AsyncGenerator<string> {
  for await (const subject of subjects) {
    const consent = fhirConsent(subject, ctx);
    yield `${JSON.stringify(consent)}\n`;
    yield `${JSON.stringify(fhirResearchSubject(subject, ctx, fhirResourceId(subject)))}\n`;
  }
}
