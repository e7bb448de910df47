import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Page, expect, test } from "@playwright/test";
import { signIn } from "./support";

// The acceptance run of datasets (issue 10): a sponsor creates a dataset for the demo trial,
// imports its dictionary from CSV, uploads a data file and sees the report for a bad row and an
// unknown pseudonym, fixes the file, publishes, and sees the release anchored; a visitor finds it
// in the catalogue by a parent disease of its condition and opens it; an interrupted upload resumes.

const SPONSOR = { email: "sponsor@demo.trialledger.test", password: "sponsor-demo-2026" };
const DEMO_TRIAL_TITLE = "A single low-dose three-drug pill";
/** essential hypertension, a subclass of hypertensive disorder (MONDO:0005044) in the built-in ontology. */
const PARENT_DISEASE = "MONDO:0005044";

const DICTIONARY_CSV = [
  "name,label,type,unit,codes,required,description,pseudonym,direct_identifier",
  "pseudonym,Participant pseudonym,text,,,yes,,yes,no",
  "visit,Visit number,integer,,,yes,,no,no",
  "sbp,Systolic blood pressure,integer,mmHg,,yes,,no,no",
].join("\n");

async function createDataset(page: Page, title: string): Promise<string> {
  await page.goto("/orgs/northwind/datasets");
  const trial = page.getByLabel("Trial", { exact: true });
  // The demo trial is the first registered (…-00001); other specs register more with its title.
  const values = await trial.locator("option", { hasText: DEMO_TRIAL_TITLE }).evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
  await trial.selectOption(values.find((v) => v.endsWith("-00001")) ?? "");
  await page.getByLabel("Dataset title").fill(title);
  await page.getByRole("button", { name: "Create dataset" }).click();
  await expect(page).toHaveURL(/\/orgs\/northwind\/datasets\/TLR-\d{4}-\d{5,}\.D\d+$/);
  return new URL(page.url()).pathname.split("/").at(-1) ?? "";
}

async function provenPseudonyms(page: Page): Promise<string[]> {
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download the proven pseudonyms (CSV)" }).click();
  const csv = fs.readFileSync((await (await download).path()) ?? "", "utf8");
  return csv
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split(",")[0] ?? "");
}

async function uploadData(page: Page, name: string, text: string) {
  await page.getByLabel("Add a data file (CSV, TSV or NDJSON) or a document").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(text) });
}

test("a sponsor publishes a validated, anchored release that a visitor finds by a parent disease", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signIn(page, SPONSOR.email, SPONSOR.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  const title = `Blood pressure by visit ${Date.now()}`;
  const number = await createDataset(page, title);

  // 1. Description, with the condition chosen from the ontology by typing part of its name.
  const description = page.getByRole("region", { name: "1. Description" });
  await description.getByLabel("Description").fill("Systolic blood pressure at every visit of the demo trial's participants.");
  await description.getByLabel("Keywords").fill("hypertension, blood pressure");
  await description.getByRole("combobox", { name: "Conditions the data is about (Mondo)" }).fill("essential hyperten");
  await page.getByRole("option", { name: /essential hypertension/ }).first().click();
  await description.getByRole("button", { name: "Save description" }).click();
  await expect(description.getByRole("status").filter({ hasText: "Description saved." })).toBeVisible();

  // 2. The dictionary, imported from a CSV file and saved.
  const dictionary = page.getByRole("region", { name: "2. Data dictionary" });
  await dictionary.getByLabel("Dictionary file to import").setInputFiles({ name: "dictionary.csv", mimeType: "text/csv", buffer: Buffer.from(DICTIONARY_CSV) });
  await expect(dictionary.getByText("Imported 3 columns from dictionary.csv")).toBeVisible();
  await dictionary.getByRole("button", { name: "Save the dictionary" }).click();
  await expect(dictionary.getByRole("status").filter({ hasText: "Dictionary saved." })).toBeVisible();

  // 3. The DUO conditions: health/medical/biomedical research.
  const conditions = page.getByRole("region", { name: "3. Data-use conditions (DUO)" });
  await conditions.getByRole("radio", { name: /\(HMB, DUO:0000006\)/ }).check();
  await conditions.getByRole("button", { name: "Save the conditions" }).click();
  await expect(conditions.getByRole("status").filter({ hasText: "Conditions saved." })).toBeVisible();

  // 4. A data file with a bad row and an unknown pseudonym: the report names both.
  const files = page.getByRole("region", { name: "4. Files" });
  const pseudonyms = await provenPseudonyms(page);
  expect(pseudonyms.length).toBeGreaterThanOrEqual(2);
  const unknown = "1234567890123456789012345678901234567890";
  await uploadData(page, "visits.csv", ["pseudonym,visit,sbp", `${pseudonyms[0]},1,128`, `${pseudonyms[1]},1,high`, `${unknown},1,131`].join("\n"));
  const report = page.getByTestId("file-visits.csv");
  await expect(report).toContainText("Has errors");
  await expect(report).toContainText("sbp");
  await expect(report).toContainText(unknown);
  await expect(page.getByTestId("publication-problems")).toContainText("“visits.csv” has errors");

  // The fixed file replaces it under the same name and validates cleanly.
  await uploadData(page, "visits.csv", ["pseudonym,visit,sbp", `${pseudonyms[0]},1,128`, `${pseudonyms[1]},1,141`].join("\n"));
  await expect(report).toContainText("Valid");
  await expect(files.getByText("2 rows, no errors")).toBeVisible();

  // 5. Publish, a signed act; then the release is anchored on chain.
  const publish = page.getByRole("region", { name: "5. Publish" });
  await expect(publish.getByTestId("signature-meaning")).toContainText(`I publish release 1 of ${number}`);
  await publish.getByLabel("Your password, to sign").fill(SPONSOR.password);
  await publish.getByRole("button", { name: "Sign and publish release 1" }).click();
  const released = page.getByTestId("release-1");
  await expect(released).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("release-1")).toContainText("Anchored in block", { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });

  // A visitor finds it in the catalogue by the parent disease, and opens it.
  const visitor = await browser.newPage();
  await visitor.goto(`/datasets?condition=${PARENT_DISEASE}`);
  await expect(visitor.getByText(`${PARENT_DISEASE}: hypertensive disorder`)).toBeVisible();
  await visitor.getByRole("link", { name: title }).click();
  await expect(visitor).toHaveURL(new RegExp(`/datasets/${number.replace(".", "\\.")}$`));
  await expect(visitor.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(visitor.getByTestId("duo-conditions")).toContainText("HMB");
  const jsonLd = JSON.parse((await visitor.locator('script[type="application/ld+json"]').textContent()) ?? "{}") as Record<string, unknown>;
  expect(jsonLd).toMatchObject({ "@type": "Dataset", identifier: number, isAccessibleForFree: false });
  expect(jsonLd).not.toHaveProperty("distribution");
  // Names, sizes and digests of files, never their contents.
  await expect(visitor.getByRole("region", { name: "Files of this release" })).toContainText("visits.csv");
  expect(await visitor.content()).not.toContain(pseudonyms[0]);
  await visitor.close();
});

test("an interrupted upload continues from where it stopped", async ({ page, context }) => {
  test.setTimeout(120_000);
  await signIn(page, SPONSOR.email, SPONSOR.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await createDataset(page, `Large file ${Date.now()}`);
  const datasetUrl = page.url();

  // 60 MiB: the first 50 MiB go with the creating request, the rest in a PATCH.
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tl-e2e-")), "imaging.bin");
  fs.writeFileSync(file, Buffer.alloc(60 * 1024 * 1024, 7));
  const created = page.waitForResponse((r) => r.url().includes("/api/uploads/tus") && r.request().method() === "POST");
  await page.getByLabel("Add a data file (CSV, TSV or NDJSON) or a document").setInputFiles(file);
  expect((await created).status()).toBe(201);
  // The tab closes mid-upload, after the first chunk reached the server.
  await page.close();

  const again = await context.newPage();
  await again.goto(datasetUrl);
  const offsets: string[] = [];
  again.on("request", (request) => {
    if (request.url().includes("/api/uploads/tus") && request.method() === "PATCH") offsets.push(request.headers()["upload-offset"] ?? "");
  });
  await again.getByLabel("Add a data file (CSV, TSV or NDJSON) or a document").setInputFiles(file);
  await expect(again.getByTestId("file-imaging.bin")).toBeVisible({ timeout: 60_000 });
  // It continued from the server's offset, not from zero.
  expect(Number(offsets[0])).toBeGreaterThan(0);
});
