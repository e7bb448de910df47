import { afterEach, describe, expect, it, vi } from "vitest";
import { createMasterSecret } from "./derive";
import { WalletError } from "./errors";
import {
  DEFAULT_ITERATIONS,
  MAX_ITERATIONS,
  MIN_ITERATIONS,
  masterSecretOf,
  newWalletContents,
  openWallet,
  passphraseProblem,
  type SealedWallet,
  sealWallet,
  type WalletContents,
} from "./vault";

// The lowest count the vault accepts: ≈ 35 ms a derivation, so no test-only escape hatch is needed.
const FAST = { iterations: MIN_ITERATIONS };
const PASSPHRASE = "correct horse battery staple";

function contents(): WalletContents {
  const wallet = newWalletContents(createMasterSecret(), new Date("2026-11-24T07:00:00.000Z"));
  wallet.trials.push({
    registrationNumber: "TL-2026-000042",
    chainTrialId: `0x${"ab".repeat(32)}`,
    title: "Étude de phase II — ångström ✓",
    addedAt: "2026-11-24T07:05:00.000Z",
  });
  return wallet;
}

async function rejection(promise: Promise<unknown>): Promise<WalletError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WalletError) return error;
    throw error;
  }
  throw new Error("expected a WalletError");
}

const bytes = (base64url: string) => new Uint8Array(Buffer.from(base64url, "base64url"));
const text = (data: Uint8Array) => Buffer.from(data).toString("base64url");

/** The format as documented, built from WebCrypto directly rather than through vault.ts. */
async function specKey(passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number) {
  const material = await crypto.subtle.importKey("raw", new TextEncoder().encode(passphrase), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, material, 256);
  return crypto.subtle.importKey("raw", bits, "AES-GCM", false, ["encrypt", "decrypt"]);
}
const AAD = new TextEncoder().encode("trialledger-wallet v1");

afterEach(() => {
  vi.restoreAllMocks();
});

describe("sealWallet / openWallet", () => {
  it("round-trips the contents through JSON and back", async () => {
    const wallet = contents();
    const sealed = await sealWallet(wallet, PASSPHRASE, FAST);
    const stored = JSON.parse(JSON.stringify(sealed)) as unknown;
    await expect(openWallet(stored, PASSPHRASE)).resolves.toEqual(wallet);
    expect(JSON.stringify(sealed)).not.toContain(wallet.masterSecret);
    expect(JSON.stringify(sealed)).not.toContain("TL-2026-000042");
  });

  it("writes the documented envelope: PBKDF2-SHA-256 → AES-GCM-256, 16-byte salt, 12-byte IV, format and version as additional data", async () => {
    const wallet = contents();
    const sealed = await sealWallet(wallet, PASSPHRASE, FAST);
    expect(sealed).toMatchObject({
      format: "trialledger-wallet",
      version: 1,
      kdf: { name: "PBKDF2", hash: "SHA-256", iterations: MIN_ITERATIONS },
      cipher: { name: "AES-GCM" },
    });
    const salt = bytes(sealed.kdf.salt);
    const iv = bytes(sealed.cipher.iv);
    expect(salt).toHaveLength(16);
    expect(iv).toHaveLength(12);
    const key = await specKey(PASSPHRASE, salt, sealed.kdf.iterations);
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: AAD }, key, bytes(sealed.ciphertext));
    expect(JSON.parse(new TextDecoder().decode(plain))).toEqual(wallet);
    // Without the additional data the tag does not verify: the format and version are bound in.
    await expect(crypto.subtle.decrypt({ name: "AES-GCM", iv }, key, bytes(sealed.ciphertext))).rejects.toThrow();
  });

  it("uses a fresh salt and IV for every seal", async () => {
    const wallet = contents();
    const [a, b] = await Promise.all([sealWallet(wallet, PASSPHRASE, FAST), sealWallet(wallet, PASSPHRASE, FAST)]);
    expect(a.kdf.salt).not.toBe(b.kdf.salt);
    expect(a.cipher.iv).not.toBe(b.cipher.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it("defaults to 600 000 iterations and opens what it wrote", async () => {
    expect(DEFAULT_ITERATIONS).toBe(600_000);
    const wallet = contents();
    const sealed = await sealWallet(wallet, PASSPHRASE);
    expect(sealed.kdf.iterations).toBe(600_000);
    await expect(openWallet(sealed, PASSPHRASE)).resolves.toEqual(wallet);
  });

  it("refuses the wrong passphrase with the plain message", async () => {
    const sealed = await sealWallet(contents(), PASSPHRASE, FAST);
    const error = await rejection(openWallet(sealed, "correct horse battery stapler"));
    expect(error.code).toBe("WRONG_PASSPHRASE");
    expect(error.message).toBe("Wrong passphrase, or the file is damaged");
  });

  it("refuses a file with any altered byte of ciphertext, IV or salt", async () => {
    const sealed = await sealWallet(contents(), PASSPHRASE, FAST);
    const flip = (field: string) => {
      const data = bytes(field);
      const middle = Math.floor(data.length / 2);
      data[middle] = (data[middle] ?? 0) ^ 0x01;
      return text(data);
    };
    const tampered: SealedWallet[] = [
      { ...sealed, ciphertext: flip(sealed.ciphertext) },
      { ...sealed, cipher: { ...sealed.cipher, iv: flip(sealed.cipher.iv) } },
      { ...sealed, kdf: { ...sealed.kdf, salt: flip(sealed.kdf.salt) } },
    ];
    for (const file of tampered) {
      expect((await rejection(openWallet(file, PASSPHRASE))).code).toBe("WRONG_PASSPHRASE");
    }
    // A truncated ciphertext (tag cut off) is refused the same way.
    const truncated = { ...sealed, ciphertext: sealed.ciphertext.slice(0, -4) };
    expect((await rejection(openWallet(truncated, PASSPHRASE))).code).toBe("WRONG_PASSPHRASE");
  });

  it("refuses a tampered iteration count outside the bounds before deriving anything", async () => {
    expect([MIN_ITERATIONS, MAX_ITERATIONS]).toEqual([100_000, 10_000_000]);
    const sealed = await sealWallet(contents(), PASSPHRASE, FAST);
    const importKey = vi.spyOn(crypto.subtle, "importKey");
    const deriveKey = vi.spyOn(crypto.subtle, "deriveKey");
    for (const iterations of [MIN_ITERATIONS - 1, 1, MAX_ITERATIONS + 1, 2 ** 31]) {
      const error = await rejection(openWallet({ ...sealed, kdf: { ...sealed.kdf, iterations } }, PASSPHRASE));
      expect(error.code).toBe("UNSAFE_SETTINGS");
    }
    expect(importKey).not.toHaveBeenCalled();
    expect(deriveKey).not.toHaveBeenCalled();
  });

  it("treats an iteration count changed within the bounds as a damaged file", async () => {
    const sealed = await sealWallet(contents(), PASSPHRASE, FAST);
    const error = await rejection(openWallet({ ...sealed, kdf: { ...sealed.kdf, iterations: MIN_ITERATIONS + 1 } }, PASSPHRASE));
    expect(error.code).toBe("WRONG_PASSPHRASE");
  });

  it("refuses anything that is not a sealed wallet", async () => {
    const sealed = await sealWallet(contents(), PASSPHRASE, FAST);
    const others: unknown[] = [
      null,
      "trialledger-wallet",
      [],
      {},
      { ...sealed, format: "other-wallet" },
      { ...sealed, extra: true },
      { ...sealed, kdf: { ...sealed.kdf, hash: "SHA-1" } },
      { ...sealed, kdf: { ...sealed.kdf, iterations: 600_000.5 } },
      { ...sealed, cipher: { ...sealed.cipher, iv: `${sealed.cipher.iv}AA` } },
      { ...sealed, ciphertext: `${sealed.ciphertext}=` },
      { ...sealed, ciphertext: "A".repeat(41) }, // 4k+1 characters: not base64 of anything
      contents(),
    ];
    for (const value of others) {
      const error = await rejection(openWallet(value, PASSPHRASE));
      expect(error.code).toBe("NOT_A_WALLET");
      expect(error.message).toBe("This is not a TrialLedger wallet backup");
    }
  });

  it("says when a wallet comes from a newer version", async () => {
    const sealed = await sealWallet(contents(), PASSPHRASE, FAST);
    expect((await rejection(openWallet({ ...sealed, version: 2 }, PASSPHRASE))).code).toBe("UNSUPPORTED_VERSION");
  });

  it("reports contents that decrypt but are not a wallet as damaged", async () => {
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const key = await specKey(PASSPHRASE, salt, MIN_ITERATIONS);
    const encrypt = async (plain: string) =>
      text(new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: AAD }, key, new TextEncoder().encode(plain))));
    const envelope = (ciphertext: string) => ({
      format: "trialledger-wallet",
      version: 1,
      kdf: { name: "PBKDF2", hash: "SHA-256", iterations: MIN_ITERATIONS, salt: text(salt) },
      cipher: { name: "AES-GCM", iv: text(iv) },
      ciphertext,
    });
    const wallet = contents();
    // The hand-built envelope is right: real contents open.
    await expect(openWallet(envelope(await encrypt(JSON.stringify(wallet))), PASSPHRASE)).resolves.toEqual(wallet);
    for (const plain of ['{"hello":"world"}', "not json", JSON.stringify({ ...wallet, masterSecret: "00" })]) {
      expect((await rejection(openWallet(envelope(await encrypt(plain)), PASSPHRASE))).code).toBe("DAMAGED");
    }
  });

  it("unlocks with the same passphrase typed in either Unicode form", async () => {
    const composed = "café au lait, s'il vous plaît";
    const decomposed = composed.normalize("NFD");
    expect(decomposed).not.toBe(composed);
    const wallet = contents();
    const sealed = await sealWallet(wallet, composed, FAST);
    await expect(openWallet(sealed, decomposed)).resolves.toEqual(wallet);
  });

  it("will not seal under a weak passphrase, a bad iteration count or malformed contents", async () => {
    const error = await rejection(sealWallet(contents(), "short", FAST));
    expect(error.code).toBe("WEAK_PASSPHRASE");
    expect(error.message).toBe(passphraseProblem("short"));
    await expect(sealWallet(contents(), PASSPHRASE, { iterations: 1_000 })).rejects.toThrow(RangeError);
    await expect(sealWallet(contents(), PASSPHRASE, { iterations: MAX_ITERATIONS + 1 })).rejects.toThrow(RangeError);
    await expect(sealWallet({ ...contents(), masterSecret: "not hex" }, PASSPHRASE, FAST)).rejects.toThrow(TypeError);
  });
});

describe("passphraseProblem", () => {
  it("asks for at least 10 characters, counted as people count them", () => {
    expect(passphraseProblem("")).toMatch(/at least 10 characters/);
    expect(passphraseProblem("123456789")).toMatch(/at least 10 characters \(this one has 9\)/);
    expect(passphraseProblem("1234567890")).toBeNull();
    // Five emoji are ten UTF-16 units but five characters.
    expect(passphraseProblem("🔑".repeat(5))).toMatch(/this one has 5/);
    expect(passphraseProblem("🔑".repeat(10))).toBeNull();
  });

  it("refuses spaces at either end, which are easy to forget", () => {
    expect(passphraseProblem(" long enough passphrase")).toMatch(/space/);
    expect(passphraseProblem("long enough passphrase ")).toMatch(/space/);
    expect(passphraseProblem(" ".repeat(12))).toMatch(/space/);
    expect(passphraseProblem("spaces inside are fine")).toBeNull();
  });
});

describe("newWalletContents / masterSecretOf", () => {
  it("stores the master secret as hex and gives the same bytes back", () => {
    const master = createMasterSecret();
    const wallet = newWalletContents(master, new Date("2026-01-02T03:04:05.000Z"));
    expect(wallet).toEqual({ masterSecret: Buffer.from(master).toString("hex"), createdAt: "2026-01-02T03:04:05.000Z", trials: [] });
    expect(masterSecretOf(wallet)).toEqual(master);
    expect(() => newWalletContents(new Uint8Array(31), new Date())).toThrow(RangeError);
  });
});
