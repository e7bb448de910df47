import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * Creates `file` holding `make()`'s text, readable by its owner only, unless it exists — for keys
 * generated once into the data directory (the log's, the visas'). Written to a temporary file and
 * hard-linked into place, so processes starting together (the server, the anchoring worker, test
 * files sharing a data directory) all end up with one file: the link fails for all but the first,
 * and the others keep the first's. Returns the file's text, trimmed.
 */
export function readOrCreateOnce(file: string, make: () => string): string {
  if (!fs.existsSync(file)) {
    const text = make();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
    fs.writeFileSync(temporary, `${text}\n`, { mode: 0o600 });
    try {
      fs.linkSync(temporary, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      fs.rmSync(temporary, { force: true });
    }
  }
  return fs.readFileSync(file, "utf8").trim();
}
