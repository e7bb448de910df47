// Files of ../shared/data (large public data sets kept beside the checkout, never committed).
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * The checkouts whose `../shared/data` may hold the file: this one, and for a `git worktree`
 * (whose `.git` is a file naming `<main>/.git/worktrees/<name>`) the main checkout too.
 */
function checkouts(): string[] {
  const out = [ROOT];
  const dotGit = path.join(ROOT, ".git");
  if (fs.existsSync(dotGit) && fs.statSync(dotGit).isFile()) {
    const match = /^gitdir:\s*(.+?)[/\\]\.git[/\\]worktrees[/\\]/m.exec(fs.readFileSync(dotGit, "utf8"));
    if (match?.[1]) out.push(path.resolve(ROOT, match[1]));
  }
  return out;
}

/**
 * The absolute path of `../shared/data/<relative>`.
 * @throws Error naming every place looked at when the file is absent: a test that needs it fails
 *   with this message rather than being skipped.
 */
export function sharedDataFile(relative: string): string {
  const tried = checkouts().map((dir) => path.resolve(dir, "..", "shared", "data", relative));
  const found = tried.find((file) => fs.existsSync(file));
  if (!found) {
    throw new Error(`This test needs ../shared/data/${relative} beside the checkout and it is absent. Looked at: ${tried.join(", ")}.`);
  }
  return found;
}
