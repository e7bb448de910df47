import fs from "node:fs";
import { type Browser, type Page, expect, test } from "@playwright/test";
import { signIn, signOut } from "./support";

// Issue 9's acceptance in Chromium: a sign-in, a registration signed with the password re-entered,
// and an anonymous consent decision each appear on the public /transparency page once the
// sequencer has integrated them; the page verifies the log against the chain witness in the
// browser; a site administrator filters the audit trail by actor and sees the private details; and
// both pages fit a 390 px screen.

const SPONSOR = { email: "sponsor@demo.trialledger.test", password: "sponsor-demo-2026" };
const ADMIN = { email: "admin@demo.trialledger.test", password: "admin-demo-2026" };
const ITEM = "My coded data may be shared with researchers studying other diseases.";

async function registerSigned(page: Page, title: string): Promise<string> {
  await page.goto("/orgs/northwind/trials/new");
  await page.getByRole("button", { name: "Fill with example" }).click();
  await page.getByLabel("Public title", { exact: true }).fill(title);
  await page.getByRole("button", { name: "Review" }).click();
  await expect(page.getByTestId("signature-meaning")).toContainText(title);
  await page.getByLabel("Your password, to sign").fill(SPONSOR.password);
  await page.getByRole("button", { name: "Register the trial" }).click();
  await expect(page).toHaveURL(/\/trials\/TLR-\d{4}-\d{5,}$/);
  return new URL(page.url()).pathname.split("/").at(-1) ?? "";
}

async function issueCodes(page: Page, number: string): Promise<string[]> {
  await page.goto(`/orgs/northwind/trials/${number}/consent`);
  await page.getByRole("textbox", { name: "Consent item 1: text" }).fill(ITEM);
  await page.getByRole("group", { name: "Consent item 1: applies when granted" }).getByRole("checkbox", { name: /^GRU \(DUO:0000042\)/ }).check();
  await page.getByRole("group", { name: "Consent item 1: applies when withheld" }).getByRole("checkbox", { name: /^DS \(DUO:0000007\)/ }).check();
  await page.getByRole("button", { name: "Save consent items" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved as version 1." })).toBeVisible();
  await page.getByLabel("How many codes?").fill("2");
  await page.getByRole("button", { name: "Generate codes" }).click();
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download CSV" }).click();
  const csv = fs.readFileSync((await (await download).path()) ?? "", "utf8");
  return csv
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split(",")[1]?.replaceAll('"', "") ?? "");
}

/** A participant's wallet in its own browser context, enrolled with `code` in its trial. */
async function enrolled(browser: Browser, name: string, code: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  const passphrase = `${name} passphrase for e2e`;
  await page.goto("/participate");
  await page.getByLabel("Passphrase", { exact: true }).fill(passphrase);
  await page.getByLabel("Passphrase again").fill(passphrase);
  await page.getByRole("button", { name: "Create wallet" }).click();
  await expect(page.getByRole("region", { name: "Your trials" })).toBeVisible();
  await page.goto(`/participate/enrol#code=${code}`);
  await page.getByLabel("Passphrase", { exact: true }).fill(passphrase);
  await page.getByRole("button", { name: "Unlock" }).click();
  await page.getByRole("button", { name: "Check code" }).click();
  await page.getByRole("button", { name: "Enrol in this trial" }).click();
  await page.getByRole("link", { name: "Continue to your consent choices" }).click();
  await expect(page.getByText("You are a member of this trial's group on chain.")).toBeVisible({ timeout: 60_000 });
  return page;
}

/** The public search for `query`, reloaded until the sequencer has integrated a matching entry. */
async function expectOnTransparency(page: Page, query: Record<string, string>, text: string | RegExp): Promise<void> {
  const entries = page.getByRole("table", { name: /Log entries/ });
  await expect(async () => {
    await page.goto(`/transparency?${new URLSearchParams(query).toString()}`);
    await expect(entries.getByTestId("log-entry").first()).toContainText(text, { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
}

async function fitsPhone(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "the page scrolls sideways at 390 px").toBeLessThanOrEqual(0);
}

test("a sign-in, a signed registration and a consent decision appear on /transparency, which verifies against the chain; an administrator filters the trail by actor", async ({ browser, page }) => {
  test.setTimeout(360_000);
  await signIn(page, SPONSOR.email, SPONSOR.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  const number = await registerSigned(page, `E2E transparency trial ${Date.now()}`);
  const [codeA, codeB] = await issueCodes(page, number);
  if (!codeA || !codeB) throw new Error("codes missing");
  // The organisation's administrator sees the organisation's own trail.
  await page.goto("/orgs/northwind");
  await page.getByRole("link", { name: "Audit trail" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Audit trail");
  await expect(page.getByRole("table", { name: /Audit trail entries/ }).getByTestId("audit-entry").filter({ hasText: number }).filter({ hasText: "Enrolment codes issued" })).toHaveCount(1);
  await signOut(page);

  // A consent decision, made with a real proof (decisions open at two members in this run).
  const alice = await enrolled(browser, "alice", codeA);
  const bob = await enrolled(browser, "bob", codeB);
  await bob.context().close();
  await expect(alice.getByRole("button", { name: "Save my choices" })).toBeEnabled({ timeout: 30_000 });
  await alice.getByRole("group", { name: ITEM }).getByRole("radio", { name: "Yes, I agree" }).check();
  await alice.getByRole("button", { name: "Save my choices" }).click();
  await expect(alice.getByRole("status").filter({ hasText: "Your choices were saved." })).toBeVisible({ timeout: 60_000 });
  await alice.context().close();

  // The administrator's trail, filtered by the sponsor's address: their sign-in and their signed
  // registration, with the private details only administrators see, each matching its commitment.
  await signIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit trail" }).click();
  const filters = page.getByRole("search", { name: "Filter the audit trail" });
  await filters.getByLabel("Actor").fill(SPONSOR.email);
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/\/admin\/audit\?actor=sponsor%40demo\.trialledger\.test/);
  const trail = page.getByRole("table", { name: /Audit trail entries/ });
  const rows = trail.getByTestId("audit-entry");
  await expect(rows.first()).toBeVisible();
  // Every row is the sponsor's: the filter narrowed the trail to that actor.
  for (const row of await rows.all()) await expect(row).toContainText(SPONSOR.email);
  const registration = rows.filter({ hasText: "Trial registered" }).filter({ hasText: number });
  await expect(registration).toHaveCount(1);
  await expect(registration.getByTestId("commitment-check")).toHaveText("Private details match the entry's commitment");
  await registration.getByText("Details", { exact: true }).click();
  await expect(registration).toContainText(`I submit this registration`);
  await expect(registration).toContainText(SPONSOR.email); // signerEmail: private, shown to the administrator
  await expect(rows.filter({ hasText: "Signed in" }).first()).toBeVisible();
  const accountId = (await rows.first().getByTestId("actor-id").textContent())?.trim() ?? "";
  expect(accountId).not.toBe("");

  // The public page: the registration, the sponsor's sign-in (by account id: e-mails are not
  // public) and the anonymous decision, none with a private detail in clear.
  await expectOnTransparency(page, { kind: "trial.registered", subject: `trial:${number}` }, "Trial registered");
  await expect(page.getByRole("table", { name: /Log entries/ })).not.toContainText(SPONSOR.email);
  await expectOnTransparency(page, { kind: "auth.signed-in", actor: accountId }, "Signed in");
  await expectOnTransparency(page, { kind: "consent.decision-accepted", subject: `trial:${number}` }, "A participant (anonymous)");

  // The browser checks the checkpoint's signature, reads LogWitness.latest() from the chain and
  // proves the log extends it. The witness pump anchors by count or age, so wait for an anchor.
  await expect(async () => {
    await page.goto("/transparency");
    await expect(page.getByTestId("witness-state")).toContainText("Anchored entries", { timeout: 1_000 });
  }).toPass({ timeout: 120_000 });
  await page.getByRole("button", { name: "Verify against the chain" }).click();
  const verification = page.getByTestId("log-verification");
  await expect(verification.getByRole("status")).toContainText("Verified: The log's", { timeout: 30_000 });
  await expect(verification).toContainText("✓ The log extends the history anchored on chain");

  // Both pages fit a phone, and the filter form works from the keyboard.
  await page.setViewportSize({ width: 390, height: 844 });
  await fitsPhone(page);
  await page.goto("/admin/audit");
  await fitsPhone(page);
  await page.getByLabel("Actor").focus();
  await page.keyboard.type(SPONSOR.email);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/actor=sponsor%40demo\.trialledger\.test/);
  await fitsPhone(page);
});
