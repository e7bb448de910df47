import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma's CLI only generates the client here: migrations are applied in-process (lib/migrate.ts)
// and created with scripts/db-migration.ts, because the native schema engine cannot be downloaded
// on the machines that build TrialLedger (see docs/decisions.md). `env("DATABASE_URL")` would throw
// when it is unset, so the embedded mode reads process.env directly.
export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://embedded/trialledger" },
});
