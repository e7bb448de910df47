import { describe, expect, it } from "vitest";
import { signatureInput, signatureMeaning } from "@/lib/registry/signature";

describe("signature meaning", () => {
  it("words a registration and an amendment as the signer sees them", () => {
    expect(signatureMeaning({ kind: "register", title: "  Salt and blood pressure ", orgName: "Northwind" })).toBe(
      "I submit this registration of “Salt and blood pressure” as sponsor on behalf of Northwind.",
    );
    expect(signatureMeaning({ kind: "amend", title: "Salt", orgName: "Northwind", registrationNumber: "TLR-2026-00001", version: 3 })).toBe(
      "I submit this amendment of TLR-2026-00001, “Salt”, as version 3, as sponsor on behalf of Northwind.",
    );
  });

  it("differs for another title, organisation or version, so a signature cannot be moved to another act", () => {
    const base = { kind: "amend", title: "Salt", orgName: "Northwind", registrationNumber: "TLR-2026-00001", version: 2 } as const;
    const meanings = new Set([
      signatureMeaning(base),
      signatureMeaning({ ...base, title: "Sugar" }),
      signatureMeaning({ ...base, orgName: "Southwind" }),
      signatureMeaning({ ...base, version: 3 }),
      signatureMeaning({ kind: "register", title: "Salt", orgName: "Northwind" }),
    ]);
    expect(meanings.size).toBe(5);
  });

  it("requires the password and the meaning, and nothing else", () => {
    expect(signatureInput.safeParse({ password: "x", meaning: "m" }).success).toBe(true);
    expect(signatureInput.safeParse({ password: "", meaning: "m" }).success).toBe(false);
    expect(signatureInput.safeParse({ password: "x" }).success).toBe(false);
    expect(signatureInput.safeParse({ password: "x", meaning: "m", method: "other" }).success).toBe(false);
  });
});
