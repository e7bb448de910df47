// Datasets and releases (issue 10, points 1–3 and 5): a sponsor creates a dataset for a trial,
// fills the draft section by section, adds files that are validated while they stream, and
// publishes a signed, anchored, logged release that never changes again.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import * as datasetRoute from "@/app/api/datasets/[number]/route";
import * as dictionaryRoute from "@/app/api/datasets/[number]/releases/[release]/dictionary/route";
import { getDataset } from "@/lib/datasets/data";
import type { DataDictionary } from "@/lib/datasets/dictionary";
import { addFile, createDataset, newRelease, publicationMeaning, publishRelease, saveDraft, validateDraft } from "@/lib/datasets/service";
import { query } from "@/scripts/test/database";
import { recordDemoPseudonyms } from "@/lib/demo/mutations";
import { DUO_RELEASE } from "@/lib/duo/conditions";
import { handlerMeta } from "@/lib/handler";
import { type SponsorWithTrial, sponsorWithTrial, uploadText } from "@/scripts/test/datasets";
import { TEST_PASSWORD } from "@/scripts/test/signing";

const context = (params: Record<string, string>) => ({ params: Promise.resolve(params) });

const dictionary: DataDictionary = {
  columns: [
    { name: "pseudonym", label: "Participant pseudonym", type: "text", required: true, pseudonym: true },
    { name: "visit", label: "Visit number", type: "integer", required: true },
    { name: "sbp", label: "Systolic blood pressure", type: "integer", unit: "mmHg", required: true },
  ],
};
const metadata = {
  description: "Systolic blood pressure per visit, for every randomised participant.",
  keywords: ["hypertension", "blood pressure"],
  licence: "CC-BY-4.0",
  conditions: ["MONDO:0005044"],
  releaseNotes: "",
};
const conditions = { duoRelease: DUO_RELEASE, permission: { code: "HMB" }, modifiers: { NCU: true, PUB: true } };

async function logEntries(kind: string, subjectId: string) {
  const rows = await query(`SELECT convert_from("body", 'UTF8') AS body FROM "LogEntry" WHERE "kind" = $1 AND "subjectId" = $2`, [kind, subjectId]);
  return rows as Array<{ body: string }>;
}

/** A release as stored, with its files (oldest state of the row: read below the domain on purpose). */
async function releaseRow(number: string, release: number) {
  const row = (await getDataset(number, { publishedOnly: false }))?.releases.find((r) => r.number === release);
  const [stored] = (await query(`SELECT r."status"::text AS status, r."manifest" FROM "DatasetRelease" r JOIN "Dataset" d ON d."id" = r."datasetId" WHERE d."number" = $1 AND r."number" = $2`, [number, release])) as Array<{ status: string; manifest: string | null }>;
  if (!row || !stored) throw new Error(`no release ${release} of ${number}`);
  return { ...row, ...stored };
}

async function dataset(owner: SponsorWithTrial) {
  const created = await createDataset({ user: owner.user, registrationNumber: owner.trial.registrationNumber, title: "Blood pressure by visit" });
  return created.number;
}

async function sign(number: string, release: number, password = TEST_PASSWORD) {
  const row = await getDataset(number, { publishedOnly: false });
  if (!row) throw new Error(`no dataset ${number}`);
  return { password, meaning: await publicationMeaning(row, release) };
}

async function draftReady(owner: SponsorWithTrial, number: string, pseudonyms: string[]) {
  await saveDraft({ user: owner.user, datasetNumber: number, section: "metadata", value: metadata });
  await saveDraft({ user: owner.user, datasetNumber: number, section: "dictionary", value: dictionary });
  await saveDraft({ user: owner.user, datasetNumber: number, section: "conditions", value: conditions });
  const csv = ["pseudonym,visit,sbp", ...pseudonyms.map((p, i) => `${p},${i + 1},${120 + i}`)].join("\n");
  const upload = await uploadText(owner, csv);
  return addFile({ user: owner.user, datasetNumber: number, name: "visits.csv", digest: upload.digest });
}

describe("datasets", () => {
  it("numbers datasets per trial, logs their creation, and keeps drafts to the organisation", async () => {
    const owner = await sponsorWithTrial("numbering");
    const other = await sponsorWithTrial("outsider");
    const first = await dataset(owner);
    const second = await dataset(owner);
    expect([first, second]).toEqual([`${owner.trial.registrationNumber}.D1`, `${owner.trial.registrationNumber}.D2`]);
    const entries = await logEntries("dataset.created", first);
    expect(entries).toHaveLength(1);

    // Another organisation's member cannot create a dataset for this trial, nor see its draft.
    await expect(createDataset({ user: other.user, registrationNumber: owner.trial.registrationNumber, title: "Not theirs" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(saveDraft({ user: other.user, datasetNumber: first, section: "metadata", value: metadata })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // The public sees nothing of a dataset with no published release.
    const response = await handlerMeta(datasetRoute.GET)?.respondAs?.(null, new Request(`http://localhost/api/datasets/${first}`), context({ number: first }));
    expect(response?.status).toBe(404);
  });

  it("validates each section whole and refuses a bad one without changing the draft", async () => {
    const owner = await sponsorWithTrial("sections");
    const number = await dataset(owner);
    await saveDraft({ user: owner.user, datasetNumber: number, section: "dictionary", value: dictionary });
    const withIdentifier = { columns: [...dictionary.columns, { name: "full_name", label: "Name", type: "text", required: false, directIdentifier: true }] };
    await expect(saveDraft({ user: owner.user, datasetNumber: number, section: "dictionary", value: withIdentifier })).rejects.toMatchObject({ name: "ZodError" });
    await expect(saveDraft({ user: owner.user, datasetNumber: number, section: "metadata", value: { ...metadata, conditions: ["melanoma"] } })).rejects.toMatchObject({ name: "ZodError" });
    const row = await getDataset(number, { publishedOnly: false });
    expect(row?.releases[0]?.dictionary).toEqual(dictionary);
    expect(row?.releases[0]?.metadata).toEqual({});
  });

  it("reports a bad row and an unknown pseudonym, and refuses to publish until the file is fixed", async () => {
    const owner = await sponsorWithTrial("validation");
    const pseudonyms = await recordDemoPseudonyms(owner.trial.id, 3);
    const number = await dataset(owner);
    await draftReady(owner, number, pseudonyms);

    const unknown = `0x${"ab".repeat(32)}`;
    const bad = await uploadText(owner, ["pseudonym,visit,sbp", `${pseudonyms[0]},1,high`, `${unknown},2,130`].join("\n"));
    await addFile({ user: owner.user, datasetNumber: number, name: "visits.csv", digest: bad.digest });
    const file = (await getDataset(number, { publishedOnly: false }))?.releases[0]?.files[0];
    expect(file?.hasErrors).toBe(true);
    expect(JSON.stringify(file?.report)).toContain("sbp");
    expect(JSON.stringify(file?.report)).toContain(unknown);

    await expect(publishRelease({ user: owner.user, datasetNumber: number, signature: await sign(number, 1) })).rejects.toMatchObject({
      code: "VALIDATION",
      fieldErrors: { files: [expect.stringContaining("visits.csv") as string] },
    });
    expect(await logEntries("dataset.release-published", number)).toHaveLength(0);

    // A changed dictionary makes the reports stale; validating again brings them back.
    await saveDraft({ user: owner.user, datasetNumber: number, section: "dictionary", value: { columns: dictionary.columns.map((c) => ({ ...c, description: "Checked." })) } });
    expect((await getDataset(number, { publishedOnly: false }))?.releases[0]?.files[0]?.validatedAt).toBeNull();
    await validateDraft({ user: owner.user, datasetNumber: number });
    expect((await getDataset(number, { publishedOnly: false }))?.releases[0]?.files[0]?.hasErrors).toBe(true);
  });

  it("publishes a signed release: frozen manifest, anchored, logged, searchable, and never changed again", async () => {
    const owner = await sponsorWithTrial("publish");
    const pseudonyms = await recordDemoPseudonyms(owner.trial.id, 4);
    const number = await dataset(owner);
    const added = await draftReady(owner, number, pseudonyms);
    expect(added.validated).toBe(true);

    // A wrong password writes nothing.
    await expect(publishRelease({ user: owner.user, datasetNumber: number, signature: await sign(number, 1, "not my password") })).rejects.toMatchObject({
      code: "VALIDATION",
      fieldErrors: { "signature.password": expect.anything() as unknown },
    });
    expect((await getDataset(number, { publishedOnly: true }))?.releases).toEqual([]);

    const { manifestDigest } = await publishRelease({ user: owner.user, datasetNumber: number, signature: await sign(number, 1) });
    const release = await releaseRow(number, 1);
    expect(release.status).toBe("PUBLISHED");
    expect(`0x${createHash("sha256").update(release.manifest ?? "", "utf8").digest("hex")}`).toBe(manifestDigest);
    const manifest = JSON.parse(release.manifest ?? "{}") as { files: Array<{ digest: string }>; previousDigest: unknown; dictionary: unknown };
    expect(manifest.previousDigest).toBeNull();
    expect(manifest.dictionary).toEqual(dictionary);
    expect(manifest.files.map((f) => f.digest)).toEqual(release.files.map((f) => f.digest));
    // The manifest and each file are queued for anchoring, and the act is in the log with its meaning.
    const items = await query(`SELECT "kind", "digest" FROM "AnchorItem" WHERE "id" = ANY($1::text[]) ORDER BY "kind"`, [[release.anchorItemId, ...release.files.map((f) => f.anchorItemId)]]);
    expect(items).toEqual([
      { kind: "dataset-file", digest: release.files[0]?.digest },
      { kind: "dataset-manifest", digest: manifestDigest },
    ]);
    const logged = await logEntries("dataset.release-published", number);
    expect(logged).toHaveLength(1);
    expect(logged[0]?.body).toContain(manifestDigest);
    expect(await query(`SELECT "ref" FROM "SearchDocument" WHERE "kind" = 'dataset' AND "ref" = $1`, [number])).toHaveLength(1);

    // Published means frozen: nothing saves into it; the next release is a new draft chained to it.
    await expect(saveDraft({ user: owner.user, datasetNumber: number, section: "metadata", value: metadata })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(publishRelease({ user: owner.user, datasetNumber: number, signature: await sign(number, 1) })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await newRelease({ user: owner.user, datasetNumber: number })).number).toBe(2);
    await expect(newRelease({ user: owner.user, datasetNumber: number })).rejects.toMatchObject({ code: "CONFLICT" });
    const upload = await uploadText(owner, ["pseudonym,visit,sbp", `${pseudonyms[0]},9,118`].join("\n"));
    await addFile({ user: owner.user, datasetNumber: number, name: "visits.csv", digest: upload.digest });
    await expect(publishRelease({ user: owner.user, datasetNumber: number, signature: await sign(number, 2) })).rejects.toMatchObject({
      fieldErrors: { metadata: [expect.stringContaining("release notes") as string] },
    });
    await saveDraft({ user: owner.user, datasetNumber: number, section: "metadata", value: { ...metadata, releaseNotes: "Visit 9 added." } });
    await publishRelease({ user: owner.user, datasetNumber: number, signature: await sign(number, 2) });
    const second = await releaseRow(number, 2);
    expect(second.previousDigest).toBe(manifestDigest);
    expect((await releaseRow(number, 1)).manifest).toBe(release.manifest);

    // The public API shows both releases, files with digests and sizes, and never a report.
    const response = await handlerMeta(datasetRoute.GET)?.respondAs?.(null, new Request(`http://localhost/api/datasets/${number}`), context({ number }));
    const body = (await response?.json()) as { releases: Array<{ number: number; files: Array<Record<string, unknown>> }> };
    expect(body.releases.map((r) => r.number)).toEqual([1, 2]);
    expect(body.releases[0]?.files[0]).toMatchObject({ name: "visits.csv", format: "csv", rows: 4 });
    expect(JSON.stringify(body)).not.toContain("report");
    expect(JSON.stringify(body)).not.toContain(pseudonyms[0]);
    const csv = await handlerMeta(dictionaryRoute.GET)?.respondAs?.(null, new Request(`http://localhost/api/datasets/${number}/releases/1/dictionary?format=csv`), context({ number, release: "1" }));
    expect(await csv?.text()).toContain("Systolic blood pressure");
  });
});
