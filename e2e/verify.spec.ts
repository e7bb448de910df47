import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

// The demo trial's first version is anchored by the embedded worker within seconds of start-up.
test("the verifier page verifies a registered record with its receipt, in the browser, and rejects a one-byte change", async ({ page, request }) => {
  const list = (await (await request.get("/api/trials?sort=oldest&pageSize=5")).json()) as { results: Array<{ registrationNumber: string }> };
  // The demo trial: the first registered (other tests register more while this one runs).
  const number = list.results.find((t) => t.registrationNumber.endsWith("-00001"))?.registrationNumber;
  expect(number).toBeTruthy();

  let receipt = "";
  await expect
    .poll(async () => {
      const response = await request.get(`/api/trials/${number}/versions/1/receipt`);
      if (response.status() === 200) receipt = await response.text();
      return response.status();
    }, { timeout: 30_000 })
    .toBe(200);
  const record = await (await request.get(`/api/trials/${number}/versions/1/record`)).body();

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-verify-"));
  const recordFile = path.join(dir, "record.json");
  const changedFile = path.join(dir, "record-changed.json");
  const receiptFile = path.join(dir, "receipt.json");
  fs.writeFileSync(recordFile, record);
  const changed = Buffer.from(record);
  changed[changed.length - 2] = (changed[changed.length - 2] ?? 0) ^ 1;
  fs.writeFileSync(changedFile, changed);
  fs.writeFileSync(receiptFile, receipt);

  await page.goto("/verify");
  await page.getByLabel(/^File/).setInputFiles(recordFile);
  await page.getByLabel("Receipt (JSON)").setInputFiles(receiptFile);
  await page.getByRole("button", { name: "Verify" }).click();
  const result = page.getByTestId("verification-result");
  await expect(result.getByRole("status")).toContainText("Verified: This file existed no later than");
  await expect(result).toContainText("Root anchored on chain");

  await page.getByLabel(/^File/).setInputFiles(changedFile);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(result.getByRole("status")).toContainText("Not verified");
  await expect(result).toContainText("the item was changed");
  fs.rmSync(dir, { recursive: true, force: true });
});

test("the verifier explains what it needs", async ({ page }) => {
  await page.goto("/verify");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.locator('[role="alert"]:not(#__next-route-announcer__)')).toHaveText("Choose a file, a receipt, or both.");
});
