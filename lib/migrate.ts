import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import type pg from "pg";

/**
 * Applies prisma/migrations to PostgreSQL or PGlite, like `prisma migrate deploy` (whose native
 * engine cannot be downloaded here), writing the same `_prisma_migrations` rows so the Prisma CLI
 * recognises the history on a machine that has it.
 *
 * - Each migration runs in its own transaction together with its history row: a failing
 *   migration is rolled back and never recorded as applied.
 * - On PostgreSQL the run holds Prisma's advisory lock (72707369), so two instances starting at
 *   once apply each migration exactly once.
 * - A migration whose file changed after it was applied stops the run: the database and the
 *   repository disagree and a person has to decide.
 */

export type Migration = { name: string; sql: string; checksum: string };

export type MigrationState = { applied: string[]; pending: string[] };

export class MigrationError extends Error {
  override name = "MigrationError";
  constructor(
    message: string,
    readonly migration?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Prisma's own advisory-lock key, so a Prisma CLI run elsewhere waits for us and we for it. */
const ADVISORY_LOCK_KEY = 72707369;

const HISTORY_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export const DEFAULT_MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");

/** Reads the migrations directory in name order (names start with a UTC timestamp). */
export function readMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Migration[] {
  // The migrations are shipped with the server (next.config.mjs outputFileTracingIncludes).
  if (!fs.existsSync(/*turbopackIgnore: true*/ dir)) return [];
  return fs
    .readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

type Row = Record<string, unknown>;

/** The few operations the runner needs, over either driver. */
type Runner = {
  query(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs `work` in one transaction; a thrown error rolls it back. */
  transaction(work: (exec: (script: string) => Promise<void>, query: Runner["query"]) => Promise<void>): Promise<void>;
  release(): Promise<void>;
};

export type MigrationTarget = { kind: "pglite"; pglite: PGlite } | { kind: "postgresql"; pool: pg.Pool };

async function runnerFor(target: MigrationTarget): Promise<Runner> {
  if (target.kind === "pglite") {
    const db = target.pglite;
    const query = async (sql: string, params?: unknown[]) => (await db.query<Row>(sql, params)).rows;
    return {
      query,
      async transaction(work) {
        await db.transaction(async (tx: Transaction) => {
          await work(
            async (script) => {
              await tx.exec(script);
            },
            async (sql, params) => (await tx.query<Row>(sql, params)).rows,
          );
        });
      },
      async release() {},
    };
  }
  const client = await target.pool.connect();
  const query = async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[];
  return {
    query,
    async transaction(work) {
      await client.query("BEGIN");
      try {
        await work(
          async (script) => {
            await client.query(script);
          },
          query,
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    },
    async release() {
      client.release();
    },
  };
}

async function appliedRows(runner: Runner): Promise<Map<string, string>> {
  const rows = await runner.query(
    `SELECT "migration_name", "checksum", "finished_at", "rolled_back_at" FROM "_prisma_migrations" ORDER BY "started_at"`,
  );
  const applied = new Map<string, string>();
  for (const row of rows) {
    const name = String(row.migration_name);
    if (row.rolled_back_at !== null) continue;
    if (row.finished_at === null) {
      throw new MigrationError(
        `Migration ${name} was started but never finished (a failed run of another tool). ` +
          "Resolve it by hand before the portal can start.",
        name,
      );
    }
    applied.set(name, String(row.checksum));
  }
  return applied;
}

/** Which migrations the database has and which it still needs. Does not change anything. */
export async function migrationState(
  target: MigrationTarget,
  migrations: Migration[] = readMigrations(),
): Promise<MigrationState> {
  const runner = await runnerFor(target);
  try {
    const exists = await runner.query(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS "exists"`);
    const applied = exists[0]?.exists === true ? await appliedRows(runner) : new Map<string, string>();
    return {
      applied: [...applied.keys()],
      pending: migrations.filter((m) => !applied.has(m.name)).map((m) => m.name),
    };
  } finally {
    await runner.release();
  }
}

/** PGlite has no advisory locks worth the name (one connection); runs on one instance queue here. */
const pgliteQueues = new WeakMap<PGlite, Promise<unknown>>();

/**
 * Applies every pending migration, in order. Returns the names applied (empty when up to date).
 * @throws MigrationError naming the migration that failed or was modified; nothing of a failed
 *   migration is kept.
 */
export function applyMigrations(target: MigrationTarget, migrations: Migration[] = readMigrations()): Promise<string[]> {
  if (target.kind === "postgresql") return applyLocked(target, migrations);
  const previous = pgliteQueues.get(target.pglite) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => applyLocked(target, migrations));
  pgliteQueues.set(target.pglite, run);
  return run;
}

async function applyLocked(target: MigrationTarget, migrations: Migration[]): Promise<string[]> {
  const runner = await runnerFor(target);
  const locked = target.kind === "postgresql";
  try {
    if (locked) await runner.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
    await runner.query(HISTORY_TABLE);
    const applied = await appliedRows(runner);
    for (const [name, checksum] of applied) {
      const local = migrations.find((m) => m.name === name);
      if (local && local.checksum !== checksum) {
        throw new MigrationError(
          `Migration ${name} was changed after it was applied to this database. ` +
            "Restore the original file and put the change in a new migration (npm run db:migration -- <name>).",
          name,
        );
      }
    }
    const done: string[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      try {
        await runner.transaction(async (exec, query) => {
          await exec(migration.sql);
          await query(
            `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "started_at", "finished_at", "applied_steps_count")
             VALUES ($1, $2, $3, now(), now(), 1)`,
            [randomUUID(), migration.checksum, migration.name],
          );
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new MigrationError(
          `Migration ${migration.name} failed and was rolled back: ${reason}`,
          migration.name,
          { cause: error },
        );
      }
      done.push(migration.name);
    }
    return done;
  } finally {
    if (locked) await runner.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}

/** Drops the current schema with everything in it and recreates it empty (npm run db:reset). */
export async function resetSchema(target: MigrationTarget): Promise<void> {
  const runner = await runnerFor(target);
  try {
    await runner.transaction(async (exec) => {
      await exec(`DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;`);
    });
  } finally {
    await runner.release();
  }
}
