import { describe, expect, it } from "vitest";
import { challengeMessage, consentScope, grantedItems, grantsMask, packConsentMessage, unpackConsentMessage } from "@/lib/consent/message";
import { codeFromFragment, enrolmentCodesCsv, enrolmentLink, formatEnrolmentCode, normaliseEnrolmentCode } from "@/lib/consent/schema";

describe("the consent message", () => {
  it("packs grants, text version and sequence into one uint256 and back", () => {
    const message = { grants: (1n << 63n) | 0b101n, textVersion: 7, sequence: 123_456_789n };
    const packed = packConsentMessage(message);
    expect(packed >> 160n).toBe(0n);
    expect(unpackConsentMessage(packed)).toEqual(message);
    expect(packed & ((1n << 64n) - 1n)).toBe(message.grants); // the contract reads the low 64 bits as grants
    expect((packed >> 64n) & 0xffffffffn).toBe(7n);
    expect(packed >> 96n).toBe(123_456_789n);
  });

  it("refuses fields that do not fit, and zero versions or sequences", () => {
    expect(() => packConsentMessage({ grants: 1n << 64n, textVersion: 1, sequence: 1n })).toThrow(RangeError);
    expect(() => packConsentMessage({ grants: 0n, textVersion: 0, sequence: 1n })).toThrow(RangeError);
    expect(() => packConsentMessage({ grants: 0n, textVersion: 1, sequence: 0n })).toThrow(RangeError);
    expect(() => packConsentMessage({ grants: 0n, textVersion: 1, sequence: 1n << 64n })).toThrow(RangeError);
    expect(unpackConsentMessage(1n << 160n)).toBeNull();
    expect(unpackConsentMessage(1n)).toBeNull(); // version 0, sequence 0
  });

  it("a handover challenge can never be read as a consent decision", () => {
    const message = challengeMessage("0123456789abcdef0123456789abcdef");
    expect(message >> 255n).toBe(1n);
    expect(unpackConsentMessage(message)).toBeNull();
    expect(() => challengeMessage("XYZ")).toThrow(RangeError);
  });

  it("turns item numbers into a mask and back", () => {
    expect(grantsMask([0, 2, 63])).toBe((1n << 63n) | 0b101n);
    expect(grantedItems((1n << 63n) | 0b101n)).toEqual([0, 2, 63]);
    expect(() => grantsMask([64])).toThrow(RangeError);
  });

  it("binds the scope to the chain, the contract and the trial", () => {
    const base = { chainId: 31337, consentRegistry: "0x5FbDB2315678afecb367f032d93F642f64180aa3", chainTrialId: `0x${"11".repeat(32)}` };
    const scope = consentScope(base);
    expect(consentScope({ ...base, chainId: 1 })).not.toBe(scope);
    expect(consentScope({ ...base, consentRegistry: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" })).not.toBe(scope);
    expect(consentScope({ ...base, chainTrialId: `0x${"12".repeat(32)}` })).not.toBe(scope);
    expect(consentScope(base)).toBe(scope);
  });
});

describe("enrolment codes as typed", () => {
  it("ignore case, spaces and dashes, and read I/L as 1 and O as 0", () => {
    expect(normaliseEnrolmentCode("abcd-efgh jkmn-pqrs-tvwx")).toBe("ABCDEFGHJKMNPQRSTVWX");
    expect(normaliseEnrolmentCode("ILO0-0000-0000-0000-0000")).toBe("11000000000000000000");
    expect(normaliseEnrolmentCode("ABCD-EFGH-JKMN-PQRS-TVW")).toBeNull(); // 19 characters
    expect(normaliseEnrolmentCode("ABCD-EFGH-JKMN-PQRS-TVWU")).toBeNull(); // U is not Crockford
    expect(formatEnrolmentCode("ABCDEFGHJKMNPQRSTVWX")).toBe("ABCD-EFGH-JKMN-PQRS-TVWX");
  });
});

describe("enrolment links and the sponsor's CSV", () => {
  it("carry the code in the fragment, and read it back", () => {
    const link = enrolmentLink("https://portal.example", "ABCDEFGHJKMNPQRSTVWX");
    expect(link).toBe("https://portal.example/participate/enrol#code=ABCDEFGHJKMNPQRSTVWX");
    expect(codeFromFragment(new URL(link).hash)).toBe("ABCDEFGHJKMNPQRSTVWX");
    expect(codeFromFragment("#other=1&code=ABCD-EFGH")).toBe("ABCD-EFGH");
    expect(codeFromFragment("#barcode=XYZ")).toBeNull();
    expect(codeFromFragment("")).toBeNull();
  });

  it("is RFC 4180 CSV, quoting what needs it", () => {
    const csv = enrolmentCodesCsv("TLR-2026-00001", [{ formatted: "ABCD-EFGH", url: "https://p.example/participate/enrol#code=A,B" }]);
    expect(csv).toBe('registration_number,code,enrol_url\r\nTLR-2026-00001,ABCD-EFGH,"https://p.example/participate/enrol#code=A,B"\r\n');
  });
});
