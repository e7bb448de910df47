// bench/startup — time from `npm start` to the first 200 on /api/health, for a fresh data
// directory (database created and migrated, anvil started, contracts deployed, demo seeded) and
// for a warm restart of the same directory. The Next.js build is made beforehand and not counted.
// Usage: npm run bench:startup [-- --runs N]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { interrupt, startPortal } from "@/scripts/lib/portal-process";

const runsArg = process.argv.indexOf("--runs");
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
const port = 3700;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function main(): Promise<void> {
  // Make sure the build is current so that it is not part of the figures.
  const warmup = fs.mkdtempSync(path.join(os.tmpdir(), "tl-bench-build-"));
  await interrupt(await startPortal({ dataDir: warmup, port }));
  fs.rmSync(warmup, { recursive: true, force: true });

  const fresh: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-bench-"));
    const first = await startPortal({ dataDir, port });
    fresh.push(first.readyAfterMs);
    await interrupt(first);
    const second = await startPortal({ dataDir, port });
    warm.push(second.readyAfterMs);
    await interrupt(second);
    fs.rmSync(dataDir, { recursive: true, force: true });
    console.log(`run ${i + 1}: fresh ${(first.readyAfterMs / 1000).toFixed(2)} s, warm ${(second.readyAfterMs / 1000).toFixed(2)} s`);
  }
  const cpu = os.cpus()[0]?.model ?? "unknown cpu";
  console.log(`\nnpm start → first 200 on /api/health (${runs} runs, ${os.cpus().length} × ${cpu}, node ${process.version})`);
  console.log(`  fresh data directory: median ${(median(fresh) / 1000).toFixed(2)} s (min ${(Math.min(...fresh) / 1000).toFixed(2)}, max ${(Math.max(...fresh) / 1000).toFixed(2)})`);
  console.log(`  warm restart:         median ${(median(warm) / 1000).toFixed(2)} s (min ${(Math.min(...warm) / 1000).toFixed(2)}, max ${(Math.max(...warm) / 1000).toFixed(2)})`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
