import { expect, test } from "@playwright/test";

// The demo seed (lib/demo/service.ts) registers one trial: TRIPLE-BP, phase 3, by Northwind.
const TITLE = "A single low-dose three-drug pill compared with usual care for adults whose blood pressure is too high";

test("the registry lists the demo trial and shows an empty state for a phase that matches nothing", async ({ page }) => {
  await page.goto("/trials");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Trial registry");
  const results = page.getByRole("table", { name: "Registered trials" });
  await expect(results).toContainText(TITLE);
  await expect(results).toContainText("Northwind Clinical Research");

  await page.getByLabel("Phase").selectOption("phase-1");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/phase=phase-1/);
  await expect(page.getByText("No trial matches these filters.")).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);
});

test("the trial page shows the record, its versions and no outcome changes, and links to FHIR", async ({ page, request }) => {
  await page.goto("/trials?q=TRIPLE-BP");
  // The demo trial is the first registered; other tests register more from the same example.
  await page.getByRole("table", { name: /Registered trials/ }).getByRole("link", { name: /^TLR-\d{4}-00001$/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(TITLE);

  const changes = page.getByRole("region", { name: "Outcome changes" });
  await expect(changes).toContainText("No outcome changes");
  const versions = page.getByRole("table", { name: /^Versions of TLR-/ });
  await expect(versions.getByRole("row")).toHaveCount(2);
  await expect(versions).toContainText(/0x[0-9a-f]{64}/);

  const ld = await page.locator('script[type="application/ld+json"]').textContent();
  expect(JSON.parse(ld ?? "{}")).toMatchObject({ "@type": "MedicalTrial", name: TITLE, phase: "Phase 3" });

  const href = await page.getByRole("link", { name: "FHIR R4 ResearchStudy (JSON)" }).getAttribute("href");
  expect(href).toMatch(/^\/trials\/TLR-\d{4}-\d{5}\/fhir$/);
  const response = await request.get(href ?? "");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("application/fhir+json");
  expect(await response.json()).toMatchObject({ resourceType: "ResearchStudy", title: expect.stringContaining("TRIPLE-BP") });
});

test("an unknown registration number is a 404", async ({ page, request }) => {
  const response = await page.goto("/trials/TLR-1999-00001");
  expect(response?.status()).toBe(404);
  expect((await request.get("/trials/TLR-1999-00001/fhir")).status()).toBe(404);
});

test("the search form is reachable with the keyboard", async ({ page }) => {
  await page.goto("/trials");
  const search = page.getByLabel("Search", { exact: true });
  for (let i = 0; i < 15 && !(await search.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press("Tab");
  }
  await expect(search).toBeFocused();
  await page.keyboard.type("hypertension");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/q=hypertension/);
  await expect(page.getByRole("table", { name: /Registered trials/ })).toContainText(TITLE);
});
