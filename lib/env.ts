import path from "node:path";
import { z } from "zod";
import { isLoopbackHost } from "@/lib/net/address";

/**
 * The portal's configuration, validated once. Every default makes the embedded mode work with no
 * `.env` at all: PGlite under `.data/`, a local anvil chain started by `npm start`.
 *
 * `APP_ENV` is separate from NODE_ENV because `next start` always runs with NODE_ENV=production,
 * also for the embedded demo; APP_ENV=production is what turns on the production checks
 * (strong secret, no development mailbox, HSTS).
 */

/** anvil's well-known first dev account. Public knowledge: accepted only outside production. */
export const ANVIL_DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

/**
 * A decision proven over a group of n members hides its maker among n people at most: with one
 * member, the proof's root is that member's commitment. 10 follows the small-cell rule of health
 * statistics (counts under 10–11 are suppressed, e.g. CMS's 11): the trial team knows who enrolled,
 * so the group is exactly the set of people a decision could be from.
 */
export const CONSENT_MIN_GROUP_SIZE_DEFAULT = 10;

const emptyToUndefined = (v: unknown) => (v === "" ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
/**
 * A log signing key in the form golang.org/x/mod/sumdb/note writes and reads
 * (`PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 ‖ 32-byte Ed25519 seed)>`), so a key made by
 * `npx trialledger log keygen` or by Go's note.GenerateKey serves alike. lib/log/signing-key.ts
 * checks the key ID.
 */
const noteSignerKey = z
  .string()
  .regex(/^PRIVATE\+KEY\+[^\s+]+\+[0-9a-f]{8}\+A[A-Za-z0-9+/]{43}$/, "must be PRIVATE+KEY+<name>+<hex key ID>+<base64 Ed25519 seed> (npx trialledger log keygen <origin>)");
/** A checkpoint origin as tlog-checkpoint recommends: a schema-less URL, no space, no '+'. */
const logOrigin = z.string().max(200).regex(/^[^\s+]+$/, "must be a schema-less URL with no space or '+', e.g. trials.example.org/log");
/**
 * The visa signing key (lib/access/visa-key.ts): a private P-256 JWK as JSON, one line, as
 * `npx trialledger visa keygen` prints it. Checked here for its shape, so a PEM or a public JWK
 * stops the start with a message; lib/access/visa-key.ts checks that x and y belong to d.
 */
const exportSecret = z
  .string()
  .refine((text) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(text.trim()) && Buffer.from(text.trim().replaceAll("-", "+").replaceAll("_", "/"), "base64").length >= 32, "must be base64 of at least 32 random bytes (openssl rand -base64 32)");
const visaSigningKey = z.string().refine((text) => {
  try {
    const jwk = JSON.parse(text) as Record<string, unknown> | null;
    return jwk?.kty === "EC" && jwk.crv === "P-256" && ["x", "y", "d"].every((k) => typeof jwk[k] === "string" && /^[A-Za-z0-9_-]{43}$/.test(jwk[k]));
  } catch {
    return false;
  }
}, 'must be a private P-256 JWK as JSON, {"kty":"EC","crv":"P-256","x":…,"y":…,"d":…} (npx trialledger visa keygen)');
const privateKey = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "must be a 0x-prefixed 32-byte hex private key");

const schema = z
  .object({
    APP_ENV: z.enum(["development", "test", "production"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    /**
     * The address `npm start` listens on. Loopback unless set: the development mailbox and the demo
     * accounts must not be reachable from the network (issue 8, point 1). `0.0.0.0` or `::` for a
     * container or a proxy on another machine.
     */
    HOST: optionalString,
    /**
     * How many reverse proxies in front of the portal append to X-Forwarded-For. 0: clients connect
     * directly and the socket address is the client (lib/net/address.ts).
     */
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    DATA_DIR: z.string().default(".data"),
    DATABASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection string")
        .optional(),
    ),
    /** Where the embedded database lives; `memory://` gives a throw-away one (tests). */
    PGLITE_DIR: optionalString,
    CHAIN_RPC_URL: z.preprocess(emptyToUndefined, z.url().optional()),
    /** The RPC visitors' browsers use on the verifier page (defaults to CHAIN_RPC_URL); CSP allows it. */
    CHAIN_PUBLIC_RPC_URL: z.preprocess(emptyToUndefined, z.url().optional()),
    RELAYER_PRIVATE_KEY: z.preprocess(emptyToUndefined, privateKey.optional()),
    DEPLOYER_PRIVATE_KEY: z.preprocess(emptyToUndefined, privateKey.optional()),
    /** 1 suits a dev chain; public networks want more (12 on Ethereum mainnet for practical finality). */
    CHAIN_CONFIRMATIONS: z.coerce.number().int().min(0).max(100).default(1),
    DEPLOYMENTS_FILE: optionalString,
    AUTH_SECRET: optionalString,
    /**
     * The transparency log's Ed25519 signing key (lib/log/signing-key.ts). Outside production a
     * missing one is generated once into the data directory, like the auth secret.
     */
    LOG_SIGNING_KEY: z.preprocess(emptyToUndefined, noteSignerKey.optional()),
    /**
     * The ES256 key that signs GA4GH Passport visas (lib/access/visa-key.ts, docs/visas.md), apart
     * from the log's key. Outside production a missing one is generated once into the data directory.
     */
    VISA_SIGNING_KEY: z.preprocess(emptyToUndefined, visaSigningKey.optional()),
    /**
     * The secret the per-grant export pseudonym keys are derived from (lib/exports/keys.ts), base64
     * of ≥ 32 random bytes. Outside production a missing one is generated once into the data directory.
     */
    EXPORT_SECRET: z.preprocess(emptyToUndefined, exportSecret.optional()),
    /** The checkpoint origin (default: the key's name, or `<AUTH_URL host>/log` in development). */
    LOG_ORIGIN: z.preprocess(emptyToUndefined, logOrigin.optional()),
    AUTH_URL: z.preprocess(emptyToUndefined, z.url().optional()),
    /** A session unused this long ends (docs/security/sessions.md: 60 = NIST SP 800-63B AAL2's inactivity limit). */
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(60),
    /** A session ends this long after sign-in however busy (12: a long working day, half AAL2's 24 h bound). */
    SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(30 * 24).default(12),
    DEMO_SEED: z.preprocess(emptyToUndefined, z.enum(["true", "false"]).optional()),
    /**
     * Where the anchoring worker runs: inside the server (one instance), `external` (started on its
     * own with scripts/anchoring-worker.ts, for several server instances), or `off`.
     */
    ANCHOR_WORKER: z.enum(["embedded", "external", "off"]).default("embedded"),
    /** 1,000 digests per root: the transaction costs the same as for one, a path is 10 hashes. */
    ANCHOR_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(1000),
    /** A smaller batch is anchored once its oldest digest waited this long: receipts within seconds. */
    ANCHOR_BATCH_AGE_MS: z.coerce.number().int().min(0).default(5_000),
    ANCHOR_POLL_MS: z.coerce.number().int().min(100).default(2_000),
    /**
     * A confirmed anchor is re-checked against the chain (reorganised away → anchored again, new
     * receipts) until its block is this many blocks deep and, where the chain reports finality,
     * finalized. 64: two Ethereum epochs, after which a block is finalized; docs/security/anchoring.md.
     */
    ANCHOR_FINALITY_DEPTH: z.coerce.number().int().min(1).max(10_000).default(64),
    /**
     * Per organisation, the megabytes (2^20 bytes) of uploads not yet attached to a trial. 500: ten
     * files at the 50 MB upload limit, a protocol and an analysis plan for a few registrations in
     * preparation at once; attached files do not count (they are the public record).
     */
    UPLOAD_QUOTA_MB: z.coerce.number().int().min(1).max(1_000_000).default(500),
    /**
     * Per organisation (and per uploader), the gibibytes of dataset files uploaded and not yet in a
     * release. 100: five files at the 20 GiB limit, one large release in preparation; counted apart
     * from UPLOAD_QUOTA_MB so that neither kind of upload crowds out the other.
     */
    DATASET_UPLOAD_QUOTA_GB: z.coerce.number().int().min(1).max(1_000_000).default(100),
    /** An upload never attached to a trial is removed after this many hours: a day to finish a registration form. */
    UPLOAD_MAX_AGE_HOURS: z.coerce.number().int().min(1).max(24 * 365).default(24),
    /**
     * The smallest group a consent decision may be proven over (its anonymity set). Unset: 10, or 2
     * under APP_ENV=development (the demo, enrolled from one or two devices). See docs/consent.md.
     */
    CONSENT_MIN_GROUP_SIZE: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1_000_000).optional()),
    /**
     * The blob store (lib/blobs): an S3-compatible bucket when S3_ENDPOINT and S3_BUCKET are set
     * (both or neither), else a folder in DATA_DIR. Credentials: both keys, or neither (then the AWS
     * SDK's own chain: environment, profile, instance role).
     */
    S3_ENDPOINT: z.preprocess(emptyToUndefined, z.url().optional()),
    S3_BUCKET: z.preprocess(emptyToUndefined, z.string().min(3).max(63).optional()),
    S3_REGION: z.preprocess(emptyToUndefined, z.string().default("us-east-1")),
    S3_ACCESS_KEY_ID: optionalString,
    S3_SECRET_ACCESS_KEY: optionalString,
    /** Path-style URLs (`endpoint/bucket/key`), as MinIO, s3rver and most self-hosted stores need. */
    S3_FORCE_PATH_STYLE: z.preprocess(emptyToUndefined, z.enum(["true", "false"]).default("false")),
  })
  .superRefine((env, ctx) => {
    if ((env.S3_ENDPOINT === undefined) !== (env.S3_BUCKET === undefined)) {
      ctx.addIssue({ code: "custom", path: [env.S3_ENDPOINT ? "S3_BUCKET" : "S3_ENDPOINT"], message: "S3_ENDPOINT and S3_BUCKET go together (both for S3, neither for the data directory)" });
    }
    if ((env.S3_ACCESS_KEY_ID === undefined) !== (env.S3_SECRET_ACCESS_KEY === undefined)) {
      ctx.addIssue({ code: "custom", path: [env.S3_ACCESS_KEY_ID ? "S3_SECRET_ACCESS_KEY" : "S3_ACCESS_KEY_ID"], message: "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together" });
    }
    if (env.SESSION_IDLE_MINUTES > env.SESSION_ABSOLUTE_HOURS * 60) {
      ctx.addIssue({ code: "custom", path: ["SESSION_IDLE_MINUTES"], message: "must not exceed SESSION_ABSOLUTE_HOURS" });
    }
    // tlog-checkpoint: the log's key name SHOULD be its origin; clients find the key by that name.
    const keyName = env.LOG_SIGNING_KEY?.split("+")[2];
    if (keyName !== undefined && env.LOG_ORIGIN !== undefined && keyName !== env.LOG_ORIGIN) {
      ctx.addIssue({ code: "custom", path: ["LOG_SIGNING_KEY"], message: `the key is named ${keyName}, not LOG_ORIGIN (${env.LOG_ORIGIN})` });
    }
    if (env.APP_ENV !== "production") return;
    // Session and CSRF cookies are __Host-/__Secure- (Secure) in production: over http the browser
    // would drop them, and a password or session would cross the network in clear.
    if (!env.AUTH_URL || new URL(env.AUTH_URL).protocol !== "https:") {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_URL"],
        message: "production needs the portal's public https:// address (TLS may end at a proxy in front of it)",
      });
    }
    // 32 characters: Auth.js derives its JWE key from this; `openssl rand -base64 33` gives 44.
    if (!env.AUTH_SECRET || env.AUTH_SECRET.length < 32 || new Set(env.AUTH_SECRET).size < 10) {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_SECRET"],
        message: "production needs a random secret of at least 32 characters (openssl rand -base64 33)",
      });
    }
    // A generated key would change with each data directory: every checkpoint signed before would
    // stop verifying, and a verifier could not tell a new key from a forger's.
    if (!env.LOG_SIGNING_KEY) {
      ctx.addIssue({ code: "custom", path: ["LOG_SIGNING_KEY"], message: "production needs the log's own signing key (npx trialledger log keygen <origin>)" });
    }
    // A generated key changes with the data directory: every visa issued before would stop
    // verifying against the JWKS, and clearinghouses would refuse researchers' passports.
    if (!env.VISA_SIGNING_KEY) {
      ctx.addIssue({ code: "custom", path: ["VISA_SIGNING_KEY"], message: "production needs the visa signing key of its own, a private P-256 JWK (npx trialledger visa keygen)" });
    }
    // A generated secret changes with the data directory: the next export of a grant would re-key
    // its participants, and the researcher could no longer find the rows a deletion notice names.
    if (!env.EXPORT_SECRET) {
      ctx.addIssue({ code: "custom", path: ["EXPORT_SECRET"], message: "production needs the export secret of its own (openssl rand -base64 32)" });
    }
    if (!env.LOG_ORIGIN) {
      ctx.addIssue({ code: "custom", path: ["LOG_ORIGIN"], message: "production needs the log's origin, e.g. trials.example.org/log" });
    }
    if (!env.CHAIN_RPC_URL) {
      ctx.addIssue({ code: "custom", path: ["CHAIN_RPC_URL"], message: "production needs an EVM JSON-RPC endpoint" });
    }
    if (!env.RELAYER_PRIVATE_KEY || env.RELAYER_PRIVATE_KEY.toLowerCase() === ANVIL_DEV_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["RELAYER_PRIVATE_KEY"],
        message: "production needs the relayer's own private key (never anvil's public dev key)",
      });
    }
  });

/** Where the blob store keeps files in S3 mode (lib/blobs/s3.ts). */
export type S3Config = {
  endpoint: string;
  bucket: string;
  region: string;
  forcePathStyle: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
};

export type Env = z.infer<typeof schema> & {
  /** Set when S3_ENDPOINT and S3_BUCKET are: the blob store and resumable uploads use the bucket. */
  s3?: S3Config;
  dataDir: string;
  pgliteDir: string;
  deploymentsFile: string;
  databaseKind: "pglite" | "postgresql";
  /** Where the server listens: HOST, or loopback. */
  host: string;
  /**
   * Whether mail is kept in the development mailbox (/api/dev/mailbox): outside production, and
   * only while the portal listens on loopback (anyone who reaches it could read sign-in links).
   */
  devMailbox: boolean;
  relayerKey: string;
  authUrl: string;
  demoSeed: boolean;
  consentMinGroupSize: number;
  /** The transparency log's checkpoint origin. */
  logOrigin: string;
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Validates `source` and derives the paths and defaults. Throws ConfigError listing every problem. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join(".") || "(config)"}: ${i.message}`);
    throw new ConfigError(`TrialLedger configuration is invalid:\n${lines.join("\n")}`);
  }
  const env = result.data;
  // turbopackIgnore: these are run-time data paths, not sources for the build to trace.
  const dataDir = path.resolve(/*turbopackIgnore: true*/ env.DATA_DIR);
  const host = env.HOST ?? "127.0.0.1";
  const authUrl = env.AUTH_URL ?? `http://localhost:${env.PORT}`;
  const s3: S3Config | undefined =
    env.S3_ENDPOINT && env.S3_BUCKET
      ? {
          endpoint: env.S3_ENDPOINT,
          bucket: env.S3_BUCKET,
          region: env.S3_REGION,
          forcePathStyle: env.S3_FORCE_PATH_STYLE === "true",
          ...(env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY ? { credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY } } : {}),
        }
      : undefined;
  return {
    ...env,
    ...(s3 ? { s3 } : {}),
    host,
    devMailbox: env.APP_ENV !== "production" && isLoopbackHost(host),
    dataDir,
    pgliteDir:
      env.PGLITE_DIR === "memory://" ? "memory://" : path.resolve(/*turbopackIgnore: true*/ env.PGLITE_DIR ?? path.join(dataDir, "pglite")),
    deploymentsFile: path.resolve(/*turbopackIgnore: true*/ env.DEPLOYMENTS_FILE ?? path.join(dataDir, "deployments.json")),
    databaseKind: env.DATABASE_URL ? "postgresql" : "pglite",
    relayerKey: env.RELAYER_PRIVATE_KEY ?? ANVIL_DEV_KEY,
    authUrl,
    demoSeed: env.DEMO_SEED ? env.DEMO_SEED === "true" : env.APP_ENV === "development",
    consentMinGroupSize: env.CONSENT_MIN_GROUP_SIZE ?? (env.APP_ENV === "development" ? 2 : CONSENT_MIN_GROUP_SIZE_DEFAULT),
    logOrigin: env.LOG_ORIGIN ?? env.LOG_SIGNING_KEY?.split("+")[2] ?? defaultLogOrigin(authUrl),
  };
}

/**
 * `<hostname>[/<path>]/log`: tlog-tiles asks for the origin to be the log's URL prefix without its
 * scheme, and the portal serves the log under /log. The port is left out: the origin names the log
 * its key and its on-chain witness are made for, and a development portal moved to another port
 * (or started by a test on a free one) is still the same log. Production sets LOG_ORIGIN.
 */
function defaultLogOrigin(authUrl: string): string {
  const url = new URL(authUrl);
  return `${url.hostname}${url.pathname.replace(/\/+$/, "")}/log`;
}

let cached: Env | undefined;

/** The process's configuration, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * For entry points (the server's start-up, scripts): the configuration, or exit 1 after printing
 * every problem under `heading`. Never returns on invalid configuration.
 */
export function envOrExit(heading = "TrialLedger cannot start."): Env {
  try {
    return env();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`\n${heading}\n${error.message}\n`);
    process.exit(1);
  }
}
