import { WalletError } from "./errors";
import { parseSealed, type SealedWallet, sealedWalletSchema } from "./vault";

/**
 * The device's copy of the wallet, in Web Storage (localStorage in practice). Only the sealed form is
 * ever written: saveSealed re-checks the envelope, so plain contents passed by mistake (an `as` cast,
 * a JavaScript caller) are refused with a TypeError rather than stored. The Storage is a parameter so tests can pass a Map-backed fake and so the
 * library does not touch `window` (absent in Web Workers).
 */

export const WALLET_STORAGE_KEY = "trialledger.wallet.v1";

/**
 * The stored sealed wallet, or null when none is stored. Throws WalletError when something is stored
 * but is not a wallet this version can open: the UI should offer a restore, not silently start over
 * (a new wallet would overwrite the only copy of the participant's identities).
 */
export function loadSealed(storage: Pick<Storage, "getItem">): SealedWallet | null {
  const text = storage.getItem(WALLET_STORAGE_KEY);
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new WalletError("NOT_A_WALLET", "The wallet saved in this browser is damaged. Restore it from a backup or your recovery phrase.", {
      cause: error,
    });
  }
  return parseSealed(value);
}

/**
 * Replaces the stored wallet. Throws WalletError (STORAGE) when the browser refuses to store it
 * (storage full, disabled, or a private window that forbids it): the participant should then
 * download a backup before leaving the page.
 */
export function saveSealed(storage: Pick<Storage, "setItem">, sealed: SealedWallet): void {
  const checked = sealedWalletSchema.safeParse(sealed);
  if (!checked.success) throw new TypeError("saveSealed stores sealed wallets only", { cause: checked.error });
  try {
    storage.setItem(WALLET_STORAGE_KEY, JSON.stringify(checked.data));
  } catch (error) {
    throw new WalletError(
      "STORAGE",
      "This browser would not save your wallet (its storage may be full or turned off). Download a backup file before you leave this page.",
      { cause: error },
    );
  }
}

export function clearSealed(storage: Pick<Storage, "removeItem">): void {
  storage.removeItem(WALLET_STORAGE_KEY);
}
