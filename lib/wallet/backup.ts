import { WalletError } from "./errors";
import { parseSealed, type SealedWallet } from "./vault";

/**
 * The backup file: the sealed wallet as pretty-printed JSON. It holds only ciphertext, so it can be
 * mailed to oneself or kept in a cloud drive (see vault.ts for what that does and does not expose).
 */

/**
 * A real backup is a few kilobytes (a 1 000-trial wallet stays well under this). Anything bigger is
 * not ours, and is refused before JSON.parse so a huge file cannot stall the page. UIs should also
 * check `File.size` against this before reading the file into memory.
 */
export const MAX_BACKUP_BYTES = 1024 * 1024;

const NOT_A_BACKUP = "This is not a TrialLedger wallet backup";

/**
 * `trialledger-wallet-YYYY-MM-DD.json`, in the device's local date (the date the participant sees on
 * their calendar). It names no trial: the file name is visible to whoever sees the folder.
 */
export function backupFileName(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `trialledger-wallet-${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}.json`;
}

export function serializeBackup(sealed: SealedWallet): string {
  return `${JSON.stringify(sealed, null, 2)}\n`;
}

/**
 * The sealed wallet in a backup file's text, checked but not decrypted (pass it to openWallet).
 * Throws WalletError: NOT_A_WALLET for text over MAX_BACKUP_BYTES, text that is not JSON or JSON that
 * is not a sealed wallet; UNSUPPORTED_VERSION and UNSAFE_SETTINGS as parseSealed does.
 */
export function parseBackup(text: string): SealedWallet {
  // UTF-16 length ≤ UTF-8 byte length, so a string longer than the cap in code units is over it in bytes too.
  if (text.length > MAX_BACKUP_BYTES) throw new WalletError("NOT_A_WALLET", NOT_A_BACKUP);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new WalletError("NOT_A_WALLET", NOT_A_BACKUP, { cause: error });
  }
  return parseSealed(value);
}
