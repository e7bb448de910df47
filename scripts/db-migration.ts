/**
 * `npm run db:migration -- <name>`: creates prisma/migrations/<UTC timestamp>_<name>/migration.sql
 * from the difference between the existing migrations and prisma/schema.prisma. It replaces
 * `prisma migrate dev --create-only`, whose native schema engine cannot be downloaded here; it
 * needs no database server (see scripts/lib/migration-diff.ts).
 */
import { access, mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  describeError,
  MIGRATION_LOCK_CONTENT,
  MIGRATION_LOCK_FILE,
  planMigration,
} from "./lib/migration-diff.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SCHEMA_PATH = path.join(ROOT, "prisma", "schema.prisma");
const MIGRATIONS_DIR = path.join(ROOT, "prisma", "migrations");

const NAME_PATTERN = /^[a-z0-9_]{1,60}$/;
const USAGE = "Usage: npm run db:migration -- <name>\n  <name>: 1–60 lowercase letters, digits or underscores, e.g. add_trial_status";

class UsageError extends Error {}

/** Prisma's migration directory prefix: the UTC time as YYYYMMDDHHMMSS. */
function migrationTimestamp(now: Date): string {
  return now.toISOString().replace(/\D/g, "").slice(0, 14);
}

function parseName(args: string[]): string {
  // npm passes a literal "--" through when the script itself forwards arguments.
  const positional = args.filter((arg) => arg !== "--");
  if (positional.includes("-h") || positional.includes("--help")) throw new UsageError(USAGE);
  if (positional.length !== 1) throw new UsageError(`Expected exactly one migration name.\n${USAGE}`);
  const name = positional[0] ?? "";
  if (!NAME_PATTERN.test(name)) {
    throw new UsageError(`Invalid migration name ${JSON.stringify(name)}.\n${USAGE}`);
  }
  return name;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

function relative(file: string): string {
  return path.relative(process.cwd(), file) || ".";
}

async function main(args: string[]): Promise<number> {
  const name = parseName(args);
  const started = performance.now();
  const plan = await planMigration({
    migrationsDir: MIGRATIONS_DIR,
    schemaPath: SCHEMA_PATH,
    onEngineLog: process.env.DB_MIGRATION_DEBUG ? (line) => console.error(line) : undefined,
  });

  if (plan.sql === "") {
    console.log("No schema changes: no migration created.");
    return 0;
  }

  const dir = path.join(MIGRATIONS_DIR, `${migrationTimestamp(new Date())}_${name}`);
  const file = path.join(dir, "migration.sql");
  await mkdir(MIGRATIONS_DIR, { recursive: true });
  // The lock file first: if it cannot be written, no migration exists without it.
  const lockFile = path.join(MIGRATIONS_DIR, MIGRATION_LOCK_FILE);
  if (!(await exists(lockFile))) {
    await writeFile(lockFile, MIGRATION_LOCK_CONTENT, { encoding: "utf8", flag: "wx" });
    console.log(`Created ${relative(lockFile)}`);
  }
  // Not recursive: a second run within the same second must fail, not overwrite.
  await mkdir(dir).catch((error: unknown) => {
    throw new Error(`Cannot create ${relative(dir)}: ${describeError(error)}`);
  });
  try {
    await writeFile(file, plan.sql, "utf8");
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  console.log(plan.summary);
  console.log(`\nCreated ${relative(file)} (${Math.round(performance.now() - started)} ms; verified on an empty PGlite with all earlier migrations)`);
  console.log("Review it (the engine adds no data-loss warnings here), then commit it with the schema change.");
  if (plan.residualSql !== "") {
    console.warn(
      `\nWarning: after applying this migration the schema engine still reports differences:\n${plan.residualSql}`,
    );
  }
  return 0;
}

// The WASM schema engine leaves a timer pending for ~10 s after its work, so exit explicitly.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(error.message);
      process.exit(2);
    }
    console.error(`db:migration failed: ${describeError(error)}`);
    if (process.env.DB_MIGRATION_DEBUG && error instanceof Error) console.error(error.stack);
    console.error("No migration was written.");
    process.exit(1);
  },
);
