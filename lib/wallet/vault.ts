import { bytesToHex, hexToBytes } from "@noble/hashes/utils";
import { z } from "zod";
import { MASTER_SECRET_BYTES } from "./derive";
import { WalletError } from "./errors";

/*
 * The wallet at rest: the participant's master secret and trial list, encrypted with a key derived
 * from their passphrase, using WebCrypto only (PBKDF2-SHA-256 → AES-GCM-256).
 *
 * Threat model.
 * - Protected: the wallet as stored — the browser's storage on a lost, stolen or shared device, or
 *   read by another person using the same browser profile, and a backup file sitting in a mailbox,
 *   a cloud drive or a USB stick. Without the passphrase (or the recovery phrase) such a copy reveals
 *   neither the master secret nor which trials the participant joined, and AES-GCM's tag means a
 *   modified file is refused rather than half-read.
 * - Not protected: malware or a malicious browser extension on the device while the wallet is
 *   unlocked (the secret is in memory then), anyone who watches the passphrase being typed, and a weak
 *   passphrase: whoever copies the file can guess offline at their own pace. PBKDF2's iteration count
 *   only makes each guess slower, which is why passphrases have a minimum length and why
 *   iterations default to 600 000.
 * - Losing both the passphrase and the recovery phrase loses the master secret: nobody, TrialLedger
 *   included, can recover it. The participant can then no longer change or withdraw the consent they
 *   gave under that pseudonym (only the holder of the secret can make a proof with its nullifier).
 *   Their sponsor can re-enrol them with a new enrolment code, which makes a new identity and so a new
 *   pseudonym; the old pseudonym's last decision stays as it was.
 */

export const WALLET_FORMAT = "trialledger-wallet";
export const WALLET_VERSION = 1;

/**
 * OWASP Password Storage Cheat Sheet (2023): 600 000 iterations for PBKDF2-HMAC-SHA256. About
 * 0.1–0.5 s on a phone or laptop, paid once per unlock.
 */
export const DEFAULT_ITERATIONS = 600_000;
/**
 * Bounds on the iteration count we write and accept. A file is plain JSON and can be edited: below
 * 100 000 a tampered (or badly written) file would make offline guessing cheap, above 10 000 000
 * (≈ 2–8 s on a laptop, much more on an old phone) it would freeze the page for no security gain.
 */
export const MIN_ITERATIONS = 100_000;
export const MAX_ITERATIONS = 10_000_000;

export const MIN_PASSPHRASE_CHARS = 10;

const SALT_BYTES = 16;
const IV_BYTES = 12; // the size AES-GCM is specified for (NIST SP 800-38D); other sizes are hashed down.
const TAG_BYTES = 16;
/** A wallet of 1 000 trials seals to well under 1 MiB; backup.ts refuses bigger files before parsing. */
const MAX_CIPHERTEXT_CHARS = 1024 * 1024;

export type WalletTrial = { registrationNumber: string; chainTrialId: string; title: string; addedAt: string };
export type WalletContents = { masterSecret: string /* 64 lowercase hex digits */; createdAt: string; trials: WalletTrial[] };

export type SealedWallet = {
  format: typeof WALLET_FORMAT;
  version: typeof WALLET_VERSION;
  kdf: { name: "PBKDF2"; hash: "SHA-256"; iterations: number; salt: string };
  cipher: { name: "AES-GCM"; iv: string };
  ciphertext: string;
};

const walletTrialSchema = z.object({
  // A WHO registration number is short; 64 leaves room for any primary registry's scheme.
  registrationNumber: z.string().min(1).max(64),
  chainTrialId: z.string().regex(/^0x[0-9a-fA-F]{64}$/, "a bytes32 hex string"),
  title: z.string().max(2000),
  addedAt: z.iso.datetime(),
}) satisfies z.ZodType<WalletTrial>;

/** The decrypted contents. Unknown keys are dropped; a change of meaning gets a new WALLET_VERSION. */
export const walletContentsSchema = z.object({
  masterSecret: z.string().regex(new RegExp(`^[0-9a-f]{${MASTER_SECRET_BYTES * 2}}$`), "64 lowercase hex digits"),
  createdAt: z.iso.datetime(),
  // A participant is in a handful of trials; the cap keeps the sealed file far below backup.ts's 1 MiB.
  trials: z.array(walletTrialSchema).max(1000),
}) satisfies z.ZodType<WalletContents>;

const base64urlOf = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, "base64url")
    .length(Math.ceil((bytes * 4) / 3));

/** The envelope. Strict: a file with anything else in it was not written by this code. */
export const sealedWalletSchema = z.strictObject({
  format: z.literal(WALLET_FORMAT),
  version: z.literal(WALLET_VERSION),
  kdf: z.strictObject({ name: z.literal("PBKDF2"), hash: z.literal("SHA-256"), iterations: z.int().positive(), salt: base64urlOf(SALT_BYTES) }),
  cipher: z.strictObject({ name: z.literal("AES-GCM"), iv: base64urlOf(IV_BYTES) }),
  ciphertext: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "base64url")
    .min(Math.ceil((TAG_BYTES * 4) / 3))
    .max(MAX_CIPHERTEXT_CHARS)
    // 4k+1 characters cannot be base64 of anything.
    .refine((text) => text.length % 4 !== 1, "base64url"),
}) satisfies z.ZodType<SealedWallet>;

const NOT_A_WALLET = "This is not a TrialLedger wallet backup";
const WRONG_PASSPHRASE = "Wrong passphrase, or the file is damaged";

/**
 * Checks that `value` is a sealed wallet this version can open, without decrypting it.
 * Throws WalletError: NOT_A_WALLET for any other value, UNSUPPORTED_VERSION for a wallet from a newer
 * TrialLedger, UNSAFE_SETTINGS for an iteration count outside [MIN_ITERATIONS, MAX_ITERATIONS].
 */
export function parseSealed(value: unknown): SealedWallet {
  const parsed = sealedWalletSchema.safeParse(value);
  if (!parsed.success) {
    const envelope = z.looseObject({ format: z.literal(WALLET_FORMAT), version: z.int() }).safeParse(value);
    if (envelope.success && envelope.data.version > WALLET_VERSION) {
      throw new WalletError("UNSUPPORTED_VERSION", "This wallet was made by a newer version of TrialLedger. Update the page, then try again.");
    }
    throw new WalletError("NOT_A_WALLET", NOT_A_WALLET, { cause: parsed.error });
  }
  const { iterations } = parsed.data.kdf;
  if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
    throw new WalletError(
      "UNSAFE_SETTINGS",
      "This wallet file has unusual security settings and may have been tampered with. Use another copy of your backup, or your recovery phrase.",
    );
  }
  return parsed.data;
}

/**
 * Null if the passphrase is acceptable, otherwise what to change, in words for the participant.
 * Length is counted in characters as a person sees them (code points after NFC), not UTF-16 units.
 */
export function passphraseProblem(passphrase: string): string | null {
  const length = [...passphrase.normalize("NFC")].length;
  if (length < MIN_PASSPHRASE_CHARS) {
    return `Use at least ${MIN_PASSPHRASE_CHARS} characters (this one has ${length}). A few unrelated words are easy to remember and hard to guess.`;
  }
  if (passphrase.trim() !== passphrase) {
    return "Remove the space at the start or the end: it is easy to leave out when you type the passphrase again.";
  }
  return null;
}

/** A new wallet around a master secret (from createMasterSecret, or masterFromPhrase when restoring). */
export function newWalletContents(master: Uint8Array, now: Date): WalletContents {
  if (master.length !== MASTER_SECRET_BYTES) throw new RangeError(`a master secret is ${MASTER_SECRET_BYTES} bytes, got ${master.length}`);
  return { masterSecret: bytesToHex(master), createdAt: now.toISOString(), trials: [] };
}

/** The master secret of opened contents, as bytes for derive.ts. */
export function masterSecretOf(contents: WalletContents): Uint8Array {
  return hexToBytes(walletContentsSchema.shape.masterSecret.parse(contents.masterSecret));
}

function subtle(): SubtleCrypto {
  // crypto.subtle exists only in secure contexts (HTTPS or localhost).
  const api = globalThis.crypto?.subtle as SubtleCrypto | undefined;
  if (!api) throw new WalletError("UNSUPPORTED_BROWSER", "This page cannot protect your wallet here. Open TrialLedger over https in an up-to-date browser.");
  return api;
}

/** Associated data: a ciphertext made for one format or version cannot be passed off as another. */
const additionalData = () => new TextEncoder().encode(`${WALLET_FORMAT} v${WALLET_VERSION}`);

/**
 * The passphrase is NFC-normalised first, so the same passphrase typed on two systems whose keyboards
 * compose accents differently (é as one code point or as e + ◌́) unlocks the same wallet.
 */
async function passphraseKey(passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const material = await subtle().importKey("raw", new TextEncoder().encode(passphrase.normalize("NFC")), "PBKDF2", false, ["deriveKey"]);
  return subtle().deriveKey({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, material, { name: "AES-GCM", length: 256 }, false, [
    "encrypt",
    "decrypt",
  ]);
}

/**
 * Encrypts the wallet under the passphrase with a fresh salt and IV.
 * Throws WalletError (WEAK_PASSPHRASE) when passphraseProblem objects; RangeError for an iteration
 * count outside [MIN_ITERATIONS, MAX_ITERATIONS] (we never write a file openWallet would refuse);
 * TypeError for contents that do not match WalletContents.
 */
export async function sealWallet(contents: WalletContents, passphrase: string, opts: { iterations?: number } = {}): Promise<SealedWallet> {
  const iterations = opts.iterations ?? DEFAULT_ITERATIONS;
  if (!Number.isInteger(iterations) || iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
    throw new RangeError(`iterations must be an integer in [${MIN_ITERATIONS}, ${MAX_ITERATIONS}]`);
  }
  const problem = passphraseProblem(passphrase);
  if (problem) throw new WalletError("WEAK_PASSPHRASE", problem);
  const checked = walletContentsSchema.safeParse(contents);
  if (!checked.success) throw new TypeError("wallet contents do not match WalletContents", { cause: checked.error });

  const salt = globalThis.crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const key = await passphraseKey(passphrase, salt, iterations);
  const plaintext = new TextEncoder().encode(JSON.stringify(checked.data));
  const ciphertext = await subtle().encrypt({ name: "AES-GCM", iv, additionalData: additionalData() }, key, plaintext);
  return {
    format: WALLET_FORMAT,
    version: WALLET_VERSION,
    kdf: { name: "PBKDF2", hash: "SHA-256", iterations, salt: toBase64url(salt) },
    cipher: { name: "AES-GCM", iv: toBase64url(iv) },
    ciphertext: toBase64url(new Uint8Array(ciphertext)),
  };
}

/**
 * Decrypts a sealed wallet (any value: a parsed file, a stored item). Validates the envelope before
 * deriving a key, so a tampered iteration count costs nothing. Throws WalletError: see parseSealed,
 * then WRONG_PASSPHRASE when authentication fails (wrong passphrase or any altered byte — AES-GCM
 * cannot tell them apart), DAMAGED when it decrypts to something that is not wallet contents.
 */
export async function openWallet(sealed: unknown, passphrase: string): Promise<WalletContents> {
  const envelope = parseSealed(sealed);
  const key = await passphraseKey(passphrase, fromBase64url(envelope.kdf.salt), envelope.kdf.iterations);
  let plaintext: ArrayBuffer;
  try {
    plaintext = await subtle().decrypt(
      { name: "AES-GCM", iv: fromBase64url(envelope.cipher.iv), additionalData: additionalData() },
      key,
      fromBase64url(envelope.ciphertext),
    );
  } catch (error) {
    throw new WalletError("WRONG_PASSPHRASE", WRONG_PASSPHRASE, { cause: error });
  }
  try {
    return walletContentsSchema.parse(JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(plaintext)));
  } catch (error) {
    throw new WalletError("DAMAGED", "The wallet was unlocked but its contents are damaged. Restore it from a backup or your recovery phrase.", {
      cause: error,
    });
  }
}

function toBase64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Callers pass schema-checked base64url, so atob cannot throw here. */
function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
