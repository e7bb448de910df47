import { describe, expect, it } from "vitest";
import { MODIFIER_CODES, PERMISSION_CODES } from "@/lib/duo/conditions";
import { DUO_TERMS, termById } from "@/lib/duo/terms";
import { DUO_IDS, DUO_TERMS as CONSENT_TERMS } from "@/lib/consent/duo";

describe("DUO terms", () => {
  it("has a term of the right kind for every permission and modifier a release may state", () => {
    for (const code of PERMISSION_CODES) expect(DUO_TERMS[code].kind, code).toBe("permission");
    for (const code of MODIFIER_CODES) expect(DUO_TERMS[code].kind, code).toBe("modifier");
  });

  it("keeps the ids of DUO release 2021-02-23 (STANDARDS.md §1.1)", () => {
    const ids = Object.fromEntries(Object.values(DUO_TERMS).map((t) => [t.code, t.id]));
    expect(ids).toEqual({
      GRU: "DUO:0000042", HMB: "DUO:0000006", DS: "DUO:0000007", POA: "DUO:0000011", NRES: "DUO:0000004",
      NPU: "DUO:0000045", NCU: "DUO:0000046", NPUNCU: "DUO:0000018", IRB: "DUO:0000021", PUB: "DUO:0000019", COL: "DUO:0000020",
      RTN: "DUO:0000029", TS: "DUO:0000025", GS: "DUO:0000022", MOR: "DUO:0000024", US: "DUO:0000026", PS: "DUO:0000027",
      IS: "DUO:0000028", NPOA: "DUO:0000044", NMDS: "DUO:0000015", GSO: "DUO:0000016", CC: "DUO:0000043", RS: "DUO:0000012",
    });
    expect(new Set(Object.values(ids)).size).toBe(Object.keys(ids).length);
    for (const [code, term] of Object.entries(DUO_TERMS)) expect(term.code).toBe(code);
    expect(termById("DUO:0000007")?.code).toBe("DS");
    expect(termById("DUO:0000014")).toBeUndefined(); // RU, obsolete
  });

  it("is the source of the consent items' terms", () => {
    expect(DUO_IDS).toHaveLength(23);
    for (const id of DUO_IDS) expect(CONSENT_TERMS[id].label).toBe(termById(id)?.label);
    expect(CONSENT_TERMS["DUO:0000043"].kind).toBe("modifier"); // CC is a modifier in DUO
  });
});
