import { hmac } from "@noble/hashes/hmac";
import { sha256 } from "@noble/hashes/sha256";
import { bytesToHex, concatBytes, utf8ToBytes } from "@noble/hashes/utils";
import { Identity } from "@semaphore-protocol/core";
import { describe, expect, it } from "vitest";
import { createMasterSecret, masterFromPhrase, recoveryPhrase, type TrialDeployment, trialIdentity } from "./derive";
import { WalletError } from "./errors";
import { thrownBy } from "@/scripts/test/support";

const master = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const trial: TrialDeployment = {
  chainId: 31337,
  consentRegistry: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  chainTrialId: `0x${"ab".repeat(32)}`,
};

describe("createMasterSecret", () => {
  it("returns 32 fresh random bytes each time", () => {
    const a = createMasterSecret();
    const b = createMasterSecret();
    expect(a).toBeInstanceOf(Uint8Array);
    expect(a).toHaveLength(32);
    expect(bytesToHex(a)).not.toBe(bytesToHex(b));
    expect(a.some((byte) => byte !== 0)).toBe(true);
  });
});

describe("recovery phrase", () => {
  it("encodes BIP-39 (the reference vectors for 256-bit entropy)", () => {
    expect(recoveryPhrase(new Uint8Array(32))).toBe(`${"abandon ".repeat(23)}art`);
    expect(recoveryPhrase(new Uint8Array(32).fill(0x7f))).toBe(
      "legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth useful legal winner thank year wave sausage worth title",
    );
  });

  it("round-trips any master secret through 24 words", () => {
    const secret = createMasterSecret();
    const phrase = recoveryPhrase(secret);
    expect(phrase.split(" ")).toHaveLength(24);
    expect(masterFromPhrase(phrase)).toEqual(secret);
  });

  it("ignores case and extra whitespace", () => {
    const messy = `  ${"ABANDON \n\t".repeat(23)}  Art \n`;
    expect(masterFromPhrase(messy)).toEqual(new Uint8Array(32));
  });

  it("refuses a wrong word count, saying how many words it found", () => {
    const error = thrownBy(WalletError, () => masterFromPhrase("abandon ".repeat(23)));
    expect(error.code).toBe("BAD_PHRASE");
    expect(error.message).toBe("A recovery phrase has 24 words; this one has 23.");
    expect(thrownBy(WalletError, () => masterFromPhrase(`${"abandon ".repeat(11)}about`)).message).toContain("this one has 12");
    expect(thrownBy(WalletError, () => masterFromPhrase("   ")).message).toContain("this one has 0");
  });

  it("refuses a failed checksum with the plain message", () => {
    // Every word is valid, but the last one no longer matches the checksum.
    const error = thrownBy(WalletError, () => masterFromPhrase(`${"abandon ".repeat(23)}abandon`));
    expect(error.code).toBe("BAD_PHRASE");
    expect(error.message).toBe("One of the words is wrong or missing — check the phrase against your copy");
  });

  it("names the position of a word that is not in the list, never the word itself", () => {
    const words = recoveryPhrase(master).split(" ");
    words[6] = "zzyzx";
    const error = thrownBy(WalletError, () => masterFromPhrase(words.join(" ")));
    expect(error.code).toBe("BAD_PHRASE");
    expect(error.message).toContain("Word 7");
    expect(error.message).not.toContain("zzyzx");
  });
});

describe("trialIdentity", () => {
  it("is HMAC-SHA256(master, length-prefixed domain | chainId | lowercase registry | trial id)", () => {
    const field = (text: string) => {
      const bytes = utf8ToBytes(text);
      return concatBytes(new Uint8Array([0, 0, 0, bytes.length]), bytes);
    };
    const input = concatBytes(
      field("TrialLedger participant identity v1"),
      field("31337"),
      field(trial.consentRegistry.toLowerCase()),
      field(trial.chainTrialId),
    );
    const expected = new Identity(hmac(sha256, master, input));
    expect(trialIdentity(master, trial).commitment).toBe(expected.commitment);
  });

  it("never changes for the same inputs (restoring on another device must find the same identity)", () => {
    // Pinned (not a snapshot, so `vitest -u` cannot wave it through): a change to the derivation, or
    // to Semaphore's key → commitment mapping, would orphan every existing participant's identities.
    expect(trialIdentity(master, trial).commitment.toString(16)).toBe("215106324a64edcd8b9e8857ed73a5f38be5cc082c9191c4cf78ccc3eb96dc99");
  });

  it("gives the same identity on any device restored from the phrase, whatever the input spelling", () => {
    const original = trialIdentity(master, trial);
    const restored = trialIdentity(masterFromPhrase(recoveryPhrase(master)), {
      chainId: 31337n,
      consentRegistry: trial.consentRegistry.toUpperCase().replace("0X", "0x"),
      chainTrialId: trial.chainTrialId.toUpperCase().replace("0X", "0x"),
    });
    expect(restored.commitment).toBe(original.commitment);
    expect(restored.secretScalar).toBe(original.secretScalar);
    expect(Identity.import(restored.export()).commitment).toBe(original.commitment);
  });

  it("gives unrelated identities for another trial, registry, chain or master secret", () => {
    const commitments = [
      trialIdentity(master, trial),
      trialIdentity(master, { ...trial, chainTrialId: `0x${"cd".repeat(32)}` }),
      trialIdentity(master, { ...trial, consentRegistry: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" }),
      trialIdentity(master, { ...trial, chainId: 11155111 }),
      trialIdentity(createMasterSecret(), trial),
    ].map((identity) => identity.commitment);
    expect(new Set(commitments).size).toBe(commitments.length);
  });

  it("refuses malformed deployments instead of deriving from them", () => {
    expect(() => trialIdentity(master, { ...trial, consentRegistry: "0x1234" })).toThrow(RangeError);
    expect(() => trialIdentity(master, { ...trial, chainTrialId: "7" })).toThrow(RangeError);
    expect(() => trialIdentity(master, { ...trial, chainId: 0 })).toThrow(RangeError);
    expect(() => trialIdentity(master.slice(0, 16), trial)).toThrow(RangeError);
  });
});
