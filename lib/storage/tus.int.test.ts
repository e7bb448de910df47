// Resumable uploads of dataset files (issue 10, point 6) through the real route and wrapper: an
// upload interrupted at 60 % continues from the offset HEAD gives; two independently constructed
// instances (each its own tus datastore and locker, sharing this database and the s3rver bucket)
// serve each other's uploads; only the creator may continue an upload.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import { describe, expect, it } from "vitest";
import * as tusRoute from "@/app/api/uploads/tus/[[...path]]/route";
import { getSessionUser } from "@/lib/auth/data";
import type { SessionUser } from "@/lib/auth/roles";
import { signUp } from "@/lib/auth/service";
import { blobStore } from "@/lib/blobs/store";
// eslint-disable-next-line no-restricted-imports -- the test reads the Upload row the route wrote, and seats a colleague in an organisation directly
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { handlerMeta } from "@/lib/handler";
import { createOrganization } from "@/lib/orgs/service";
import { type TusDeps, createTusDeps, handleTus } from "@/lib/storage/tus";
import { leaseLocker } from "@/lib/storage/tus-locker";
import { TEST_BUCKET } from "@/scripts/test/s3";
import { uniqueEmail } from "@/scripts/test/support";

// This file runs the portal in S3 mode on the run's s3rver: read by lib/env.ts on first use, after this.
process.env.S3_ENDPOINT = process.env.TEST_S3_ENDPOINT;
process.env.S3_BUCKET = TEST_BUCKET;
process.env.S3_FORCE_PATH_STYLE = "true";
process.env.S3_ACCESS_KEY_ID = "S3RVER";
process.env.S3_SECRET_ACCESS_KEY = "S3RVER";

const MIB = 1024 * 1024;
const BASE = "http://localhost/api/uploads/tus";
const sha256 = (bytes: Uint8Array) => `0x${createHash("sha256").update(bytes).digest("hex")}`;

async function sponsor(label: string): Promise<{ user: SessionUser; org: { id: string } }> {
  const created = await signUp({ name: `${label} Sponsor`, email: uniqueEmail(label), password: "long enough password", accountType: "SPONSOR" });
  const user = await getSessionUser(created.id);
  if (!user) throw new Error("user vanished");
  return { user, org: await createOrganization({ name: `${label} Pharma`, creator: user }) };
}

type Call = (user: SessionUser | null, method: string, url: string, headers?: Record<string, string>, body?: BodyInit) => Promise<Response>;

/** Through the route's wrapper (the portal's own instance). */
const viaRoute: Call = async (user, method, url, headers = {}, body) => {
  const handler = { POST: tusRoute.POST, PATCH: tusRoute.PATCH, HEAD: tusRoute.HEAD, DELETE: tusRoute.DELETE }[method];
  const respond = handlerMeta(handler)?.respondAs;
  if (!respond) throw new Error(`no wrapped ${method}`);
  const init: RequestInit & { duplex?: "half" } = { method, headers: { "tus-resumable": "1.0.0", origin: "http://localhost", ...headers }, body, duplex: "half" };
  return respond(user, new Request(url, init), { params: Promise.resolve({}) });
};

/** An instance of its own: a separately constructed datastore and locker, as another process has. */
function instance(deps: TusDeps): Call {
  return async (user, method, url, headers = {}, body) => {
    if (!user) throw new Error("instance calls are signed in");
    const init: RequestInit & { duplex?: "half" } = { method, headers: { "tus-resumable": "1.0.0", ...headers }, body, duplex: "half" };
    return handleTus(new Request(url, init), user, deps);
  };
}

const metadata = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString("base64")}`)
    .join(",");

async function create(call: Call, user: SessionUser | null, orgId: string, size: number): Promise<{ status: number; url: string }> {
  const response = await call(user, "POST", BASE, { "upload-length": String(size), "upload-metadata": metadata({ orgId, filename: "measurements.csv" }), "content-type": "application/offset+octet-stream" }, new Uint8Array(0));
  return { status: response.status, url: new URL(response.headers.get("location") ?? "", BASE).toString() };
}

/**
 * A body that sends `bytes` in 256 KiB chunks and then, if `resetAfter`, stalls for a second and
 * fails like a dropped connection (the server has meanwhile stored what it received).
 */
function body(bytes: Uint8Array, resetAfter?: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    async pull(controller) {
      if (resetAfter !== undefined && offset >= resetAfter) {
        await new Promise((resolve) => setTimeout(resolve, 1500));
        return controller.error(new Error("connection reset by peer"));
      }
      if (offset >= bytes.length) return controller.close();
      const end = Math.min(offset + 256 * 1024, bytes.length, resetAfter ?? Infinity);
      controller.enqueue(bytes.slice(offset, end));
      offset = end;
    },
  });
}

const patch = (call: Call, user: SessionUser, url: string, offset: number, bytes: ReadableStream<Uint8Array> | Uint8Array) =>
  call(user, "PATCH", url, { "upload-offset": String(offset), "content-type": "application/offset+octet-stream" }, bytes instanceof Uint8Array ? new Uint8Array(bytes) : bytes);

const offsetOf = async (call: Call, user: SessionUser, url: string) => {
  const response = await call(user, "HEAD", url);
  expect(response.status).toBe(200);
  return Number(response.headers.get("upload-offset"));
};

describe("resumable dataset uploads (tus)", () => {
  it("continues an upload interrupted at 60 % from the offset HEAD gives, and records the finished file", async () => {
    expect(env().s3?.bucket).toBe(TEST_BUCKET);
    const a = await sponsor("resume");
    const data = randomBytes(20 * MIB);
    const created = await create(viaRoute, a.user, a.org.id, data.length);
    expect(created.status).toBe(201);

    // The connection drops at 60 %: the request fails, the bytes received so far are kept.
    const cut = Math.floor(data.length * 0.6);
    const dropped = await patch(viaRoute, a.user, created.url, 0, body(data, cut)).catch((error: unknown) => error);
    expect(dropped instanceof Response ? dropped.status : 0).not.toBe(204);
    const offset = await offsetOf(viaRoute, a.user, created.url);
    // The S3 datastore keeps whole 8 MiB parts (the rest of a part is re-sent); never more than was sent.
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(cut);

    const finished = await patch(viaRoute, a.user, created.url, offset, body(data.subarray(offset)));
    expect(finished.status).toBe(200);
    const result = (await finished.json()) as { digest: string; size: number };
    expect(result).toEqual({ digest: sha256(data), size: data.length });

    // In the blob store under its digest, byte for byte, and recorded as the organisation's dataset file.
    const reread = createHash("sha256");
    for await (const chunk of await blobStore().open(result.digest)) reread.update(chunk as Buffer);
    expect(`0x${reread.digest("hex")}`).toBe(result.digest);
    const row = await prisma().upload.findUniqueOrThrow({ where: { orgId_digest: { orgId: a.org.id, digest: result.digest } } });
    expect(row).toMatchObject({ purpose: "DATASET_FILE", size: BigInt(data.length), uploaderId: a.user.id, attachedAt: null });
    // The tus copy is gone once recorded: the file is kept once, in the blob store.
    expect((await viaRoute(a.user, "HEAD", created.url)).status).toBe(404);
  });

  it("finishes a small file sent whole with the creating request, as the browser's client sends it", async () => {
    const a = await sponsor("whole");
    const data = Buffer.from("pseudonym,sbp\n12345,120\n");
    const response = await viaRoute(
      a.user,
      "POST",
      BASE,
      { "upload-length": String(data.length), "upload-metadata": metadata({ orgId: a.org.id, filename: "visits.csv" }), "content-type": "application/offset+octet-stream" },
      new Uint8Array(data),
    );
    // 201 with Location (a tus client refuses a creation answer without it), finished at once.
    expect(response.status).toBe(201);
    expect(response.headers.get("upload-offset")).toBe(String(data.length));
    expect(response.headers.get("location")).toBeTruthy();
    expect(await response.json()).toEqual({ digest: sha256(data), size: data.length });
  });

  it("resumes the same way on the disk datastore", async () => {
    const a = await sponsor("disk");
    const call = instance(createTusDeps({ dataDir: fs.mkdtempSync(`${os.tmpdir()}/trialledger-tus-`) }));
    const data = randomBytes(5 * MIB);
    const created = await create(call, a.user, a.org.id, data.length);
    await patch(call, a.user, created.url, 0, body(data, 3 * MIB)).catch(() => undefined);
    const offset = await offsetOf(call, a.user, created.url);
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(3 * MIB);
    const finished = await patch(call, a.user, created.url, offset, data.subarray(offset));
    expect(await finished.json()).toEqual({ digest: sha256(data), size: data.length });
  });

  it("lets two instances on one database and one bucket serve each other's uploads", async () => {
    const a = await sponsor("instances");
    const first = instance(createTusDeps(env()));
    const second = instance(createTusDeps(env()));
    const data = randomBytes(18 * MIB);

    const created = await create(first, a.user, a.org.id, data.length);
    expect(created.status).toBe(201);
    // 16 MiB through the first instance, then the client's next request lands on the second.
    expect((await patch(first, a.user, created.url, 0, data.subarray(0, 16 * MIB))).status).toBe(204);
    expect(await offsetOf(second, a.user, created.url)).toBe(16 * MIB);
    const finished = await patch(second, a.user, created.url, 16 * MIB, data.subarray(16 * MIB));
    expect(finished.status).toBe(200);
    expect(await finished.json()).toEqual({ digest: sha256(data), size: data.length });
    expect(await blobStore().stat(sha256(data))).toEqual({ size: data.length });
    // Finished on the second, gone for the first too.
    expect((await first(a.user, "HEAD", created.url)).status).toBe(404);
  });

  it("never lets two instances hold one upload's lock at once", async () => {
    const id = randomBytes(8).toString("hex");
    const one = leaseLocker().newLock(id);
    const other = leaseLocker({ acquireTimeoutMs: 600 }).newLock(id);
    await one.lock(new AbortController().signal, () => undefined);
    await expect(other.lock(new AbortController().signal, () => undefined)).rejects.toMatchObject({ status_code: 500 });
    await one.unlock();
    await other.lock(new AbortController().signal, () => undefined);
    await other.unlock();
  });

  it("lets only the creator continue an upload, and only members of the organisation begin one", async () => {
    const a = await sponsor("owner");
    const b = await sponsor("intruder");
    const data = randomBytes(MIB);
    const created = await create(viaRoute, a.user, a.org.id, data.length);

    // Another organisation's member: 403 on PATCH, HEAD and DELETE, and nothing was written.
    expect((await patch(viaRoute, b.user, created.url, 0, data)).status).toBe(403);
    expect((await viaRoute(b.user, "HEAD", created.url)).status).toBe(403);
    expect((await viaRoute(b.user, "DELETE", created.url)).status).toBe(403);
    expect(await offsetOf(viaRoute, a.user, created.url)).toBe(0);
    // A member of the same organisation is not its creator either.
    const colleague = await sponsor("colleague");
    await prisma().membership.create({ data: { userId: colleague.user.id, orgId: a.org.id, role: "MEMBER" } });
    expect((await patch(viaRoute, colleague.user, created.url, 0, data)).status).toBe(403);
    // Beginning one for an organisation one is not a member of; signed out; over the size limit.
    expect((await create(viaRoute, b.user, a.org.id, data.length)).status).toBe(403);
    expect((await create(viaRoute, null, a.org.id, data.length)).status).toBe(401);
    expect((await create(viaRoute, a.user, a.org.id, 21 * 1024 * MIB)).status).toBe(413);

    expect((await patch(viaRoute, a.user, created.url, 0, data)).status).toBe(200);
  });
});
