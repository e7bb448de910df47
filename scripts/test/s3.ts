// A real S3 server for the tests: s3rver (an S3 API over the file system) on a random port with
// its own temporary directory. It checks no signatures, so any key pair is accepted: what is
// tested is the store's use of the S3 API, and access is decided by the portal's own routes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { s3Client } from "@/lib/blobs/s3";
import type { S3Config } from "@/lib/env";

export const TEST_BUCKET = "trialledger-test";

export async function startS3rver(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "trialledger-s3-"));
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: TEST_BUCKET }] });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * The S3 configuration of the run's s3rver (started by scripts/test/integration-setup.ts, which
 * passes its address in TEST_S3_ENDPOINT). Throws if the set-up did not start one.
 */
export function testS3Config(): S3Config {
  const endpoint = process.env.TEST_S3_ENDPOINT;
  if (!endpoint) throw new Error("TEST_S3_ENDPOINT is not set: the integration set-up (scripts/test/integration-setup.ts) starts s3rver");
  return { endpoint, bucket: TEST_BUCKET, region: "us-east-1", forcePathStyle: true, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } };
}

/** A fresh bucket of the run's s3rver, so that a test file can count what is in it undisturbed. */
export async function freshTestBucket(): Promise<S3Config> {
  const config = { ...testS3Config(), bucket: `t-${randomBytes(6).toString("hex")}` };
  await s3Client(config).send(new CreateBucketCommand({ Bucket: config.bucket }));
  return config;
}
