import { expect, test } from "@playwright/test";
import { alerts, signUp, uniqueEmail } from "./support";

test("create an organisation, invite a colleague with a committee seat, who accepts", async ({ page, browser }) => {
  const orgName = `E2E Trials ${Date.now()}`;
  await signUp(page, { name: "Ada Admin", email: uniqueEmail("e2e-orgadmin") });
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Organisations" }).click();
  await page.getByLabel("Organisation name").fill(orgName);
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(orgName);

  const colleague = uniqueEmail("e2e-colleague");
  await page.getByLabel("Email of the person to invite").fill(colleague);
  await page.getByLabel("Seat on the data-access committee").check();
  await page.getByRole("button", { name: "Create invitation" }).click();
  const link = (await page.getByTestId("invite-link").textContent()) ?? "";
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);

  const context = await browser.newContext();
  const other = await context.newPage();
  await other.goto(link);
  await expect(other.getByRole("heading", { level: 1 })).toHaveText(`Join ${orgName}`);
  await signUp(other, { name: "Col League", email: colleague });
  await other.goto(link);
  await other.getByRole("button", { name: "Accept the invitation" }).click();
  await expect(other.getByRole("heading", { level: 1 })).toHaveText(orgName);
  await expect(other.getByRole("table", { name: `Members of ${orgName}` })).toContainText("Col League");
  await expect(other.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Committee" })).toBeVisible();

  // Used once: the link now says so.
  await other.goto(link);
  await expect(alerts(other)).toContainText("expired or was already used");
  await context.close();
});

test("an invitation cannot be taken by another account", async ({ page, browser }) => {
  await signUp(page, { name: "Own Er", email: uniqueEmail("e2e-owner") });
  await page.goto("/orgs");
  await page.getByLabel("Organisation name").fill(`Guarded ${Date.now()}`);
  await page.getByRole("button", { name: "Create organisation" }).click();
  await page.getByLabel("Email of the person to invite").fill(uniqueEmail("e2e-intended"));
  await page.getByRole("button", { name: "Create invitation" }).click();
  const link = (await page.getByTestId("invite-link").textContent()) ?? "";

  const context = await browser.newContext();
  const intruder = await context.newPage();
  await signUp(intruder, { name: "In Truder", email: uniqueEmail("e2e-intruder") });
  await intruder.goto(link);
  await intruder.getByRole("button", { name: "Accept the invitation" }).click();
  await expect(alerts(intruder)).toContainText("This invitation is for");
  await context.close();
});
