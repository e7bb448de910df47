// Copies the two Semaphore proving artifacts the browser loads (semaphore-20.wasm and .zkey, see
// lib/consent/artifacts.ts) from the installed npm package into public/semaphore/, checking their
// pinned SHA-256 digests. Nothing is downloaded. Runs after `npm install`; safe to run again: files
// already present with the right digest are left alone.
// Usage: npx tsx scripts/semaphore-artifacts.ts
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PROVING_ARTIFACTS, SEMAPHORE_ARTIFACTS_PACKAGE, SEMAPHORE_ARTIFACTS_VERSION } from "@/lib/consent/artifacts";

const root = path.resolve(import.meta.dirname, "..");
const require = createRequire(import.meta.url);

/** Where the browser's copies live: public/ is served at the site root, so /semaphore/… . */
export const PUBLIC_ARTIFACTS_DIR = path.join(root, "public", "semaphore");

function sha256File(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

function packageDir(): string {
  try {
    return path.dirname(require.resolve(`${SEMAPHORE_ARTIFACTS_PACKAGE}/package.json`));
  } catch {
    throw new Error(
      `${SEMAPHORE_ARTIFACTS_PACKAGE} is not installed, so the proving artifacts cannot be copied. ` +
        `It is a dependency of this project: run \`npm install\`.`,
    );
  }
}

/**
 * Copies semaphore-20.wasm and .zkey from node_modules into `outDir` (default public/semaphore/),
 * each written to a temporary file and renamed, so a reader never sees half a file.
 * Returns which files were copied and which were already present with the pinned digest.
 * Throws when the package is missing or a file's digest differs from the pinned one.
 */
export function copySemaphoreArtifacts(opts: { outDir?: string } = {}): { copied: string[]; skipped: string[] } {
  const outDir = opts.outDir ?? PUBLIC_ARTIFACTS_DIR;
  const fromDir = packageDir();
  const result = { copied: [] as string[], skipped: [] as string[] };
  fs.mkdirSync(outDir, { recursive: true });
  for (const artifact of Object.values(PROVING_ARTIFACTS)) {
    const target = path.join(outDir, artifact.file);
    if (fs.existsSync(target) && fs.statSync(target).size === artifact.bytes && sha256File(target) === artifact.sha256) {
      result.skipped.push(artifact.file);
      continue;
    }
    const source = path.join(fromDir, artifact.file);
    if (!fs.existsSync(source)) {
      throw new Error(`${SEMAPHORE_ARTIFACTS_PACKAGE} has no ${artifact.file} (expected version ${SEMAPHORE_ARTIFACTS_VERSION}): run \`npm install\`.`);
    }
    const bytes = fs.readFileSync(source);
    const digest = createHash("sha256").update(bytes).digest("hex");
    if (digest !== artifact.sha256) {
      const version = (JSON.parse(fs.readFileSync(path.join(fromDir, "package.json"), "utf8")) as { version?: string }).version;
      throw new Error(
        `${source} has SHA-256 ${digest}, not the pinned ${artifact.sha256} ` +
          `(installed ${SEMAPHORE_ARTIFACTS_PACKAGE} ${version ?? "?"}, pinned for ${SEMAPHORE_ARTIFACTS_VERSION}). ` +
          `Reinstall the pinned version, or if the upgrade is intended, update the digests in lib/consent/artifacts.ts.`,
      );
    }
    const temporary = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, bytes);
    fs.renameSync(temporary, target);
    result.copied.push(artifact.file);
  }
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  try {
    const { copied, skipped } = copySemaphoreArtifacts();
    const where = path.relative(root, PUBLIC_ARTIFACTS_DIR);
    if (copied.length) console.log(`semaphore artifacts: copied ${copied.join(", ")} → ${where}/`);
    if (skipped.length) console.log(`semaphore artifacts: ${skipped.join(", ")} already in ${where}/ and verified`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
