// A real S3 server for the tests: s3rver (an S3 API over the file system) on a random port with
// its own temporary directory. It checks no signatures, so any key pair is accepted: what is
// tested is the store's use of the S3 API, and access is decided by the portal's own routes.
import fs from "node:fs";
import fsp from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
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
  // Ahead of s3rver's router (Koa composes its middleware when the server starts listening).
  server.middleware.unshift(multipartExtras(directory));
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

type KoaContext = { method: string; path: string; query: Record<string, string | undefined>; req: IncomingMessage; res: ServerResponse; status: number; body: unknown; type: string };

/**
 * ListParts and AbortMultipartUpload, which s3rver 3.7 answers with 405 and @tus/s3-store needs
 * (it lists an upload's parts to learn its offset on every HEAD and PATCH). Answered from s3rver's
 * own part files (`<bucket>/._S3rver_uploads/<uploadId>/<n>` and `<n>.md5`, written by its
 * UploadPart), so the parts listed are the ones s3rver stored.
 */
function multipartExtras(directory: string) {
  return async (ctx: KoaContext, next: () => Promise<void>) => {
    const uploadId = ctx.query.uploadId;
    const [, bucket, ...key] = ctx.path.split("/");
    if (!uploadId || !bucket || key.length === 0 || ctx.query.partNumber !== undefined || (ctx.method !== "GET" && ctx.method !== "DELETE")) return next();
    const dir = path.join(directory, bucket, "._S3rver_uploads", uploadId);
    if (!fs.existsSync(dir)) {
      ctx.status = 404;
      ctx.type = "application/xml";
      ctx.body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message><UploadId>${uploadId}</UploadId></Error>`;
      return;
    }
    if (ctx.method === "DELETE") {
      await fsp.rm(dir, { recursive: true, force: true });
      ctx.status = 204;
      ctx.body = "";
      return;
    }
    // A part whose upload was cut off has its file but no .md5 (written last): S3 lists complete parts only.
    const names = new Set(await fsp.readdir(dir));
    const numbers = [...names].filter((n) => /^\d+$/.test(n) && names.has(`${n}.md5`)).map(Number).sort((a, b) => a - b);
    const parts = await Promise.all(
      numbers.map(async (n) => {
        const [stat, md5] = await Promise.all([fsp.stat(path.join(dir, String(n))), fsp.readFile(path.join(dir, `${n}.md5`), "utf8")]);
        return `<Part><PartNumber>${n}</PartNumber><ETag>"${md5}"</ETag><Size>${stat.size}</Size></Part>`;
      }),
    );
    ctx.status = 200;
    ctx.type = "application/xml";
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?><ListPartsResult><Bucket>${bucket}</Bucket><Key>${key.join("/")}</Key><UploadId>${uploadId}</UploadId><IsTruncated>false</IsTruncated>${parts.join("")}</ListPartsResult>`;
  };
}
