import { sha256 } from "@noble/hashes/sha256";

/**
 * C2SP signed-note (c2sp.org/signed-note): a text ending in a newline, a blank line, then one
 * signature line per key, `— <key name> <base64(4-byte key ID ‖ signature)>`. Isomorphic: Ed25519
 * verification uses WebCrypto (`crypto.subtle`, in Node ≥ 20 and every current browser), so the
 * /transparency page and the CLI check a checkpoint with this same code.
 *
 * Only signature type 0x01 (Ed25519 over the note text) is implemented: a tlog-tiles log that is
 * public MUST carry one, and the spec asks implementations to support only the types they need.
 */

export type NoteSigner = { name: string; keyId: Uint8Array; sign(msg: Uint8Array): Promise<Uint8Array> | Uint8Array };
export type NoteVerifier = { name: string; keyId: Uint8Array; verify(msg: Uint8Array, sig: Uint8Array): Promise<boolean> | boolean };

export class NoteError extends Error {
  override name = "NoteError";
}

/** The signature type byte of Ed25519 over the note text (signed-note, "Signature types"). */
export const ED25519_TYPE = 0x01;

/** U+2014 EM DASH, which begins every signature line. */
const EM_DASH = "\u2014";

/**
 * 100 signatures, 1 MiB in all: the spec requires accepting at least 16 (a log and a witness quorum)
 * and warns that post-quantum signatures reach nearly 5 kB, so 100 of those still fit. golang.org/x/mod
 * sumdb/note stops at the same 100.
 */
export const MAX_NOTE_SIGNATURES = 100;
export const MAX_NOTE_BYTES = 1 << 20;

const encoder = new TextEncoder();

/** Standard base64 (RFC 4648 §4), with padding, as every C2SP format uses. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Decodes canonical standard base64: padded, no whitespace, no URL alphabet, and no stray bits in
 * the last character (so one value has exactly one encoding, and a signature line cannot be varied
 * without breaking it). Returns null for anything else.
 */
export function decodeBase64(text: string): Uint8Array | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return null;
  }
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return encodeBase64(bytes) === text ? bytes : null;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * Whether `name` may be a key name: non-empty, no Unicode space, no `+` (the verifier key's
 * separator), no control character (it sits inside a one-line signature).
 */
export function isKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+\p{Cc}]/u.test(name) && isWellFormed(name);
}

/** Whether a JS string is valid UTF-16 (no lone surrogates), hence encodes to valid UTF-8. */
function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** Splits at the first `count - 1` plus signs: the last part is base64, which may hold `+` itself. */
export function splitKey(key: string, count: number): string[] | null {
  const parts: string[] = [];
  let rest = key;
  for (let i = 1; i < count; i++) {
    const at = rest.indexOf("+");
    if (at === -1) return null;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  parts.push(rest);
  return parts;
}

/** Key ID = SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4] (signed-note, "Signatures"). */
export function keyIdOf(name: string, type: number, publicKey: Uint8Array): Uint8Array {
  const nameBytes = encoder.encode(name);
  const input = new Uint8Array(nameBytes.length + 2 + publicKey.length);
  input.set(nameBytes, 0);
  input[nameBytes.length] = 0x0a;
  input[nameBytes.length + 1] = type;
  input.set(publicKey, nameBytes.length + 2);
  return sha256(input).slice(0, 4);
}

/** The verifier key `<name>+<hex key ID>+<base64(0x01 ‖ public key)>` of an Ed25519 key. */
export function verifierKeyOf(name: string, publicKey: Uint8Array): string {
  if (!isKeyName(name)) throw new NoteError(`not a key name: ${JSON.stringify(name)}`);
  if (publicKey.length !== 32) throw new NoteError("an Ed25519 public key is 32 bytes");
  return `${name}+${toHex(keyIdOf(name, ED25519_TYPE, publicKey))}+${encodeBase64(Uint8Array.of(ED25519_TYPE, ...publicKey))}`;
}

/** A verifier for the Ed25519 key `publicKey` under `name`, checking with WebCrypto. */
export function ed25519Verifier(name: string, publicKey: Uint8Array): NoteVerifier {
  if (!isKeyName(name)) throw new NoteError(`not a key name: ${JSON.stringify(name)}`);
  if (publicKey.length !== 32) throw new NoteError("an Ed25519 public key is 32 bytes");
  let key: Promise<CryptoKey> | undefined;
  return {
    name,
    keyId: keyIdOf(name, ED25519_TYPE, publicKey),
    async verify(msg, sig) {
      if (sig.length !== 64) return false;
      key ??= crypto.subtle.importKey("raw", new Uint8Array(publicKey), { name: "Ed25519" }, false, ["verify"]);
      return crypto.subtle.verify({ name: "Ed25519" }, await key, new Uint8Array(sig), new Uint8Array(msg));
    },
  };
}

/**
 * Parses a verifier key `<name>+<8 hex digits>+<base64(0x01 ‖ 32-byte key)>`.
 * @throws NoteError when it is malformed, of another signature type, or its key ID is not the one
 *   the name and key give (a key ID that does not recompute names some other key).
 */
export function parseVerifierKey(vkey: string): NoteVerifier {
  const [name, idHex, keyB64] = splitKey(vkey, 3) ?? [];
  if (name === undefined || idHex === undefined || keyB64 === undefined) {
    throw new NoteError("a verifier key is <name>+<hex key ID>+<base64 key>");
  }
  if (!isKeyName(name)) throw new NoteError("the verifier key's name is empty or holds a space");
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new NoteError("the verifier key's ID is not 8 lower-case hex digits");
  const typed = decodeBase64(keyB64);
  if (!typed) throw new NoteError("the verifier key's key is not base64");
  if (typed[0] !== ED25519_TYPE) throw new NoteError(`signature type 0x${(typed[0] ?? 0).toString(16).padStart(2, "0")} is not supported (only Ed25519, 0x01)`);
  if (typed.length !== 33) throw new NoteError("an Ed25519 verifier key holds 32 bytes of key");
  const verifier = ed25519Verifier(name, typed.slice(1));
  if (toHex(verifier.keyId) !== idHex) throw new NoteError("the verifier key's ID does not match its name and key");
  return verifier;
}

function checkText(text: string): void {
  if (!text.endsWith("\n")) throw new NoteError("a note's text ends with a newline");
  if (!isWellFormed(text)) throw new NoteError("a note is valid UTF-8");
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) throw new NoteError("a note holds no control character but the newline");
}

/**
 * Signs `text` with each signer: the text, a blank line, one signature line per signer.
 * @throws NoteError when the text does not end in a newline or holds a control character, or a
 *   signer's name is not a key name
 */
export async function signNote(text: string, signers: NoteSigner[]): Promise<string> {
  checkText(text);
  if (signers.length === 0) throw new NoteError("a signed note needs at least one signature");
  const message = encoder.encode(text);
  const lines: string[] = [];
  for (const signer of signers) {
    if (!isKeyName(signer.name)) throw new NoteError(`not a key name: ${JSON.stringify(signer.name)}`);
    if (signer.keyId.length !== 4) throw new NoteError("a key ID is 4 bytes");
    const signature = await signer.sign(message);
    lines.push(`${EM_DASH} ${signer.name} ${encodeBase64(Uint8Array.of(...signer.keyId, ...signature))}\n`);
  }
  return `${text}\n${lines.join("")}`;
}

export type NoteSignature = { name: string; keyId: Uint8Array; signature: Uint8Array };

/**
 * Splits a signed note into its text and signatures, without verifying any.
 * @throws NoteError when it is not a well-formed signed note
 */
export function splitNote(note: string): { text: string; signatures: NoteSignature[] } {
  if (encoder.encode(note).length > MAX_NOTE_BYTES) throw new NoteError(`a note is at most ${MAX_NOTE_BYTES} bytes`);
  checkText(note);
  // The text ends with its newline; the separating blank line is the last empty line of the note.
  const split = note.lastIndexOf("\n\n");
  if (split === -1) throw new NoteError("a signed note has a blank line before its signatures");
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split("\n");
  if (lines.length > MAX_NOTE_SIGNATURES) throw new NoteError(`a note carries at most ${MAX_NOTE_SIGNATURES} signatures`);
  const signatures = lines.map((line) => {
    const match = /^\u2014 (\S+) (\S+)$/u.exec(line);
    const name = match?.[1];
    const bytes = match?.[2] === undefined ? null : decodeBase64(match[2]);
    if (name === undefined || !isKeyName(name) || !bytes || bytes.length < 5) {
      throw new NoteError("a signature line is '— <key name> <base64 of key ID and signature>'");
    }
    return { name, keyId: bytes.slice(0, 4), signature: bytes.slice(4) };
  });
  return { text, signatures };
}

/**
 * Opens a signed note: its text, once a trusted key's signature on it verifies. Signatures of keys
 * not among `verifiers` (same name and key ID) are ignored, as the spec requires (key rotation,
 * witness cosignatures).
 * @returns the text and the names of the verifiers whose signatures verified
 * @throws NoteError when the note is malformed, a known key's signature fails (the spec's SHOULD
 *   reject: a log that signs wrongly is broken or forged), two verifiers share a name and key ID,
 *   or no known key signed it
 */
export async function openNote(note: string, verifiers: NoteVerifier[]): Promise<{ text: string; verifiedBy: string[] }> {
  const { text, signatures } = splitNote(note);
  const message = encoder.encode(text);
  const verifiedBy: string[] = [];
  for (const sig of signatures) {
    const known = verifiers.filter((v) => v.name === sig.name && sameBytes(v.keyId, sig.keyId));
    if (known.length === 0) continue;
    const keyLabel = `${sig.name}+${toHex(sig.keyId)}`;
    if (known.length > 1) throw new NoteError(`ambiguous key ${keyLabel}`);
    if (!(await known[0]!.verify(message, sig.signature))) throw new NoteError(`invalid signature for key ${keyLabel}`);
    if (!verifiedBy.includes(sig.name)) verifiedBy.push(sig.name);
  }
  if (verifiedBy.length === 0) throw new NoteError("the note has no signature by a trusted key");
  return { text, verifiedBy };
}
