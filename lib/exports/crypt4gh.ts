/**
 * Crypt4GH v1 (GA4GH, samtools/hts-specs crypt4gh.tex), the format EGA/FEGA use, for one recipient.
 *
 * File = header ‖ data segments.
 * - Header: "crypt4gh" ‖ le_u32 1 ‖ le_u32 n ‖ n packets.
 * - Packet: le_u32 length (whole packet) ‖ le_u32 0 (X25519_chacha20_ietf_poly1305) ‖ writer public key (32 B)
 *   ‖ nonce (12 B) ‖ ChaCha20-Poly1305(payload) ‖ MAC (16 B), keyed by
 *   K = Blake2b-512(X25519(sk_w, pk_r) ‖ pk_r ‖ pk_w)[:32] (libsodium crypto_kx, as the reference tools do).
 * - Payload: le_u32 0 (data encryption parameters) ‖ le_u32 0 (chacha20_ietf_poly1305) ‖ 32-byte data key.
 * - Data: 64 KiB plaintext segments, each stored as nonce (12) ‖ ciphertext ‖ MAC (16), empty AAD.
 *
 * Hand-written on node:crypto (x25519, blake2b512, chacha20-poly1305) so we need no crypto dependency;
 * STANDARDS.md §5. The spec (§5.4) does not protect against added/removed packets or reordered/dropped
 * segments, and files are not signed: integrity of the whole file comes from the signed manifest.
 */
import { createCipheriv, createDecipheriv, createHash, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";

export type Crypt4ghKeyPair = { publicKey: Uint8Array; secretKey: Uint8Array }; // raw 32-byte X25519 keys

const MAGIC = Buffer.from("crypt4gh", "ascii");
const VERSION = 1;
const METHOD_X25519_CHACHA20_POLY1305 = 0;
const PACKET_DATA_ENCRYPTION_PARAMETERS = 0;
const PACKET_DATA_EDIT_LIST = 1;
const DATA_METHOD_CHACHA20_POLY1305 = 0;
const KEY_SIZE = 32;
const NONCE_SIZE = 12;
const MAC_SIZE = 16;
export const CRYPT4GH_SEGMENT_SIZE = 65_536;
const ENCRYPTED_SEGMENT_SIZE = NONCE_SIZE + CRYPT4GH_SEGMENT_SIZE + MAC_SIZE; // 65,564
const PUBLIC_KEY_BEGIN = "-----BEGIN CRYPT4GH PUBLIC KEY-----";
const PUBLIC_KEY_END = "-----END CRYPT4GH PUBLIC KEY-----";

// node:crypto takes X25519 keys as KeyObjects; JWK is the simplest way in from raw bytes.
function publicKeyObject(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: "OKP", crv: "X25519", x: Buffer.from(raw).toString("base64url") }, format: "jwk" });
}

// PKCS#8 DER wrapper for a raw X25519 private key (RFC 8410); unlike JWK it needs no public half.
const X25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");

function privateKeyObject(secret: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([X25519_PKCS8_PREFIX, secret]), format: "der", type: "pkcs8" });
}

function rawPublicKey(key: KeyObject): Uint8Array {
  return new Uint8Array(Buffer.from(key.export({ format: "jwk" }).x as string, "base64url"));
}

function publicKeyOf(secretKey: Uint8Array): Uint8Array {
  return rawPublicKey(createPublicKey(privateKeyObject(secretKey)));
}

export function crypt4ghKeyPair(): Crypt4ghKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync("x25519");
  const secretKey = new Uint8Array(Buffer.from(privateKey.export({ format: "jwk" }).d as string, "base64url"));
  return { publicKey: rawPublicKey(publicKey), secretKey };
}

/** K = Blake2b-512(X25519(own secret, peer public) ‖ pk_reader ‖ pk_writer)[:32]; same key on both sides. */
function sharedKey(ownSecret: Uint8Array, peerPublic: Uint8Array, readerPublic: Uint8Array, writerPublic: Uint8Array): Buffer {
  const dh = diffieHellman({ privateKey: privateKeyObject(ownSecret), publicKey: publicKeyObject(peerPublic) });
  return createHash("blake2b512").update(dh).update(readerPublic).update(writerPublic).digest().subarray(0, KEY_SIZE);
}

function assertKey(key: Uint8Array, what: string): void {
  if (key.length !== KEY_SIZE) throw new Error(`${what} must be ${KEY_SIZE} bytes, got ${key.length}`);
}

/** Parses the armored public key (also accepts bare base64 of 32 bytes, surrounding whitespace). */
export function parseCrypt4ghPublicKey(text: string): Uint8Array {
  let body = text.trim();
  if (body.startsWith(PUBLIC_KEY_BEGIN)) {
    if (!body.endsWith(PUBLIC_KEY_END)) throw new Error("not a Crypt4GH public key: missing END line");
    body = body.slice(PUBLIC_KEY_BEGIN.length, body.length - PUBLIC_KEY_END.length).trim();
  }
  // Buffer.from(…, "base64") silently skips bad characters, so check the alphabet first.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new Error("not a Crypt4GH public key: expected base64 of 32 bytes");
  const key = Buffer.from(body, "base64");
  if (key.length !== KEY_SIZE) throw new Error(`not a Crypt4GH public key: decodes to ${key.length} bytes, expected ${KEY_SIZE}`);
  return new Uint8Array(key);
}

export function formatCrypt4ghPublicKey(key: Uint8Array): string {
  assertKey(key, "Crypt4GH public key");
  return `${PUBLIC_KEY_BEGIN}\n${Buffer.from(key).toString("base64")}\n${PUBLIC_KEY_END}\n`;
}

function le32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value);
  return b;
}

/** nonce ‖ ChaCha20-Poly1305(plaintext) ‖ MAC, empty AAD: used for header packets and data segments alike. */
function seal(key: Uint8Array, plaintext: Uint8Array): Buffer {
  const nonce = randomBytes(NONCE_SIZE);
  const cipher = createCipheriv("chacha20-poly1305", key, nonce, { authTagLength: MAC_SIZE });
  return Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** Inverse of seal; throws if the MAC does not verify. */
function open(key: Uint8Array, sealed: Uint8Array): Buffer {
  if (sealed.length < NONCE_SIZE + MAC_SIZE) throw new Error("crypt4gh: encrypted block too short");
  const nonce = sealed.subarray(0, NONCE_SIZE);
  const tag = sealed.subarray(sealed.length - MAC_SIZE);
  const decipher = createDecipheriv("chacha20-poly1305", key, nonce, { authTagLength: MAC_SIZE });
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.subarray(NONCE_SIZE, sealed.length - MAC_SIZE)), decipher.final()]);
}

function encryptHeader(recipientPublicKey: Uint8Array, dataKey: Uint8Array): Buffer {
  // Ephemeral writer key pair; its secret goes out of scope here (§5.4: the writer may discard it).
  const writer = crypt4ghKeyPair();
  const key = sharedKey(writer.secretKey, recipientPublicKey, recipientPublicKey, writer.publicKey);
  const payload = Buffer.concat([le32(PACKET_DATA_ENCRYPTION_PARAMETERS), le32(DATA_METHOD_CHACHA20_POLY1305), dataKey]);
  const body = Buffer.concat([le32(METHOD_X25519_CHACHA20_POLY1305), writer.publicKey, seal(key, payload)]);
  const packet = Buffer.concat([le32(4 + body.length), body]);
  return Buffer.concat([MAGIC, le32(VERSION), le32(1), packet]);
}

/** A Node Transform: plaintext in, a Crypt4GH v1 file for one recipient out. Holds at most one segment. */
export function crypt4ghEncryptStream(recipientPublicKey: Uint8Array): Transform {
  assertKey(recipientPublicKey, "Crypt4GH recipient public key");
  publicKeyObject(recipientPublicKey); // fail now, not on the first chunk, if it is not a usable X25519 key
  const dataKey = randomBytes(KEY_SIZE);
  let pending = Buffer.alloc(0);
  let headerSent = false;
  const sendHeader = (stream: Transform) => {
    if (!headerSent) stream.push(encryptHeader(recipientPublicKey, dataKey));
    headerSent = true;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      try {
        sendHeader(this);
        pending = pending.length ? Buffer.concat([pending, chunk]) : Buffer.from(chunk);
        let offset = 0;
        for (; pending.length - offset >= CRYPT4GH_SEGMENT_SIZE; offset += CRYPT4GH_SEGMENT_SIZE) {
          this.push(seal(dataKey, pending.subarray(offset, offset + CRYPT4GH_SEGMENT_SIZE)));
        }
        pending = Buffer.from(pending.subarray(offset)); // copy so the big chunk can be freed
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        sendHeader(this); // an empty plaintext is still a valid file: header, zero segments
        if (pending.length) this.push(seal(dataKey, pending));
        pending = Buffer.alloc(0);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}

/** Reads a whole Crypt4GH v1 file with the recipient's secret key; throws on bad structure, no usable key, or a bad MAC. */
export function crypt4ghDecrypt(file: Uint8Array, secretKey: Uint8Array): Uint8Array {
  assertKey(secretKey, "Crypt4GH secret key");
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const need = (offset: number, size: number) => {
    if (offset + size > buf.length) throw new Error("crypt4gh: truncated header");
  };
  need(0, 16);
  if (!buf.subarray(0, 8).equals(MAGIC)) throw new Error("crypt4gh: bad magic, not a Crypt4GH file");
  const version = buf.readUInt32LE(8);
  if (version !== VERSION) throw new Error(`crypt4gh: unsupported version ${version}`);
  const packetCount = buf.readUInt32LE(12);
  const readerPublic = publicKeyOf(secretKey);

  const dataKeys: Buffer[] = [];
  let offset = 16;
  for (let i = 0; i < packetCount; i++) {
    need(offset, 4);
    const length = buf.readUInt32LE(offset);
    if (length < 8) throw new Error(`crypt4gh: header packet ${i} too short`);
    need(offset, length);
    const packet = buf.subarray(offset, offset + length);
    offset += length;
    const payload = decryptPacket(packet, secretKey, readerPublic);
    if (!payload) continue; // not for us, or a method we do not know: the spec says ignore it
    if (payload.length < 4) throw new Error("crypt4gh: header packet payload too short");
    const type = payload.readUInt32LE(0);
    if (type === PACKET_DATA_EDIT_LIST) throw new Error("crypt4gh: edit lists are not supported");
    if (type !== PACKET_DATA_ENCRYPTION_PARAMETERS) throw new Error(`crypt4gh: unknown header packet type ${type}`);
    if (payload.length !== 8 + KEY_SIZE) throw new Error("crypt4gh: bad data encryption parameters packet");
    const method = payload.readUInt32LE(4);
    if (method !== DATA_METHOD_CHACHA20_POLY1305) throw new Error(`crypt4gh: unknown data encryption method ${method}`);
    dataKeys.push(Buffer.from(payload.subarray(8)));
  }
  if (!dataKeys.length) throw new Error("crypt4gh: no header packet could be decrypted with this secret key");

  const segments: Buffer[] = [];
  for (; offset < buf.length; offset += ENCRYPTED_SEGMENT_SIZE) {
    const sealed = buf.subarray(offset, Math.min(offset + ENCRYPTED_SEGMENT_SIZE, buf.length));
    segments.push(openWithAnyKey(dataKeys, sealed, segments.length));
  }
  return new Uint8Array(Buffer.concat(segments));
}

/** The packet's payload, or undefined when it is not addressed to this key (or uses another method). */
function decryptPacket(packet: Buffer, secretKey: Uint8Array, readerPublic: Uint8Array): Buffer | undefined {
  if (packet.readUInt32LE(4) !== METHOD_X25519_CHACHA20_POLY1305) return undefined;
  if (packet.length < 8 + KEY_SIZE + NONCE_SIZE + MAC_SIZE) return undefined;
  const writerPublic = packet.subarray(8, 8 + KEY_SIZE);
  try {
    const key = sharedKey(secretKey, writerPublic, readerPublic, writerPublic);
    return open(key, packet.subarray(8 + KEY_SIZE));
  } catch {
    return undefined;
  }
}

// The spec allows several data keys; each segment is encrypted under one of them.
function openWithAnyKey(keys: Buffer[], sealed: Buffer, index: number): Buffer {
  for (const key of keys) {
    try {
      return open(key, sealed);
    } catch {
      // try the next key
    }
  }
  throw new Error(`crypt4gh: segment ${index} failed authentication (bad MAC)`);
}
