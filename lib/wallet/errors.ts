/**
 * What can go wrong with the participant's wallet, as a closed set the UI can branch on
 * (offer "try again", "choose another file" or "restore from the recovery phrase").
 */
export const WALLET_ERROR_CODES = [
  "NOT_A_WALLET",
  "UNSUPPORTED_VERSION",
  "UNSAFE_SETTINGS",
  "WRONG_PASSPHRASE",
  "DAMAGED",
  "WEAK_PASSPHRASE",
  "BAD_PHRASE",
  "STORAGE",
  "UNSUPPORTED_BROWSER",
] as const;

export type WalletErrorCode = (typeof WALLET_ERROR_CODES)[number];

/**
 * An error whose message is written for the participant and is safe to show as is: it never
 * contains the passphrase, a recovery word or key material. Programming mistakes (a master secret
 * of the wrong length, a malformed registry address) are thrown as TypeError/RangeError instead.
 */
export class WalletError extends Error {
  override name = "WalletError";
  readonly code: WalletErrorCode;

  constructor(code: WalletErrorCode, message: string, opts: { cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.code = code;
  }
}
