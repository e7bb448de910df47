// Runs in every integration test file before its tests: gives the file a database of its own at
// the current schema. With PGlite that is an in-memory database; with DATABASE_URL (the run's
// database, made by .ci/run) a database created on that server for this file and dropped after,
// so a file that empties tables (demo:reset) cannot disturb another running at the same time.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { closeDatabase, migrationTarget } from "@/lib/db";
import { applyMigrations } from "@/lib/migrate";

const serverUrl = process.env.DATABASE_URL;
const fileDatabase = serverUrl ? `${new URL(serverUrl).pathname.slice(1)}_f${randomBytes(4).toString("hex")}` : undefined;

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  if (serverUrl && fileDatabase) {
    await admin((c) => c.query(`CREATE DATABASE "${fileDatabase}"`));
    const url = new URL(serverUrl);
    url.pathname = `/${fileDatabase}`;
    process.env.DATABASE_URL = url.toString(); // read by lib/env.ts on first use, which is below
  }
  await applyMigrations(migrationTarget());
});

afterAll(async () => {
  await closeDatabase();
  if (serverUrl && fileDatabase) {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${fileDatabase}" WITH (FORCE)`));
    process.env.DATABASE_URL = serverUrl;
  }
});
