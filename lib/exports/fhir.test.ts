import { describe, expect, it } from "vitest";
import type { ConsentItem } from "@/lib/consent/schema";
import { DUO_TERMS } from "@/lib/duo/terms";
import { DUO_SYSTEM, type ExportSubject, type FhirExportContext, fhirConsent, fhirExportLines, fhirResearchSubject, pseudonymSystem } from "@/lib/exports/fhir";
import { REGISTRATION_NUMBER_SYSTEM } from "@/lib/registry/fhir";
import { expectValidR4, r4Problems } from "@/scripts/test/fhir-r4";

const { HMB, GRU, DS, NCU, IRB, PUB } = DUO_TERMS;

/** Items as a consent text holds them: granted → ifGranted, withheld → ifWithheld (the narrower use) or nothing. */
const items: ConsentItem[] = [
  { number: 1, text: "Use of my data for health research", ifGranted: [HMB.id, IRB.id], ifWithheld: [] },
  { number: 2, text: "Research on other diseases", ifGranted: [GRU.id], ifWithheld: [DS.id] },
  { number: 3, text: "Commercial use", ifGranted: [], ifWithheld: [NCU.id] },
  { number: 4, text: "Publication of results", ifGranted: [PUB.id], ifWithheld: [] },
];

const DIGEST = `0x${"ab".repeat(32)}`;
const ctx: FhirExportContext = { portalUrl: "http://localhost:3000/", grantId: "grant-42", trialNumber: "TL-2026-00001", consentItems: items, consentTextDigest: DIGEST };
const pseudonym = (n: number) => n.toString(16).padStart(2, "0").repeat(32);

const onStudy: ExportSubject = { pseudonym: pseudonym(1), status: "on-study", decision: { grantedItems: [1, 3], textVersion: 2, decidedAt: "2026-03-01T12:00:00.000Z" } };
const excluded: ExportSubject = { pseudonym: pseudonym(2), status: "withdrawn", decision: { grantedItems: [4], textVersion: 2, decidedAt: null } };
const withdrew: ExportSubject = { pseudonym: pseudonym(3), status: "withdrawn", decision: { grantedItems: [], textVersion: 2, decidedAt: "2026-04-01T08:30:00Z" } };
const undecided: ExportSubject = { pseudonym: pseudonym(4), status: "withdrawn", decision: null };
const subjects = [onStudy, excluded, withdrew, undecided];

type Resource = Record<string, unknown> & { provision?: { type: string; provision?: Array<{ type: string; code: Array<{ coding: Array<{ system: string; code: string }> }> }> } };
const consentOf = (s: ExportSubject) => fhirConsent(s, ctx) as Resource;
/** The nested provisions as "type code" pairs, for exact comparisons. */
const terms = (s: ExportSubject) =>
  (consentOf(s).provision?.provision ?? []).map((p) => {
    expect(p.code).toHaveLength(1);
    expect(p.code[0]!.coding).toHaveLength(1);
    expect(p.code[0]!.coding[0]!.system).toBe("http://purl.obolibrary.org/obo/duo");
    return `${p.type} ${p.code[0]!.coding[0]!.code}`;
  });

describe("the R4 validator", () => {
  it("is live: it refuses broken resources", () => {
    const consent = consentOf(onStudy);
    expect(r4Problems(consent)).toEqual([]);
    expect(r4Problems({ ...consent, status: "bogus" })).not.toEqual([]);
    const { scope: _scope, ...noScope } = consent;
    expect(r4Problems(noScope)).not.toEqual([]);
    expect(r4Problems({ ...fhirResearchSubject(onStudy, ctx, "x"), status: "enrolled" })).not.toEqual([]);
    expect(r4Problems({ ...fhirResearchSubject(onStudy, ctx, "x"), id: "a".repeat(65) })).not.toEqual([]);
  });
});

describe("fhirConsent", () => {
  it("gives valid R4 for every kind of subject", () => {
    for (const s of subjects) expectValidR4(fhirConsent(s, ctx), `Consent of ${s.pseudonym}`);
  });

  it("maps a decision to a research Consent", () => {
    expect(consentOf(onStudy)).toMatchObject({
      resourceType: "Consent",
      id: onStudy.pseudonym,
      status: "active",
      scope: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/consentscope", code: "research" }] },
      category: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/consentcategorycodes", code: "research" }] }],
      patient: { identifier: { system: "urn:trialledger:grant:grant-42:pseudonym", value: onStudy.pseudonym } },
      dateTime: "2026-03-01T12:00:00.000Z",
      policy: [{ uri: `http://localhost:3000/trials/TL-2026-00001/consent-text/2#sha256=${"ab".repeat(32)}` }],
      provision: {
        type: "permit",
        period: { start: "2026-03-01T12:00:00.000Z" },
        purpose: [{ system: "http://terminology.hl7.org/CodeSystem/v3-ActReason", code: "CLINTRCH" }],
      },
    });
    expect(pseudonymSystem(ctx.grantId)).toContain(ctx.grantId);
  });

  it("gives one nested provision per DUO term: granted terms and withheld items' fallback terms permit, a plain refusal denies", () => {
    // 1 granted: HMB, IRB; 2 withheld: DS (its fallback); 3 granted: no term; 4 withheld, no fallback: deny PUB.
    expect(terms(onStudy)).toEqual([`permit ${HMB.id}`, `permit ${IRB.id}`, `permit ${DS.id}`, `deny ${PUB.id}`]);
    // 4 granted: PUB; 1 withheld without fallback: deny HMB and IRB; 2 → DS; 3 → NCU.
    expect(terms(excluded)).toEqual([`permit ${DS.id}`, `permit ${NCU.id}`, `permit ${PUB.id}`, `deny ${HMB.id}`, `deny ${IRB.id}`]);
    const first = consentOf(onStudy).provision!.provision![0]!.code[0] as { coding: Array<{ display?: string }>; text?: string };
    expect(first).toEqual({ coding: [{ system: DUO_SYSTEM, code: HMB.id, display: HMB.ontologyLabel }], text: "HMB" });
  });

  it("does not deny a term another granted item permits, and names each term once", () => {
    const overlapping: ConsentItem[] = [
      { number: 1, text: "a", ifGranted: [HMB.id], ifWithheld: [] },
      { number: 2, text: "b", ifGranted: [HMB.id, GRU.id], ifWithheld: [] },
      { number: 3, text: "c", ifGranted: [HMB.id], ifWithheld: [] },
    ];
    const s: ExportSubject = { ...onStudy, decision: { ...onStudy.decision!, grantedItems: [1, 3] } };
    const consent = fhirConsent(s, { ...ctx, consentItems: overlapping });
    expectValidR4(consent, "overlapping items");
    const nested = (consent as Resource).provision!.provision!.map((p) => `${p.type} ${p.code[0]!.coding[0]!.code}`);
    expect(nested).toEqual([`permit ${HMB.id}`, `deny ${GRU.id}`]);
  });

  it("keeps an excluded participant's decision active, with no dateTime when its time is unknown", () => {
    const consent = consentOf(excluded);
    expect(consent.status).toBe("active");
    expect(consent).not.toHaveProperty("dateTime");
    expect(consent.provision).not.toHaveProperty("period");
  });

  it("makes a withdrawal and a missing decision inactive, denying everything", () => {
    for (const s of [withdrew, undecided]) {
      const consent = consentOf(s);
      expect(consent.status).toBe("inactive");
      expect(consent.provision).toEqual({ type: "deny", ...(s.decision?.decidedAt ? { period: { start: s.decision.decidedAt } } : {}), purpose: [expect.objectContaining({ code: "CLINTRCH" })] });
    }
    expect(consentOf(withdrew).dateTime).toBe("2026-04-01T08:30:00Z");
    expect(consentOf(undecided).policy).toEqual([{ uri: "http://localhost:3000/trials/TL-2026-00001/consent-text" }]);
  });

  it("leaves out nested provisions when the items carry no DUO term (R4 forbids empty arrays)", () => {
    const bare: ConsentItem[] = [{ number: 1, text: "a", ifGranted: [], ifWithheld: [] }];
    const consent = fhirConsent({ ...onStudy, decision: { ...onStudy.decision!, grantedItems: [1] } }, { ...ctx, consentItems: bare });
    expectValidR4(consent, "no terms");
    expect((consent as Resource).provision).not.toHaveProperty("provision");
  });

  it("refuses malformed input rather than export invalid FHIR", () => {
    expect(() => fhirConsent({ ...onStudy, pseudonym: "123" }, ctx)).toThrow(RangeError);
    expect(() => fhirConsent({ ...onStudy, pseudonym: "AB".repeat(32) }, ctx)).toThrow(RangeError);
    expect(() => fhirConsent(onStudy, { ...ctx, consentTextDigest: "ab".repeat(32) })).toThrow(RangeError);
    expect(() => fhirConsent({ ...onStudy, decision: { ...onStudy.decision!, decidedAt: "1 March 2026" } }, ctx)).toThrow(RangeError);
  });
});

describe("fhirResearchSubject", () => {
  it("gives valid R4 referencing the study by registration number, the participant by pseudonym, and the Consent", () => {
    for (const s of subjects) expectValidR4(fhirResearchSubject(s, ctx, s.pseudonym), `ResearchSubject of ${s.pseudonym}`);
    expect(fhirResearchSubject(onStudy, ctx, "c1")).toEqual({
      resourceType: "ResearchSubject",
      id: onStudy.pseudonym,
      status: "on-study",
      study: { type: "ResearchStudy", identifier: { system: REGISTRATION_NUMBER_SYSTEM, value: "TL-2026-00001" } },
      individual: { type: "Patient", identifier: { system: "urn:trialledger:grant:grant-42:pseudonym", value: onStudy.pseudonym } },
      consent: { reference: "Consent/c1" },
    });
    expect(fhirResearchSubject(withdrew, ctx, "c3")).toMatchObject({ status: "withdrawn" });
  });
});

describe("fhirExportLines", () => {
  async function collect(source: AsyncIterable<ExportSubject> | Iterable<ExportSubject>): Promise<string[]> {
    const lines: string[] = [];
    for await (const line of fhirExportLines(source, ctx)) lines.push(line);
    return lines;
  }

  it("streams a Consent then a ResearchSubject per subject, one valid resource per NDJSON line", async () => {
    async function* slowly() {
      for (const s of subjects) yield await Promise.resolve(s);
    }
    const lines = await collect(slowly());
    expect(await collect(subjects)).toEqual(lines);
    expect(lines).toHaveLength(2 * subjects.length);
    const resources = lines.map((line) => {
      expect(line.endsWith("\n")).toBe(true);
      expect(line.slice(0, -1)).not.toContain("\n");
      return JSON.parse(line) as Record<string, unknown> & { id: string; consent?: { reference: string } };
    });
    resources.forEach((r, i) => {
      expectValidR4(r, `line ${i + 1}`);
      expect(r.resourceType).toBe(i % 2 === 0 ? "Consent" : "ResearchSubject");
      expect(r.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
      expect(r.id).toBe(subjects[Math.floor(i / 2)]!.pseudonym);
      if (i % 2 === 1) expect(r.consent?.reference).toBe(`Consent/${resources[i - 1]!.id}`);
    });
  });

  it("identifies each participant by its pseudonym only", async () => {
    const text = (await collect(subjects)).join("");
    // Every 64-hex value, and every identifier, in the file is one of the given pseudonyms (the digest is in the policy's fragment).
    const hexRuns = new Set(text.match(/[0-9a-f]{64}/g));
    expect([...hexRuns].sort()).toEqual([...subjects.map((s) => s.pseudonym), "ab".repeat(32)].sort());
    const identifiers = [...text.matchAll(/"identifier":\{"system":"([^"]+)","value":"([^"]+)"\}/g)].map((m) => [m[1], m[2]]);
    // Consent.patient, ResearchSubject.study and .individual.
    expect(identifiers).toHaveLength(3 * subjects.length);
    for (const [system, value] of identifiers) {
      if (system === REGISTRATION_NUMBER_SYSTEM) expect(value).toBe(ctx.trialNumber);
      else {
        expect(system).toBe(pseudonymSystem(ctx.grantId));
        expect(subjects.map((s) => s.pseudonym)).toContain(value);
      }
    }
    // No other person-identifying element: no names, telecoms, birth dates, addresses, free text of the items.
    for (const word of ["name", "telecom", "birthDate", "address", "Research on other diseases"]) expect(text).not.toContain(word);
  });
});
