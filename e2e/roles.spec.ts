import { expect, test } from "@playwright/test";
import { signUp, uniqueEmail } from "./support";

test("signed-in areas send visitors to sign in, and back afterwards", async ({ page }) => {
  await page.goto("/orgs");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Forgs$/);
});

test("a researcher cannot open sponsor, committee or admin pages", async ({ page }) => {
  await signUp(page, { name: "Res Earcher", email: uniqueEmail("e2e-res"), type: "RESEARCHER", institution: "Uni" });
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Home", "Registry", "Datasets", "Access", "Transparency", "Dashboard", "Access requests", "Account"]);
  for (const path of ["/orgs", "/committee", "/admin"]) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/forbidden$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("You do not have access to that page");
  }
});

test("a sponsor sees sponsor navigation but not the committee's", async ({ page }) => {
  await signUp(page, { name: "Spo Nsor", email: uniqueEmail("e2e-nav") });
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText([
    "Home",
    "Registry",
    "Datasets",
    "Access",
    "Transparency",
    "Dashboard",
    "Organisations",
    "Account",
  ]);
  await page.goto("/committee");
  await expect(page).toHaveURL(/\/forbidden$/);
});

test("the demo site administrator sees every account", async ({ page }) => {
  await page.goto("/sign-in");
  const form = page.getByRole("form", { name: "With your password" });
  await form.getByLabel("Email").fill("admin@demo.trialledger.test");
  await form.getByLabel("Password").fill("admin-demo-2026");
  await form.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Administration" }).click();
  await expect(page.getByRole("table", { name: "All accounts" })).toContainText("researcher@demo.trialledger.test");
});
