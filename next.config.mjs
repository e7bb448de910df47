/**
 * Next.js configuration. Security headers that do not change per request are set here; the CSP
 * (with a per-request nonce) and HSTS (production only) are set in proxy.ts.
 * @type {import('next').NextConfig}
 */
const nextConfig = {
  poweredByHeader: false,
  experimental: {
    // The register and amend forms send a whole trial record through a server action: a record at
    // every bound is about 1.05 MB of JSON (lib/registry/schema.ts TRIAL_RECORD_BODY_LIMIT), past
    // Next's 1 MB default. 2 MB matches the API's limit for the same record.
    serverActions: { bodySizeLimit: "2mb" },
  },
  // These load WASM or native code at run time and must not be bundled.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/schema-engine-wasm",
    "@node-rs/argon2",
    "pg",
    // snarkjs (under Semaphore's proof verification) loads WASM and starts worker threads.
    "@semaphore-protocol/core",
    "@semaphore-protocol/proof",
    "snarkjs",
    "ffjavascript",
  ],
  outputFileTracingIncludes: {
    "/**": ["./prisma/migrations/**/*", "./node_modules/@electric-sql/pglite/dist/**/*"],
  },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), interest-cohort=()" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
