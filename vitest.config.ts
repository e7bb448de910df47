import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * Three tiers, each with an explicit include so Playwright's e2e/ specs are never picked up:
 * - unit: lib/**\/*.test.ts — pure logic, no database, no chain;
 * - integration: **\/*.int.test.ts — the real database (PGlite in memory, or DATABASE_URL) and anvil;
 * - contracts: contracts/**\/*.test.ts — the Solidity contracts on anvil;
 * - system: scripts/**\/*.system.test.ts — `npm start` itself: fresh start, Ctrl-C, restart.
 */
const alias = {
  "@": path.resolve(import.meta.dirname),
  // `server-only` throws outside React Server Components; tests run server code directly.
  "server-only": path.resolve(import.meta.dirname, "scripts/lib/empty-module.ts"),
};

// next-auth imports "next/server" without an extension, which Node's ESM resolver refuses;
// letting Vite transform it resolves the import as Next's bundler would.
const server = { deps: { inline: ["next-auth", "@auth/core"] } };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "app/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "**/*.system.test.ts", "node_modules/**"],
          environment: "node",
          server,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["**/*.int.test.ts"],
          exclude: ["node_modules/**", ".next/**", ".data/**"],
          environment: "node",
          server,
          globalSetup: ["scripts/test/integration-setup.ts"],
          setupFiles: ["scripts/test/integration-env.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Files share one anvil; PGlite runs in memory per file, PostgreSQL is shared.
          fileParallelism: true,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "contracts",
          include: ["contracts/**/*.test.ts"],
          environment: "node",
          server,
          globalSetup: ["contracts/test/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "system",
          include: ["scripts/**/*.system.test.ts"],
          environment: "node",
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
