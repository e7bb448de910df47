// Global set-up of the integration tier: one anvil with the contracts deployed for the whole run,
// and the environment every test file's worker inherits. Without DATABASE_URL each file gets an
// in-memory PGlite; with it, all files share that (fresh, per-run) PostgreSQL database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startAnvil } from "@/lib/chain/anvil";
import { deployLocalChain } from "@/lib/chain/deploy";
import { ANVIL_DEV_KEY } from "@/lib/env";
import { startS3rver } from "@/scripts/test/s3";

export default async function setup(): Promise<() => Promise<void>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trialledger-int-"));
  const anvil = await startAnvil({ silent: true });
  const deploymentsFile = path.join(dir, "deployments.json");
  await deployLocalChain({ rpcUrl: anvil.rpcUrl, file: deploymentsFile, privateKey: ANVIL_DEV_KEY });

  // The S3 blob store is tested against this one (lib/blobs); the portal itself stays on the data
  // directory unless a test sets S3_ENDPOINT, so the address goes under a name of its own.
  const s3 = await startS3rver();
  process.env.TEST_S3_ENDPOINT = s3.endpoint;
  process.env.APP_ENV = "test";
  process.env.CHAIN_RPC_URL = anvil.rpcUrl;
  process.env.DEPLOYMENTS_FILE = deploymentsFile;
  process.env.DATA_DIR = dir;
  process.env.AUTH_SECRET = "integration-tests-secret-0123456789abcdef";
  // Test files enrol two to four participants; the one-member refusal is tested at this size.
  process.env.CONSENT_MIN_GROUP_SIZE = "2";
  if (!process.env.DATABASE_URL) process.env.PGLITE_DIR = "memory://";
  console.log(
    `[integration] anvil ${anvil.rpcUrl}; database: ${process.env.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : "PGlite in memory, one per file"}`,
  );

  return async () => {
    await anvil.stop();
    await s3.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
