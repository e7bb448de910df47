// Uploads have an owner (issue 8, point 11): a file is uploaded for an organisation, only that
// organisation can attach it, unattached uploads count against a quota, and what uploads leave
// behind (unattached uploads, .part files of a crashed upload) is cleaned up at start and later.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import * as filesRoute from "@/app/api/files/[digest]/route";
import * as uploadsRoute from "@/app/api/uploads/route";
import { getSessionUser } from "@/lib/auth/data";
import type { SessionUser } from "@/lib/auth/roles";
import { signUp } from "@/lib/auth/service";
import { env } from "@/lib/env";
import { handlerMeta } from "@/lib/handler";
import { createOrganization } from "@/lib/orgs/service";
import { listOrgTrials } from "@/lib/registry/data";
import { exampleTrialRecord } from "@/lib/registry/example";
import { registerSigned } from "@/scripts/test/signing";
import { cleanUpUploads, startUploadCleanup } from "@/lib/storage/cleanup";
import { blobStore } from "@/lib/blobs/store";
import { uploadFile } from "@/lib/storage/uploads";
import { uniqueEmail } from "@/scripts/test/support";

// A 1 MB quota, so the test needs no 500 MB of files. Read by lib/env.ts on first use, after this.
process.env.UPLOAD_QUOTA_MB = "1";

const KIB = 1024;
const HOUR = 60 * 60 * 1000;
const context = (params: Record<string, string>) => ({ params: Promise.resolve(params) });

async function sponsor(label: string): Promise<{ user: SessionUser; org: { id: string } }> {
  const created = await signUp({ name: `${label} Sponsor`, email: uniqueEmail(label), password: "long enough password", accountType: "SPONSOR" });
  const user = await getSessionUser(created.id);
  if (!user) throw new Error("user vanished");
  const org = await createOrganization({ name: `${label} Pharma`, creator: user });
  return { user, org };
}

/** POST /api/uploads?org=… through the real wrapper, as `user`. */
async function postUpload(user: SessionUser, orgId: string | undefined, bytes: Buffer, headers: Record<string, string> = {}) {
  const respond = handlerMeta(uploadsRoute.POST)?.respondAs;
  if (!respond) throw new Error("not a wrapped route");
  const url = orgId === undefined ? "http://localhost/api/uploads" : `http://localhost/api/uploads?org=${orgId}`;
  const response = await respond(user, new Request(url, { method: "POST", headers: { "content-type": "application/octet-stream", origin: "http://localhost", ...headers }, body: new Uint8Array(bytes) }), context({}));
  return { status: response.status, body: (await response.json()) as { digest?: string; error?: { message: string } } };
}

async function getFile(digest: string) {
  const respond = handlerMeta(filesRoute.GET)?.respondAs;
  if (!respond) throw new Error("not a wrapped route");
  return (await respond(null, new Request(`http://localhost/api/files/${digest}`), context({ digest }))).status;
}

const register = (owner: { user: SessionUser; org: { id: string } }, digest: string) =>
  registerSigned({ orgId: owner.org.id, user: owner.user, input: structuredClone(exampleTrialRecord), attachments: [{ kind: "protocol", name: "protocol.pdf", digest }] });

// These tests run on the default store, the data directory, whose files they age directly.
const hasStored = async (digest: string) => (await blobStore().stat(digest)) !== null;
const storedPath = (digest: string) => path.join(env().dataDir, "files", "sha256", digest.slice(2, 4), digest.slice(4, 6), digest.slice(2));

const ageFile = (file: string, ms: number) => {
  const then = new Date(Date.now() - ms);
  fs.utimesSync(file, then, then);
};

describe("uploads have an owner", () => {
  it("refuses to attach another organisation's private upload, and it stays private", async () => {
    const a = await sponsor("attacker");
    const b = await sponsor("victim");
    const bytes = randomBytes(40 * KIB);
    const uploaded = await postUpload(b.user, b.org.id, bytes);
    expect(uploaded.status).toBe(200);
    const digest = uploaded.body.digest ?? "";

    // A member of A registers in A with B's digest: refused exactly as for a digest never uploaded.
    await expect(register(a, digest)).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { attachments: ["“protocol.pdf” was not uploaded."] } });
    expect(await listOrgTrials(a.org.id)).toEqual([]);
    expect(await getFile(digest)).toBe(404);

    // A can of course upload the same bytes itself (stored once) and attach its own upload.
    expect((await postUpload(a.user, a.org.id, bytes)).status).toBe(200);
    const { registrationNumber } = await register(a, digest);
    expect(registrationNumber).toMatch(/^TLR-/);
    expect(await getFile(digest)).toBe(200);
    // B's own upload is still B's: it can attach it too.
    await expect(register(b, digest)).resolves.toMatchObject({ registrationNumber: expect.stringMatching(/^TLR-/) as unknown });
  });

  it("refuses an upload for an organisation the uploader is not a member of, before storing anything", async () => {
    const a = await sponsor("outsider");
    const b = await sponsor("insider");
    const bytes = randomBytes(30 * KIB);
    const refused = await postUpload(a.user, b.org.id, bytes);
    expect(refused.status).toBe(403);
    expect(await hasStored(`0x${createHash("sha256").update(bytes).digest("hex")}`)).toBe(false);
    const missing = await postUpload(a.user, undefined, bytes);
    expect(missing.status).toBe(422);
    expect(JSON.stringify(missing.body)).toContain("org");
  });

  it("keeps one person's unattached uploads within the quota across all their organisations: creating organisations does not buy space", async () => {
    const a = await sponsor("hoarder");
    const second = await createOrganization({ name: `Hoarder Two ${randomBytes(3).toString("hex")}`, creator: a.user });
    expect((await postUpload(a.user, a.org.id, randomBytes(700 * KIB))).status).toBe(200);
    const bytes = randomBytes(400 * KIB);
    const over = await postUpload(a.user, second.id, bytes);
    expect(over.status).toBe(413);
    expect(over.body.error?.message).toMatch(/^Your own uploads .*quota of 1 MB/);
    expect(await hasStored(`0x${createHash("sha256").update(bytes).digest("hex")}`)).toBe(false);
  });

  it("keeps each organisation's unattached uploads within its quota, storing nothing past it", async () => {
    expect(env().UPLOAD_QUOTA_MB).toBe(1);
    const a = await sponsor("quota");
    const other = await sponsor("neighbour");
    const first = randomBytes(700 * KIB);
    const second = randomBytes(400 * KIB);
    const firstDigest = (await postUpload(a.user, a.org.id, first)).body.digest ?? "";

    const over = await postUpload(a.user, a.org.id, second);
    expect(over.status).toBe(413);
    expect(over.body.error?.message).toMatch(/^Your organisation's uploads .*quota of 1 MB/);
    const secondDigest = `0x${createHash("sha256").update(second).digest("hex")}`;
    expect(await hasStored(secondDigest)).toBe(false);
    // A declared length past the whole quota is refused before the body is read.
    const declared = await postUpload(a.user, a.org.id, second, { "content-length": String(2 * 1024 * KIB) });
    expect(declared.status).toBe(413);
    expect(declared.body.error?.message).toMatch(/quota of 1 MB/);

    // The same file again counts once; another organisation has a quota of its own.
    expect((await postUpload(a.user, a.org.id, first)).status).toBe(200);
    expect((await postUpload(other.user, other.org.id, second)).status).toBe(200);

    // Attached files are the public record and no longer count.
    await register(a, firstDigest);
    expect((await postUpload(a.user, a.org.id, second)).status).toBe(200);
  });
});

describe("clean-up of what uploads leave behind", () => {
  it("removes old .part files, expired unattached uploads and unreferenced files, at start and after", async () => {
    const a = await sponsor("cleanup");
    const b = await sponsor("sharer");
    const tmp = path.join(env().dataDir, "files", "tmp");
    fs.mkdirSync(tmp, { recursive: true });
    const crashed = path.join(tmp, `${randomBytes(16).toString("hex")}.part`);
    const live = path.join(tmp, `${randomBytes(16).toString("hex")}.part`);
    fs.writeFileSync(crashed, randomBytes(KIB));
    fs.writeFileSync(live, randomBytes(KIB));
    ageFile(crashed, 2 * HOUR);

    const longAgo = new Date(Date.now() - 25 * HOUR);
    const upload = async (owner: { user: SessionUser; org: { id: string } }, bytes: Buffer, now?: Date) => {
      const stored = await uploadFile({ orgId: owner.org.id, user: owner.user, body: Readable.from([bytes]), now });
      if (now) ageFile(storedPath(stored.digest), Date.now() - now.getTime());
      return stored.digest;
    };
    const expired = await upload(a, randomBytes(10 * KIB), longAgo);
    const fresh = await upload(a, randomBytes(10 * KIB));
    const attached = await upload(a, randomBytes(10 * KIB), longAgo);
    await register(a, attached);
    // B's upload of bytes A attached expires, but the file stays: A's trial refers to it.
    const shared = randomBytes(10 * KIB);
    const sharedDigest = await upload(a, shared, longAgo);
    await upload(b, shared, longAgo);
    await register(a, sharedDigest);
    // Bytes in the store with no owner at all (a crash between the store and the row).
    const orphan = await blobStore().put(Readable.from([randomBytes(10 * KIB)]), { maxBytes: 20 * KIB });
    ageFile(storedPath(orphan.digest), 25 * HOUR);

    // At start: the run startUploadCleanup makes at once, with the scan of the whole store.
    const lines: string[] = [];
    const running = startUploadCleanup((line) => lines.push(line));
    await running.stop();

    expect(fs.existsSync(crashed)).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
    expect(await hasStored(expired)).toBe(false);
    expect(await hasStored(orphan.digest)).toBe(false);
    expect(await hasStored(fresh)).toBe(true);
    expect(await hasStored(attached)).toBe(true);
    expect(await hasStored(sharedDigest)).toBe(true);
    expect(lines.join("\n")).toMatch(/removed 1 unfinished upload\(s\), 2 expired upload\(s\), 2 unreferenced file\(s\)/);
    // The expired upload's row is gone too: it can no longer be attached.
    await expect(register(a, expired)).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(register(a, fresh)).resolves.toMatchObject({ registrationNumber: expect.stringMatching(/^TLR-/) as unknown });

    // Later runs find what expired since.
    const later = await upload(b, randomBytes(10 * KIB), longAgo);
    ageFile(live, 2 * HOUR);
    expect(await cleanUpUploads()).toEqual({ parts: 1, uploads: 1, files: 1 });
    expect(await hasStored(later)).toBe(false);
    expect(fs.existsSync(live)).toBe(false);
  });
});
