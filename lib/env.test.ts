import path from "node:path";
import { describe, expect, it } from "vitest";
import { ANVIL_DEV_KEY, ConfigError, parseEnv } from "@/lib/env";

/** A log key (seed 32 × 0x03; formatSignerKey) named after its origin. */
const LOG_KEY = {
  LOG_SIGNING_KEY: "PRIVATE+KEY+trialledger.example/log+aa9ed80a+AQMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMD",
  LOG_ORIGIN: "trialledger.example/log",
};

/** A throwaway visa key (npx trialledger visa keygen): a private P-256 JWK. */
const VISA_KEY = {
  VISA_SIGNING_KEY: '{"kty":"EC","crv":"P-256","x":"P25iwTDaWbEjCBoO_LOjFfVDmUPZHK1P7VK_Y7NuVf8","y":"5XL0qk7aD9TSI0ufaYUGIy8N8RK9n3Ci0ARcdHnRXLs","d":"7vlK1vhyQYSBY7A9Qh2RV2Th4Y_SOG6upvu92n8DYnI"}',
};

/** A throwaway export secret: 32 bytes in base64. */
const EXPORT_KEY = { EXPORT_SECRET: Buffer.alloc(32, 9).toString("base64") };

describe("parseEnv", () => {
  it("needs nothing for the embedded mode", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      APP_ENV: "development",
      PORT: 3000,
      databaseKind: "pglite",
      pgliteDir: path.resolve(".data/pglite"),
      relayerKey: ANVIL_DEV_KEY,
      authUrl: "http://localhost:3000",
      demoSeed: true,
      UPLOAD_QUOTA_MB: 500,
      UPLOAD_MAX_AGE_HOURS: 24,
    });
  });

  it("switches to PostgreSQL with DATABASE_URL and keeps memory:// for tests", () => {
    expect(parseEnv({ DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/x" }).databaseKind).toBe("postgresql");
    expect(parseEnv({ PGLITE_DIR: "memory://" }).pgliteDir).toBe("memory://");
  });

  it("uses the data directory for blobs unless S3_ENDPOINT and S3_BUCKET are both set", () => {
    expect(parseEnv({}).s3).toBeUndefined();
    expect(parseEnv({ S3_ENDPOINT: "http://127.0.0.1:9000", S3_BUCKET: "blobs", S3_FORCE_PATH_STYLE: "true" }).s3).toEqual({
      endpoint: "http://127.0.0.1:9000",
      bucket: "blobs",
      region: "us-east-1",
      forcePathStyle: true,
    });
    expect(() => parseEnv({ S3_ENDPOINT: "http://127.0.0.1:9000" })).toThrow(/S3_BUCKET: S3_ENDPOINT and S3_BUCKET go together/);
    expect(() => parseEnv({ S3_BUCKET: "blobs" })).toThrow(/S3_ENDPOINT: S3_ENDPOINT and S3_BUCKET go together/);
    expect(() => parseEnv({ S3_ENDPOINT: "http://x", S3_BUCKET: "blobs", S3_ACCESS_KEY_ID: "k" })).toThrow(/S3_SECRET_ACCESS_KEY/);
    expect(parseEnv({ S3_ENDPOINT: "http://x", S3_BUCKET: "blobs", S3_ACCESS_KEY_ID: "k", S3_SECRET_ACCESS_KEY: "s" }).s3?.credentials).toEqual({ accessKeyId: "k", secretAccessKey: "s" });
  });

  it("lists every problem at once", () => {
    expect(() => parseEnv({ PORT: "99999", DATABASE_URL: "mysql://x" })).toThrow(ConfigError);
    try {
      parseEnv({ PORT: "99999", DATABASE_URL: "mysql://x" });
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT/);
      expect((error as Error).message).toMatch(/DATABASE_URL: must be a postgresql/);
    }
  });

  it("refuses production without a strong secret, a chain or a relayer key of its own", () => {
    const attempt = () => parseEnv({ APP_ENV: "production", AUTH_SECRET: "short", RELAYER_PRIVATE_KEY: ANVIL_DEV_KEY });
    expect(attempt).toThrow(/AUTH_SECRET: production needs a random secret/);
    expect(attempt).toThrow(/CHAIN_RPC_URL/);
    expect(attempt).toThrow(/RELAYER_PRIVATE_KEY: production needs the relayer's own private key/);
    expect(() => parseEnv({ APP_ENV: "production", AUTH_SECRET: "a".repeat(40) })).toThrow(/AUTH_SECRET/);
  });

  it("refuses production without an https AUTH_URL (its cookies are Secure)", () => {
    const production = {
      APP_ENV: "production",
      AUTH_SECRET: "Zm9vYmFyYmF6cXV4LXJhbmRvbS1zZWNyZXQtMTIzNDU2Nzg=",
      CHAIN_RPC_URL: "https://rpc.example.org",
      RELAYER_PRIVATE_KEY: `0x${"ab".repeat(32)}`,
      ...LOG_KEY,
      ...VISA_KEY,
      ...EXPORT_KEY,
    };
    expect(() => parseEnv(production)).toThrow(/AUTH_URL: production needs the portal's public https:\/\/ address/);
    expect(() => parseEnv({ ...production, AUTH_URL: "http://trialledger.example" })).toThrow(/AUTH_URL/);
    expect(parseEnv({ ...production, AUTH_URL: "https://trialledger.example" }).authUrl).toBe("https://trialledger.example");
    // Outside production http stays allowed: `npm start` on localhost.
    expect(parseEnv({ AUTH_URL: "http://localhost:3000" }).authUrl).toBe("http://localhost:3000");
  });

  it("bounds the session lifetimes and keeps the idle one within the absolute one", () => {
    expect(parseEnv({})).toMatchObject({ SESSION_IDLE_MINUTES: 60, SESSION_ABSOLUTE_HOURS: 12 });
    expect(() => parseEnv({ SESSION_IDLE_MINUTES: "1" })).toThrow(/SESSION_IDLE_MINUTES/);
    expect(() => parseEnv({ SESSION_IDLE_MINUTES: "180", SESSION_ABSOLUTE_HOURS: "2" })).toThrow(/SESSION_IDLE_MINUTES: must not exceed/);
  });

  it("accepts a complete production configuration, with no demo data", () => {
    const env = parseEnv({
      APP_ENV: "production",
      AUTH_URL: "https://trialledger.example",
      AUTH_SECRET: "Zm9vYmFyYmF6cXV4LXJhbmRvbS1zZWNyZXQtMTIzNDU2Nzg=",
      CHAIN_RPC_URL: "https://rpc.example.org",
      RELAYER_PRIVATE_KEY: `0x${"ab".repeat(32)}`,
      DATABASE_URL: "postgresql://db/trialledger",
      ...LOG_KEY,
      ...VISA_KEY,
      ...EXPORT_KEY,
    });
    expect(env.demoSeed).toBe(false);
    expect(env.logOrigin).toBe("trialledger.example/log");
  });

  it("needs the log's own signing key and origin in production, the key named after the origin", () => {
    const production = {
      APP_ENV: "production",
      AUTH_URL: "https://trialledger.example",
      AUTH_SECRET: "Zm9vYmFyYmF6cXV4LXJhbmRvbS1zZWNyZXQtMTIzNDU2Nzg=",
      CHAIN_RPC_URL: "https://rpc.example.org",
      RELAYER_PRIVATE_KEY: `0x${"ab".repeat(32)}`,
    };
    expect(() => parseEnv(production)).toThrow(/LOG_SIGNING_KEY: production needs the log's own signing key/);
    expect(() => parseEnv(production)).toThrow(/LOG_ORIGIN: production needs the log's origin/);
    expect(() => parseEnv({ ...production, ...LOG_KEY, LOG_ORIGIN: "other.example/log" })).toThrow(/LOG_SIGNING_KEY: the key is named trialledger.example\/log, not LOG_ORIGIN/);
    expect(() => parseEnv({ ...production, ...LOG_KEY, LOG_SIGNING_KEY: LOG_KEY.LOG_SIGNING_KEY.slice(0, -1) })).toThrow(/LOG_SIGNING_KEY: must be PRIVATE\+KEY/);
    expect(() => parseEnv({ ...production, ...LOG_KEY, LOG_ORIGIN: "https://x.example/log x" })).toThrow(/LOG_ORIGIN/);
  });

  it("needs a visa signing key of its own in production, a private P-256 JWK, and none elsewhere", () => {
    const production = {
      APP_ENV: "production",
      AUTH_URL: "https://trialledger.example",
      AUTH_SECRET: "Zm9vYmFyYmF6cXV4LXJhbmRvbS1zZWNyZXQtMTIzNDU2Nzg=",
      CHAIN_RPC_URL: "https://rpc.example.org",
      RELAYER_PRIVATE_KEY: `0x${"ab".repeat(32)}`,
      ...LOG_KEY,
      ...EXPORT_KEY,
    };
    expect(() => parseEnv(production)).toThrow(/VISA_SIGNING_KEY: production needs the visa signing key of its own/);
    expect(parseEnv({ ...production, ...VISA_KEY }).VISA_SIGNING_KEY).toBe(VISA_KEY.VISA_SIGNING_KEY);
    const jwk = JSON.parse(VISA_KEY.VISA_SIGNING_KEY) as Record<string, string>;
    const { d: _d, ...publicOnly } = jwk;
    // A public JWK, another curve, a PEM, or a truncated scalar: refused with the expected form.
    for (const wrong of [JSON.stringify(publicOnly), JSON.stringify({ ...jwk, crv: "P-384" }), "-----BEGIN PRIVATE KEY-----", JSON.stringify({ ...jwk, d: jwk.d?.slice(1) })]) {
      expect(() => parseEnv({ ...production, VISA_SIGNING_KEY: wrong })).toThrow(/VISA_SIGNING_KEY: must be a private P-256 JWK as JSON/);
    }
    expect(parseEnv({}).VISA_SIGNING_KEY).toBeUndefined();
  });

  it("needs an export secret of its own in production, base64 of 32 bytes or more, and none elsewhere", () => {
    const production = {
      APP_ENV: "production",
      AUTH_URL: "https://trialledger.example",
      AUTH_SECRET: "Zm9vYmFyYmF6cXV4LXJhbmRvbS1zZWNyZXQtMTIzNDU2Nzg=",
      CHAIN_RPC_URL: "https://rpc.example.org",
      RELAYER_PRIVATE_KEY: `0x${"ab".repeat(32)}`,
      ...LOG_KEY,
      ...VISA_KEY,
    };
    expect(() => parseEnv(production)).toThrow(/EXPORT_SECRET: production needs the export secret of its own/);
    expect(parseEnv({ ...production, ...EXPORT_KEY }).EXPORT_SECRET).toBe(EXPORT_KEY.EXPORT_SECRET);
    expect(() => parseEnv({ ...production, EXPORT_SECRET: Buffer.alloc(31).toString("base64") })).toThrow(/EXPORT_SECRET: must be base64 of at least 32 random bytes/);
    expect(parseEnv({}).EXPORT_SECRET).toBeUndefined();
  });

  it("gives the log an origin outside production: LOG_ORIGIN, else the key's name, else the portal's host name (not its port) and /log", () => {
    expect(parseEnv({}).logOrigin).toBe("localhost/log");
    expect(parseEnv({ PORT: "3456" }).logOrigin).toBe("localhost/log");
    expect(parseEnv({ AUTH_URL: "http://127.0.0.1:3100/portal/" }).logOrigin).toBe("127.0.0.1/portal/log");
    expect(parseEnv({ LOG_SIGNING_KEY: LOG_KEY.LOG_SIGNING_KEY }).logOrigin).toBe("trialledger.example/log");
    expect(parseEnv({ LOG_ORIGIN: "dev.example/log" }).logOrigin).toBe("dev.example/log");
  });

  it("holds consent decisions until a group of 10 by default, 2 in the development demo, or as configured", () => {
    expect(parseEnv({ APP_ENV: "test" }).consentMinGroupSize).toBe(10);
    expect(parseEnv({ APP_ENV: "development" }).consentMinGroupSize).toBe(2);
    expect(parseEnv({ APP_ENV: "test", CONSENT_MIN_GROUP_SIZE: "25" }).consentMinGroupSize).toBe(25);
    expect(() => parseEnv({ CONSENT_MIN_GROUP_SIZE: "0" })).toThrow(/CONSENT_MIN_GROUP_SIZE/);
  });
});

describe("where the portal listens", () => {
  it("listens on loopback by default, with the development mailbox on", () => {
    expect(parseEnv({})).toMatchObject({ host: "127.0.0.1", devMailbox: true, TRUSTED_PROXY_HOPS: 0 });
  });

  it("turns the development mailbox off on a network address, and in production", () => {
    expect(parseEnv({ HOST: "0.0.0.0" })).toMatchObject({ host: "0.0.0.0", devMailbox: false });
    expect(parseEnv({ HOST: "::" }).devMailbox).toBe(false);
    expect(parseEnv({ HOST: "localhost" }).devMailbox).toBe(true);
    const production = parseEnv({
      APP_ENV: "production",
      AUTH_SECRET: "k3J9vQ2mX7pL0sT4wY8zB1nC5dF6gH0aR",
      CHAIN_RPC_URL: "http://chain.internal:8545",
      RELAYER_PRIVATE_KEY: `0x${"1".repeat(63)}2`,
      AUTH_URL: "https://portal.example.org",
      ...LOG_KEY,
      ...VISA_KEY,
      ...EXPORT_KEY,
    });
    expect(production.devMailbox).toBe(false);
  });

  it("refuses a proxy hop count that is not a small whole number", () => {
    expect(parseEnv({ TRUSTED_PROXY_HOPS: "2" }).TRUSTED_PROXY_HOPS).toBe(2);
    expect(() => parseEnv({ TRUSTED_PROXY_HOPS: "-1" })).toThrow(ConfigError);
    expect(() => parseEnv({ TRUSTED_PROXY_HOPS: "many" })).toThrow(/TRUSTED_PROXY_HOPS/);
  });
});
