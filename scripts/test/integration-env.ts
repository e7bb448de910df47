// Runs in every integration test file before its tests: brings the file's database to the
// current schema. With PGlite each file has its own in-memory database; with DATABASE_URL all
// files share the run's database, where applying is a no-op after the first (advisory lock).
import { afterAll, beforeAll } from "vitest";
import { closeDatabase, migrationTarget } from "@/lib/db";
import { applyMigrations } from "@/lib/migrate";

beforeAll(async () => {
  await applyMigrations(migrationTarget());
});

afterAll(async () => {
  await closeDatabase();
});
