// Registry and upload events in the transparency log, and the signed acts (21 CFR Part 11 §11.50,
// §11.200): a registration or amendment is signed with the sponsor's password and the meaning
// shown, and its entry records who, when and that meaning; a wrong password or meaning is refused
// naming the field and changes nothing, in the database or the log.
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import * as versionsRoute from "@/app/api/trials/[number]/versions/route";
import * as trialsRoute from "@/app/api/trials/route";
import { getSessionUser } from "@/lib/auth/data";
import type { SessionUser } from "@/lib/auth/roles";
import { signUp } from "@/lib/auth/service";
import { handlerMeta } from "@/lib/handler";
import { createOrganization } from "@/lib/orgs/service";
import { getTrialByNumber } from "@/lib/registry/data";
import { exampleTrialRecord } from "@/lib/registry/example";
import type { TrialRecord } from "@/lib/registry/schema";
import { amendTrial, registerTrial } from "@/lib/registry/service";
import { signatureMeaning } from "@/lib/registry/signature";
import { uploadFile } from "@/lib/storage/uploads";
import { snapshotTables } from "@/scripts/test/database";
import { noEntryFrom, onlyEntryOf } from "@/scripts/test/log";
import { TEST_PASSWORD, registerSigned, signedAmendment, signedRegistration } from "@/scripts/test/signing";
import { uniqueEmail } from "@/scripts/test/support";

const clone = <T>(value: T): T => structuredClone(value);
const context = (params: Record<string, string>) => ({ params: Promise.resolve(params) });

async function setUp(label: string) {
  const created = await signUp({ name: `${label} Signer`, email: uniqueEmail(label), password: TEST_PASSWORD, accountType: "SPONSOR" });
  const user = await getSessionUser(created.id);
  if (!user) throw new Error("user vanished");
  const org = await createOrganization({ name: `${label} Therapeutics`, creator: user });
  return { user, org };
}

function titled(title: string): TrialRecord {
  return { ...clone(exampleTrialRecord), publicTitle: title };
}

/** A POST from the portal's own page, through the route's wrapper, as `user`. */
async function post(handler: unknown, user: SessionUser, url: string, json: unknown, params: Record<string, string> = {}) {
  const respond = handlerMeta(handler)?.respondAs;
  if (!respond) throw new Error("not a wrapped route");
  const request = new Request(`http://localhost${url}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: "http://localhost" },
    body: JSON.stringify(json),
  });
  const response = await respond(user, request, context(params));
  return { status: response.status, body: (await response.json()) as { error?: { code: string; fieldErrors?: Record<string, string[]> } } & Record<string, unknown> };
}

describe("registry events in the log", () => {
  it("logs an upload with its size public and its digest private (the file is the organisation's until attached)", async () => {
    const { user, org } = await setUp("upload");
    const bytes = randomBytes(2048);
    let digest = "";
    const entry = await onlyEntryOf(
      "upload.stored",
      async () => (digest = (await uploadFile({ orgId: org.id, user, body: Readable.from([bytes]) })).digest),
      [user.email],
    );
    expect(entry.document).toMatchObject({ actor: { type: "user", id: user.id }, subject: { type: "upload" }, details: { size: 2048 } });
    expect(entry.privateDetails).toEqual({ digest });
    expect(new TextDecoder().decode(entry.body)).not.toContain(digest.slice(2));
    expect(entry.orgId).toBe(org.id);
  });

  it("logs a registration as a signed act: who, when and the meaning; the signer's address stays private", async () => {
    const { user, org } = await setUp("register");
    const record = titled(`Signed registration ${Date.now()}`);
    const meaning = signatureMeaning({ kind: "register", title: record.publicTitle, orgName: org.name });
    let number = "";
    const before = Date.now();
    const entry = await onlyEntryOf(
      "trial.registered",
      async () => (number = (await registerTrial({ orgId: org.id, user, input: record, signature: { password: TEST_PASSWORD, meaning } })).registrationNumber),
      [user.email, user.name, TEST_PASSWORD],
    );
    const trial = await getTrialByNumber(number);
    expect(entry.document).toMatchObject({
      actor: { type: "user", id: user.id },
      subject: { type: "trial", id: number },
      details: { version: 1, digest: trial?.versions[0]?.digest, signature: { meaning, method: "password-reauthentication" } },
    });
    expect(meaning).toBe(`I submit this registration of “${record.publicTitle}” as sponsor on behalf of ${org.name}.`);
    expect(Date.parse(entry.document.time)).toBeGreaterThanOrEqual(before - 1000);
    expect(entry.privateDetails).toEqual({ signerName: user.name, signerEmail: user.email });
    expect(entry.orgId).toBe(org.id);
  });

  it("logs an amendment as a signed act with the version, its digest and the one it replaces", async () => {
    const { user, org } = await setUp("amend");
    const { registrationNumber } = await registerSigned({ orgId: org.id, user, input: titled("Amended trial") });
    const changed = { ...titled("Amended trial"), targetSampleSize: exampleTrialRecord.targetSampleSize + 3 };
    const signature = await signedAmendment(registrationNumber, changed);
    expect(signature.meaning).toBe(`I submit this amendment of ${registrationNumber}, “Amended trial”, as version 2, as sponsor on behalf of ${org.name}.`);
    const entry = await onlyEntryOf(
      "trial.amended",
      () => amendTrial({ registrationNumber, user, input: changed, basedOnVersion: 1, signature }),
      [user.email, TEST_PASSWORD],
    );
    const versions = (await getTrialByNumber(registrationNumber))?.versions ?? [];
    expect(entry.document.details).toEqual({
      version: 2,
      digest: versions[1]?.digest,
      previousDigest: versions[0]?.digest,
      signature: { meaning: signature.meaning, method: "password-reauthentication" },
    });
  });

  it("refuses a wrong password or meaning naming the field, through the REST API, and writes nothing at all", async () => {
    const { user, org } = await setUp("refused");
    const record = titled(`Refused registration ${Date.now()}`);
    const good = await signedRegistration(org.id, record);
    const before = await snapshotTables();

    const wrongPassword = await post(trialsRoute.POST, user, "/api/trials", { orgId: org.id, record, signature: { ...good, password: "not my password" } });
    expect(wrongPassword.status).toBe(422);
    expect(Object.keys(wrongPassword.body.error?.fieldErrors ?? {})).toEqual(["signature.password"]);

    const wrongMeaning = await post(trialsRoute.POST, user, "/api/trials", { orgId: org.id, record, signature: { ...good, meaning: "I approve nothing." } });
    expect(wrongMeaning.status).toBe(422);
    expect(wrongMeaning.body.error?.fieldErrors?.["signature.meaning"]?.[0]).toContain(good.meaning);

    const unsigned = await post(trialsRoute.POST, user, "/api/trials", { orgId: org.id, record });
    expect(unsigned.status).toBe(422);
    expect(Object.keys(unsigned.body.error?.fieldErrors ?? {})).toEqual(["signature"]);

    // Nothing written: no trial, no anchoring item, no log entry, no counter moved.
    const after = await snapshotTables();
    expect(Object.keys(after).filter((table) => after[table] !== before[table] && table !== "RateLimit")).toEqual([]);

    const signed = await post(trialsRoute.POST, user, "/api/trials", { orgId: org.id, record, signature: good });
    expect(signed.status).toBe(201);
  });

  it("refuses an amendment with a wrong password and writes no version and no entry", async () => {
    const { user, org } = await setUp("refused-amend");
    const { registrationNumber } = await registerSigned({ orgId: org.id, user, input: titled("Kept trial") });
    const changed = { ...titled("Kept trial"), targetSampleSize: 9 };
    const signature = await signedAmendment(registrationNumber, changed);
    await noEntryFrom(() => amendTrial({ registrationNumber, user, input: changed, basedOnVersion: 1, signature: { ...signature, password: "wrong password!" } }));
    const refused = await post(versionsRoute.POST, user, `/api/trials/${registrationNumber}/versions`, {
      basedOnVersion: 1,
      record: changed,
      signature: { ...signature, password: "wrong password!" },
    }, { number: registrationNumber });
    expect(refused.status).toBe(422);
    expect(Object.keys(refused.body.error?.fieldErrors ?? {})).toEqual(["signature.password"]);
    expect((await getTrialByNumber(registrationNumber))?.versions).toHaveLength(1);
  });
});
