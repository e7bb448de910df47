/**
 * The inclusion list of an export (issue 12, point 6): for each participant whose rows are in it, a
 * tag `HMAC-SHA256(key = "trialledger/inclusion/v1:" ‖ export id, nullifier as 32 bytes big-endian)`,
 * published sorted with the export. A participant's device computes its own tag from its pseudonym
 * (lib/consent/pseudonym.ts) and looks it up in the list it downloads: it learns whether its rows
 * were included without telling the portal anything — every device fetches the same whole list.
 *
 * Keyed by the export id, not the grant's key: the tag says nothing about the per-grant pseudonym in
 * the file (it cannot be joined to the researcher's rows) and differs between exports.
 *
 * What it does not hide: nullifiers are public on chain, so anyone can compute every participant's
 * tag and read from the list which pseudonyms had rows in an export. That is no more than the public
 * consent decisions and the release's row counts already suggest, and no row value is revealed; a
 * scheme keyed by a secret only the participant holds would need the device to have been given it at
 * enrolment (a later protocol version; docs/exports.md).
 *
 * Isomorphic (Web Crypto): the same code runs on the server that publishes and on the device that checks.
 */

const INCLUSION_INFO = "trialledger/inclusion/v1:";
const DECIMAL = /^(0|[1-9]\d{0,77})$/;

function nullifierBytes(pseudonym: string): Uint8Array<ArrayBuffer> {
  if (!DECIMAL.test(pseudonym)) throw new RangeError("a trial pseudonym is a decimal integer without leading zeros");
  const hex = BigInt(pseudonym).toString(16).padStart(64, "0");
  if (hex.length > 64) throw new RangeError("a trial pseudonym fits 256 bits");
  const bytes = new Uint8Array(new ArrayBuffer(32));
  for (let i = 0; i < 32; i++) bytes[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

const toHex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");

/** A tagger for one export: imports the key once, then tags each pseudonym (64 hex digits). */
export async function inclusionTagger(exportId: string): Promise<(pseudonym: string) => Promise<string>> {
  if (!exportId) throw new RangeError("an export id is needed for its inclusion tags");
  const key = await globalThis.crypto.subtle.importKey("raw", new TextEncoder().encode(INCLUSION_INFO + exportId), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return async (pseudonym) => toHex(await globalThis.crypto.subtle.sign("HMAC", key, nullifierBytes(pseudonym)));
}

/** The device's check: is this pseudonym's tag in the export's published list? */
export async function includedIn(list: { exportId: string; tags: readonly string[] }, pseudonym: string): Promise<boolean> {
  const tag = await (await inclusionTagger(list.exportId))(pseudonym);
  return list.tags.includes(tag);
}
