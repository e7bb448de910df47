import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createPGlite } from "../lib/pglite.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffMigrationsToSchema, MIGRATION_LOCK_CONTENT } from "./lib/migration-diff.ts";

// Each diff boots an in-memory PGlite (~3 s here) and the WASM schema engine.
const TIMEOUT = 60_000;

const SCHEMA = `datasource db {
  provider = "postgresql"
}

enum Genre {
  FICTION
  SCIENCE
}

model Author {
  id    Int    @id @default(autoincrement())
  email String @unique
  books Book[]
}

model Book {
  id       Int    @id @default(autoincrement())
  title    String
  genre    Genre
  authorId Int
  author   Author @relation(fields: [authorId], references: [id])
}
`;

describe("diffMigrationsToSchema", { timeout: TIMEOUT }, () => {
  let dir: string;
  let migrationsDir: string;
  let schemaPath: string;
  let initSql = "";

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "db-migration-"));
    migrationsDir = path.join(dir, "migrations");
    schemaPath = path.join(dir, "schema.prisma");
    await mkdir(migrationsDir);
    await writeFile(schemaPath, SCHEMA);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("creates the enum, the tables and the relation from an empty migrations directory", async () => {
    initSql = await diffMigrationsToSchema({ migrationsDir, schemaPath });
    expect(initSql).toContain(`CREATE TYPE "Genre" AS ENUM ('FICTION', 'SCIENCE');`);
    expect(initSql).toContain(`CREATE TABLE "Author"`);
    expect(initSql).toContain(`CREATE TABLE "Book"`);
    expect(initSql).toContain(`CREATE UNIQUE INDEX "Author_email_key"`);
    expect(initSql).toMatch(/ALTER TABLE "Book" ADD CONSTRAINT "Book_authorId_fkey" FOREIGN KEY \("authorId"\) REFERENCES "Author"\("id"\)/);
    // Prisma's step comments, as `migrate dev` writes them.
    expect(initSql).toMatch(/^-- CreateEnum\n/);
    expect(initSql).toContain("-- CreateTable\n");
  });

  it("produces SQL that a fresh database accepts", async () => {
    const db = await createPGlite();
    try {
      await db.exec(initSql);
      const tables = await db.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual(["Author", "Book"]);
      const enums = await db.query<{ typname: string }>("SELECT typname FROM pg_type WHERE typtype = 'e'");
      expect(enums.rows.map((row) => row.typname)).toContain("Genre");
    } finally {
      await db.close();
    }
  });

  it("finds nothing to do once that SQL is a migration", async () => {
    await mkdir(path.join(migrationsDir, "20200101000000_init"));
    await writeFile(path.join(migrationsDir, "20200101000000_init", "migration.sql"), initSql);
    await writeFile(path.join(migrationsDir, "migration_lock.toml"), MIGRATION_LOCK_CONTENT);
    expect(await diffMigrationsToSchema({ migrationsDir, schemaPath })).toBe("");
  });

  it("adds a new field as ALTER TABLE … ADD COLUMN only", async () => {
    await writeFile(schemaPath, SCHEMA.replace("  genre    Genre\n", "  genre    Genre\n  pages    Int?\n"));
    const sql = await diffMigrationsToSchema({ migrationsDir, schemaPath });
    expect(sql).toMatch(/-- AlterTable\nALTER TABLE "Book" ADD COLUMN\s+"pages" INTEGER;/);
    expect(sql).not.toContain("CREATE TABLE");
  });

  it("refuses a generated migration that does not apply to the migrated database", async () => {
    // The engine ignores views, so dropping a column a view depends on only fails when applied.
    await mkdir(path.join(migrationsDir, "20200102000000_view"));
    await writeFile(
      path.join(migrationsDir, "20200102000000_view", "migration.sql"),
      `ALTER TABLE "Book" ADD COLUMN "isbn" TEXT; CREATE VIEW "BookIsbn" AS SELECT "isbn" FROM "Book";`,
    );
    await writeFile(schemaPath, SCHEMA);
    await expect(diffMigrationsToSchema({ migrationsDir, schemaPath })).rejects.toThrow(
      /does not apply to the shadow database: cannot drop column isbn/,
    );
  });

  it("names an existing migration that fails", async () => {
    await writeFile(path.join(migrationsDir, "20200102000000_view", "migration.sql"), `CREATE TABLE "Author" (id int);`);
    await expect(diffMigrationsToSchema({ migrationsDir, schemaPath })).rejects.toThrow(
      /Existing migration 20200102000000_view does not apply.*"Author" already exists/,
    );
  });
});
