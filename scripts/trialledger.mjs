#!/usr/bin/env node
// `npx trialledger …`: runs scripts/trialledger.ts with tsx, from wherever it is called.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = createRequire(import.meta.url).resolve("tsx/cli");
const result = spawnSync(
  process.execPath,
  [tsx, "--tsconfig", path.join(here, "..", "tsconfig.json"), path.join(here, "trialledger.ts"), ...process.argv.slice(2)],
  { stdio: "inherit" },
);
process.exit(result.status ?? 2);
