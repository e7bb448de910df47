import "server-only";
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { newPGlite } from "@/lib/pglite";
import { env } from "@/lib/env";
import { type Prisma, PrismaClient } from "@/lib/generated/prisma/client.ts";

/**
 * The one database connection of the process, and the one Prisma client on top of it.
 *
 * Embedded mode (no DATABASE_URL): PGlite in `.data/pglite`. PGlite has no lock of its own and two
 * processes opening the same directory corrupt it, so this process takes `.data/pglite/../pglite.lock`
 * (holding its pid) before opening and refuses to open a directory another live process owns.
 * Server mode: a pg Pool on DATABASE_URL.
 */
export type Connection =
  | { kind: "pglite"; pglite: PGlite; prisma: PrismaClient }
  | { kind: "postgresql"; pool: pg.Pool; prisma: PrismaClient };

type Holder = { connection?: Connection; lockFile?: string; closing?: Promise<void> };

// Kept on globalThis so that Next's module reloading in development does not open a second
// PGlite instance on the same directory.
const holder: Holder = ((globalThis as { __trialledgerDb?: Holder }).__trialledgerDb ??= {});

export class DatabaseOwnedError extends Error {
  override name = "DatabaseOwnedError";
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the embedded database's lock file, or throws DatabaseOwnedError naming the owner. */
function acquireLock(dir: string): string {
  const lockFile = `${dir}.lock`;
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      return lockFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number.parseInt(fs.readFileSync(lockFile, "utf8"), 10);
      if (owner === process.pid) return lockFile;
      if (Number.isInteger(owner) && isAlive(owner)) {
        throw new DatabaseOwnedError(
          `The embedded database ${dir} is in use by process ${owner}. ` +
            "Only one process may open it: stop the other portal (or script) first.",
        );
      }
      fs.rmSync(lockFile, { force: true }); // stale: its owner is gone
    }
  }
  throw new DatabaseOwnedError(`Could not take the lock ${lockFile}.`);
}

function open(): Connection {
  const config = env();
  if (config.DATABASE_URL) {
    // 10 connections: enough for a 2-core server; PostgreSQL's default max_connections is 100.
    const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 10 });
    // An idle connection that the server drops (restart, failover) emits "error" on the pool;
    // unhandled, that would crash the process. The pool replaces the connection on next use.
    pool.on("error", (error) => console.error("[db] idle PostgreSQL connection lost:", error.message));
    return { kind: "postgresql", pool, prisma: new PrismaClient({ adapter: new PrismaPg(pool) }) };
  }
  let pglite: PGlite;
  if (config.pgliteDir === "memory://") {
    pglite = newPGlite();
  } else {
    holder.lockFile = acquireLock(config.pgliteDir);
    fs.mkdirSync(path.dirname(config.pgliteDir), { recursive: true });
    pglite = newPGlite(config.pgliteDir);
  }
  return { kind: "pglite", pglite, prisma: new PrismaClient({ adapter: new PrismaPGlite(pglite) }) };
}

/**
 * A transaction's client. Mutations that must commit together with their caller's change (an
 * anchoring item, a transparency-log entry, an outbox write) take one of these instead of opening
 * their own transaction.
 */
export type Tx = Prisma.TransactionClient;

/** The process's connection, opened on first use. */
export function connection(): Connection {
  holder.connection ??= open();
  return holder.connection;
}

/** The process's Prisma client. Import only from lib/db.ts, lib/**\/data.ts and lib/**\/mutations.ts. */
export function prisma(): PrismaClient {
  return connection().prisma;
}

/** Closes the connection and releases the embedded database's lock. Safe to call twice. */
export function closeDatabase(): Promise<void> {
  const current = holder.connection;
  if (!current) return Promise.resolve();
  holder.closing ??= (async () => {
    await current.prisma.$disconnect();
    if (current.kind === "pglite") await current.pglite.close();
    else await current.pool.end();
    if (holder.lockFile) fs.rmSync(holder.lockFile, { force: true });
    holder.connection = undefined;
    holder.lockFile = undefined;
    holder.closing = undefined;
  })();
  return holder.closing;
}

let hooksInstalled = false;
const beforeClose: Array<() => Promise<void>> = [];

/** Work to finish before the database closes on a signal (e.g. the anchoring worker's current run). */
export function onBeforeDatabaseClose(stop: () => Promise<void>): void {
  beforeClose.push(stop);
}

/**
 * Closes the database cleanly on SIGINT/SIGTERM, so PGlite flushes its files and the lock is
 * released. Exits with 130/143 as a shell would.
 */
export function closeDatabaseOnSignals(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    process.once(signal, () => {
      void Promise.allSettled(beforeClose.map((stop) => stop()))
        .then(() => closeDatabase())
        .catch((error: unknown) => console.error("Closing the database failed:", error))
        .finally(() => process.exit(code));
    });
  }
}

/** The raw connection, for the migration runner (lib/migrate.ts), which works below Prisma. */
export function migrationTarget(): { kind: "pglite"; pglite: PGlite } | { kind: "postgresql"; pool: pg.Pool } {
  const current = connection();
  return current.kind === "pglite" ? { kind: "pglite", pglite: current.pglite } : { kind: "postgresql", pool: current.pool };
}
