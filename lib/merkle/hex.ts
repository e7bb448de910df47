const HEX = /^0x(?:[0-9a-f]{2})*$/;

/** `bytes` as "0x" followed by two lowercase hex digits per byte ("0x" for no bytes). */
export function toHex(bytes: Uint8Array): string {
  let hex = "0x";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/**
 * The bytes of a "0x"-prefixed, lowercase, even-length hex string — the only spelling TrialLedger
 * writes, so that every value has exactly one text form and string comparison is byte comparison.
 *
 * @param byteLength when given, the number of bytes required (32 for a SHA-256 digest).
 * @throws TypeError for any other spelling; RangeError for the wrong length.
 */
export function fromHex(hex: string, byteLength?: number): Uint8Array {
  if (!HEX.test(hex)) {
    const shown = hex.length > 20 ? `${hex.slice(0, 20)}…` : hex;
    throw new TypeError(`Expected "0x" and lowercase hex digits in pairs, got "${shown}".`);
  }
  const bytes = new Uint8Array((hex.length - 2) / 2);
  if (byteLength !== undefined && bytes.length !== byteLength) {
    throw new RangeError(`Expected ${byteLength} bytes of hex, got ${bytes.length}.`);
  }
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16);
  return bytes;
}
