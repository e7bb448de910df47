import { beforeAll, describe, expect, it } from "vitest";
import { backupFileName, MAX_BACKUP_BYTES, parseBackup, serializeBackup } from "./backup";
import { createMasterSecret } from "./derive";
import { WalletError } from "./errors";
import { MIN_ITERATIONS, newWalletContents, openWallet, type SealedWallet, sealWallet, type WalletContents } from "./vault";
import { thrownBy } from "@/scripts/test/support";

const PASSPHRASE = "a backup passphrase";
let wallet: WalletContents;
let sealed: SealedWallet;

beforeAll(async () => {
  wallet = newWalletContents(createMasterSecret(), new Date("2026-11-24T07:00:00.000Z"));
  sealed = await sealWallet(wallet, PASSPHRASE, { iterations: MIN_ITERATIONS });
});

describe("backupFileName", () => {
  it("is dated with the device's local calendar date, zero-padded", () => {
    expect(backupFileName(new Date(2026, 10, 24, 23, 59))).toBe("trialledger-wallet-2026-11-24.json");
    expect(backupFileName(new Date(2027, 0, 5, 0, 1))).toBe("trialledger-wallet-2027-01-05.json");
  });
});

describe("serializeBackup / parseBackup", () => {
  it("round-trips a sealed wallet as readable JSON that still opens", async () => {
    const text = serializeBackup(sealed);
    expect(text).toContain('\n  "format": "trialledger-wallet",\n');
    const parsed = parseBackup(text);
    expect(parsed).toEqual(sealed);
    await expect(openWallet(parsed, PASSPHRASE)).resolves.toEqual(wallet);
  });

  it("refuses garbage and other JSON with the plain message", () => {
    for (const text of ["", "not json", "{", "null", "42", "[]", "{}", '{"format":"trialledger-wallet"}', JSON.stringify(wallet)]) {
      const error = thrownBy(WalletError, () => parseBackup(text));
      expect(error.code).toBe("NOT_A_WALLET");
      expect(error.message).toBe("This is not a TrialLedger wallet backup");
    }
  });

  it("refuses more than 1 MiB before parsing, even if it would be a valid backup", () => {
    expect(MAX_BACKUP_BYTES).toBe(1024 * 1024);
    const text = serializeBackup(sealed);
    // Trailing whitespace is valid JSON: only the size rule can refuse these.
    const atLimit = text.padEnd(MAX_BACKUP_BYTES, " ");
    expect(parseBackup(atLimit)).toEqual(sealed);
    const error = thrownBy(WalletError, () => parseBackup(`${atLimit} `));
    expect(error.code).toBe("NOT_A_WALLET");
    expect(error.message).toBe("This is not a TrialLedger wallet backup");
  });

  it("passes on the vault's refusal of a tampered iteration count", () => {
    const text = serializeBackup({ ...sealed, kdf: { ...sealed.kdf, iterations: 10 } });
    expect(thrownBy(WalletError, () => parseBackup(text)).code).toBe("UNSAFE_SETTINGS");
  });
});
