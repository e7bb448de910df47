import { createDecipheriv, createHash, createPrivateKey, createPublicKey, diffieHellman, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { crypt4ghDecrypt, crypt4ghEncryptStream, crypt4ghKeyPair, formatCrypt4ghPublicKey, parseCrypt4ghPublicKey } from "@/lib/exports/crypt4gh";

const SEGMENT = 65_536;
const SEALED_SEGMENT = 12 + SEGMENT + 16;

/** Flips the lowest bit of byte `at` (in range: the tests aim inside the file). */
function flip(file: Buffer, at: number): void {
  file.writeUInt8(file.readUInt8(at) ^ 1, at);
}

/** Feeds the plaintext through the Transform in chunks of the given (cycling) sizes. */
async function encrypt(plaintext: Buffer, publicKey: Uint8Array, chunkSizes = [plaintext.length || 1]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let offset = 0, i = 0; offset < plaintext.length; i++) {
    const size = chunkSizes[i % chunkSizes.length] ?? 1;
    chunks.push(plaintext.subarray(offset, offset + size));
    offset += size;
  }
  return buffer(Readable.from(chunks).pipe(crypt4ghEncryptStream(publicKey)));
}

// An independent, by-hand reading of the header per crypt4gh.tex, sharing no code with the module.
function readHeaderByHand(file: Buffer, reader: { publicKey: Uint8Array; secretKey: Uint8Array }) {
  expect(file.subarray(0, 8).toString("ascii")).toBe("crypt4gh");
  expect(file.readUInt32LE(8)).toBe(1);
  expect(file.readUInt32LE(12)).toBe(1);
  const packetLength = file.readUInt32LE(16);
  const packet = file.subarray(16, 16 + packetLength);
  // length(4) method(4) writer pk(32) nonce(12) payload(4+4+32) mac(16)
  expect(packetLength).toBe(4 + 4 + 32 + 12 + 40 + 16);
  expect(packet.readUInt32LE(4)).toBe(0);
  const writerPublic = packet.subarray(8, 40);
  const nonce = packet.subarray(40, 52);
  const ciphertext = packet.subarray(52, packetLength - 16);
  const mac = packet.subarray(packetLength - 16);
  const jwk = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
  const dh = diffieHellman({
    privateKey: createPrivateKey({ key: { kty: "OKP", crv: "X25519", d: jwk(reader.secretKey), x: jwk(reader.publicKey) }, format: "jwk" }),
    publicKey: createPublicKey({ key: { kty: "OKP", crv: "X25519", x: jwk(writerPublic) }, format: "jwk" }),
  });
  const key = createHash("blake2b512").update(Buffer.concat([dh, reader.publicKey, writerPublic])).digest().subarray(0, 32);
  const decipher = createDecipheriv("chacha20-poly1305", key, nonce, { authTagLength: 16 });
  decipher.setAuthTag(mac);
  const payload = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  return { headerLength: 16 + packetLength, payload, writerPublic };
}

describe("crypt4gh", () => {
  const reader = crypt4ghKeyPair();

  it("generates raw 32-byte X25519 key pairs", () => {
    expect(reader.publicKey).toHaveLength(32);
    expect(reader.secretKey).toHaveLength(32);
    expect(Buffer.from(crypt4ghKeyPair().publicKey).equals(Buffer.from(reader.publicKey))).toBe(false);
  });

  it.each([0, 1, SEGMENT, SEGMENT + 1, 200_003])("round-trips %i bytes", async (size) => {
    const plaintext = randomBytes(size);
    const file = await encrypt(plaintext, reader.publicKey, [1, 7, 4_097, 70_001, 13]);
    expect(Buffer.from(crypt4ghDecrypt(file, reader.secretKey)).equals(plaintext)).toBe(true);
  });

  it("lays the file out as the spec says: header, one packet, 65,564-byte segments", async () => {
    const size = 2 * SEGMENT + 100;
    const plaintext = randomBytes(size);
    const file = await encrypt(plaintext, reader.publicKey, [1_000]);
    const { headerLength, payload, writerPublic } = readHeaderByHand(file, reader);
    expect(payload.readUInt32LE(0)).toBe(0); // data_encryption_parameters
    expect(payload.readUInt32LE(4)).toBe(0); // chacha20_ietf_poly1305
    expect(payload.length).toBe(8 + 32);
    expect(Buffer.from(writerPublic).equals(Buffer.from(reader.publicKey))).toBe(false); // ephemeral writer key
    const fullSegments = Math.floor(size / SEGMENT);
    const lastPlain = size % SEGMENT;
    expect(file.length).toBe(headerLength + fullSegments * SEALED_SEGMENT + (lastPlain ? 12 + lastPlain + 16 : 0));

    // Decrypt the first segment by hand with the data key from the payload.
    const dataKey = payload.subarray(8);
    const first = file.subarray(headerLength, headerLength + SEALED_SEGMENT);
    const decipher = createDecipheriv("chacha20-poly1305", dataKey, first.subarray(0, 12), { authTagLength: 16 });
    decipher.setAuthTag(first.subarray(SEALED_SEGMENT - 16));
    const segment = Buffer.concat([decipher.update(first.subarray(12, SEALED_SEGMENT - 16)), decipher.final()]);
    expect(segment.equals(plaintext.subarray(0, SEGMENT))).toBe(true);
  });

  it("writes a header and zero segments for an empty plaintext", async () => {
    const file = await encrypt(Buffer.alloc(0), reader.publicKey);
    const { headerLength } = readHeaderByHand(file, reader);
    expect(file.length).toBe(headerLength);
  });

  it("refuses a wrong secret key", async () => {
    const file = await encrypt(randomBytes(1_000), reader.publicKey);
    expect(() => crypt4ghDecrypt(file, crypt4ghKeyPair().secretKey)).toThrow(/no header packet could be decrypted/);
  });

  it("refuses a file with one flipped ciphertext byte", async () => {
    const file = await encrypt(randomBytes(SEGMENT + 10), reader.publicKey);
    const { headerLength } = readHeaderByHand(file, reader);
    const tampered = Buffer.from(file);
    flip(tampered, headerLength + SEALED_SEGMENT + 15); // inside the second segment's ciphertext
    expect(() => crypt4ghDecrypt(tampered, reader.secretKey)).toThrow(/segment 1 failed authentication/);
    const headerTampered = Buffer.from(file);
    flip(headerTampered, 16 + 60); // inside the packet's encrypted payload
    expect(() => crypt4ghDecrypt(headerTampered, reader.secretKey)).toThrow(/no header packet/);
  });

  it("refuses bad magic and versions", async () => {
    const file = await encrypt(randomBytes(10), reader.publicKey);
    const badMagic = Buffer.from(file);
    flip(badMagic, 0);
    expect(() => crypt4ghDecrypt(badMagic, reader.secretKey)).toThrow(/bad magic/);
    const badVersion = Buffer.from(file);
    badVersion.writeUInt32LE(2, 8);
    expect(() => crypt4ghDecrypt(badVersion, reader.secretKey)).toThrow(/unsupported version 2/);
  });

  it("produces different files for the same plaintext", async () => {
    const plaintext = randomBytes(5_000);
    const [a, b] = await Promise.all([encrypt(plaintext, reader.publicKey), encrypt(plaintext, reader.publicKey)]);
    expect(a.equals(b)).toBe(false);
    expect(readHeaderByHand(a, reader).payload.equals(readHeaderByHand(b, reader).payload)).toBe(false); // fresh data key
  });

  it("formats and parses public keys, and refuses anything else", () => {
    const text = formatCrypt4ghPublicKey(reader.publicKey);
    expect(text).toBe(`-----BEGIN CRYPT4GH PUBLIC KEY-----\n${Buffer.from(reader.publicKey).toString("base64")}\n-----END CRYPT4GH PUBLIC KEY-----\n`);
    expect(Buffer.from(parseCrypt4ghPublicKey(text)).equals(Buffer.from(reader.publicKey))).toBe(true);
    expect(Buffer.from(parseCrypt4ghPublicKey(`  \n${text}\n\n`)).equals(Buffer.from(reader.publicKey))).toBe(true);
    expect(Buffer.from(parseCrypt4ghPublicKey(` ${Buffer.from(reader.publicKey).toString("base64")}\n`)).equals(Buffer.from(reader.publicKey))).toBe(true);
    for (const bad of ["", "hello", Buffer.alloc(31).toString("base64"), Buffer.alloc(33).toString("base64"), text.replace("-----END CRYPT4GH PUBLIC KEY-----", ""), "-----BEGIN CRYPT4GH PUBLIC KEY-----\n!!!!\n-----END CRYPT4GH PUBLIC KEY-----"]) {
      expect(() => parseCrypt4ghPublicKey(bad)).toThrow(/^not a Crypt4GH public key: /);
    }
  });
});
