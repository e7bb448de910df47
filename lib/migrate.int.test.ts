import { randomBytes } from "node:crypto";
import { newPGlite } from "@/lib/pglite";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { MigrationError, type Migration, type MigrationTarget, applyMigrations, migrationState, readMigrations } from "@/lib/migrate";
import { createHash } from "node:crypto";

/**
 * Each test gets a database of its own: a fresh in-memory PGlite, or with DATABASE_URL a
 * throw-away database on that server (dropped afterwards).
 */
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function freshTargets(count: number): Promise<MigrationTarget[]> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const pglite = newPGlite();
    cleanups.push(() => pglite.close());
    return Array.from({ length: count }, () => ({ kind: "pglite", pglite }));
  }
  const name = `tl_migrate_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const pools = Array.from({ length: count }, () => {
    const pool = new pg.Pool({ connectionString: target.toString(), max: 2 });
    pool.on("error", () => undefined); // DROP DATABASE … WITH (FORCE) below ends lingering sockets
    return pool;
  });
  cleanups.push(async () => {
    for (const pool of pools) await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });
  return pools.map((pool) => ({ kind: "postgresql", pool }));
}

function migration(name: string, sql: string): Migration {
  return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
}

async function tables(target: MigrationTarget): Promise<string[]> {
  const sql = `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`;
  const rows = target.kind === "pglite" ? (await target.pglite.query<{ tablename: string }>(sql)).rows : (await target.pool.query<{ tablename: string }>(sql)).rows;
  return rows.map((r) => r.tablename);
}

describe("migrations", () => {
  it("applies the project's migrations to an empty database once, recording them as Prisma does", async () => {
    const [target] = await freshTargets(1);
    if (!target) throw new Error("no target");
    const all = readMigrations();
    expect(all.length).toBeGreaterThan(0);
    expect(await applyMigrations(target)).toEqual(all.map((m) => m.name));
    expect(await tables(target)).toEqual(expect.arrayContaining(["User", "Organization", "_prisma_migrations"]));
    expect(await applyMigrations(target)).toEqual([]);
    expect(await migrationState(target)).toEqual({ applied: all.map((m) => m.name), pending: [] });
  });

  it("rolls back a failing migration entirely and never records it", async () => {
    const [target] = await freshTargets(1);
    if (!target) throw new Error("no target");
    const good = migration("20260101000000_good", `CREATE TABLE "Good" ("id" TEXT PRIMARY KEY);`);
    const bad = migration(
      "20260102000000_bad",
      `CREATE TABLE "HalfDone" ("id" TEXT PRIMARY KEY);\nALTER TABLE "Missing" ADD COLUMN "x" TEXT;`,
    );
    const run = applyMigrations(target, [good, bad]);
    await expect(run).rejects.toBeInstanceOf(MigrationError);
    await expect(applyMigrations(target, [good, bad])).rejects.toThrow(/20260102000000_bad failed and was rolled back/);
    expect(await tables(target)).toContain("Good");
    expect(await tables(target)).not.toContain("HalfDone");
    expect(await migrationState(target, [good, bad])).toEqual({ applied: [good.name], pending: [bad.name] });

    // Fixed, it applies.
    const fixed = migration(bad.name, `CREATE TABLE "HalfDone" ("id" TEXT PRIMARY KEY);`);
    expect(await applyMigrations(target, [good, fixed])).toEqual([bad.name]);
  });

  it("stops when an applied migration was edited afterwards", async () => {
    const [target] = await freshTargets(1);
    if (!target) throw new Error("no target");
    const original = migration("20260101000000_a", `CREATE TABLE "A" ("id" TEXT PRIMARY KEY);`);
    await applyMigrations(target, [original]);
    const edited = migration(original.name, `CREATE TABLE "A" ("id" TEXT PRIMARY KEY, "extra" TEXT);`);
    await expect(applyMigrations(target, [edited])).rejects.toThrow(/was changed after it was applied/);
  });

  it("applies each migration exactly once when several instances start at once", async () => {
    const targets = await freshTargets(4);
    const results = await Promise.all(targets.map((t) => applyMigrations(t)));
    const all = readMigrations().map((m) => m.name);
    // Exactly one instance applied each migration; the others found it done.
    expect(results.flat().sort()).toEqual([...all].sort());
    const first = targets[0];
    if (!first) throw new Error("no target");
    const sql = `SELECT migration_name FROM "_prisma_migrations"`;
    const rows = first.kind === "pglite" ? (await first.pglite.query(sql)).rows : (await first.pool.query(sql)).rows;
    expect(rows).toHaveLength(all.length);
  });
});

describe("db:reset", () => {
  it("drops everything and the migrations rebuild the schema", async () => {
    const [target] = await freshTargets(1);
    if (!target) throw new Error("no target");
    await applyMigrations(target);
    const { resetSchema } = await import("@/lib/migrate");
    await resetSchema(target);
    expect(await tables(target)).toEqual([]);
    expect(await applyMigrations(target)).toEqual(readMigrations().map((m) => m.name));
    expect(await tables(target)).toContain("User");
  });
});
