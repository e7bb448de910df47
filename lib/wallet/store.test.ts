import { beforeAll, describe, expect, it } from "vitest";
import { createMasterSecret } from "./derive";
import { WalletError } from "./errors";
import { clearSealed, loadSealed, saveSealed, WALLET_STORAGE_KEY } from "./store";
import { MIN_ITERATIONS, newWalletContents, type SealedWallet, sealWallet, type WalletContents } from "./vault";

/** Web Storage's surface, backed by a Map. */
function fakeStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

let wallet: WalletContents;
let sealed: SealedWallet;

beforeAll(async () => {
  wallet = newWalletContents(createMasterSecret(), new Date("2026-11-24T07:00:00.000Z"));
  sealed = await sealWallet(wallet, "a storage passphrase", { iterations: MIN_ITERATIONS });
});

describe("wallet store", () => {
  it("round-trips the sealed wallet under trialledger.wallet.v1, and clears it", () => {
    const storage = fakeStorage();
    expect(loadSealed(storage)).toBeNull();
    saveSealed(storage, sealed);
    expect([...storage.items.keys()]).toEqual(["trialledger.wallet.v1"]);
    expect(WALLET_STORAGE_KEY).toBe("trialledger.wallet.v1");
    expect(loadSealed(storage)).toEqual(sealed);
    clearSealed(storage);
    expect(storage.items.size).toBe(0);
    expect(loadSealed(storage)).toBeNull();
  });

  it("stores only ciphertext, never the master secret", () => {
    const storage = fakeStorage();
    saveSealed(storage, sealed);
    expect(storage.items.get(WALLET_STORAGE_KEY)).not.toContain(wallet.masterSecret);
  });

  it("refuses to store plain contents passed in by mistake", () => {
    const storage = fakeStorage();
    expect(() => saveSealed(storage, wallet as unknown as SealedWallet)).toThrow(TypeError);
    expect(storage.items.size).toBe(0);
  });

  it("throws rather than answering 'no wallet' when what is stored is unreadable", () => {
    const storage = fakeStorage();
    for (const value of ["{not json", JSON.stringify({ hello: "world" })]) {
      storage.items.set(WALLET_STORAGE_KEY, value);
      expect(() => loadSealed(storage)).toThrow(WalletError);
    }
  });

  it("turns a refusal by the browser into a WalletError the UI can show", () => {
    const full = {
      setItem: () => {
        throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      },
    };
    let error: unknown;
    try {
      saveSealed(full, sealed);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(WalletError);
    expect((error as WalletError).code).toBe("STORAGE");
  });
});
