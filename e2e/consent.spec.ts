import fs from "node:fs";
import { type Browser, type Page, expect, test } from "@playwright/test";
import { signIn } from "./support";

// The acceptance run of anonymous consent, with real proofs made in Chromium: a sponsor issues
// codes; two participants in separate browser contexts enrol and consent; one withdraws; the public
// tally shows 1 granted and 1 withdrawn; a replayed earlier proof is refused; a backup exported in
// one context and restored in a fresh one still changes that participant's consent.

const SPONSOR = { email: "sponsor@demo.trialledger.test", password: "sponsor-demo-2026" };
const ITEM = "My coded data may be shared with researchers studying other diseases.";

async function registerTrial(page: Page): Promise<string> {
  await signIn(page, SPONSOR.email, SPONSOR.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/orgs/northwind/trials/new");
  await page.getByRole("button", { name: "Fill with example" }).click();
  await page.getByLabel("Public title", { exact: true }).fill(`E2E consent trial ${Date.now()}`);
  await page.getByRole("button", { name: "Review" }).click();
  await page.getByLabel("Your password, to sign").fill(SPONSOR.password);
  await page.getByRole("button", { name: "Sign and register the trial" }).click();
  await expect(page).toHaveURL(/\/trials\/TLR-\d{4}-\d{5,}$/);
  return new URL(page.url()).pathname.split("/").at(-1) ?? "";
}

async function issueCodes(page: Page, number: string, count: number): Promise<string[]> {
  await page.goto(`/orgs/northwind/trials/${number}/consent`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Consent and enrolment for ${number}`);
  await page.getByRole("textbox", { name: "Consent item 1: text" }).fill(ITEM);
  await page
    .getByRole("group", { name: "Consent item 1: applies when granted" })
    .getByRole("checkbox", { name: /^GRU \(DUO:0000042\)/ })
    .check();
  await page
    .getByRole("group", { name: "Consent item 1: applies when withheld" })
    .getByRole("checkbox", { name: /^DS \(DUO:0000007\)/ })
    .check();
  await page.getByRole("button", { name: "Save consent items" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved as version 1." })).toBeVisible();

  await page.getByLabel("How many codes?").fill(String(count));
  await page.getByRole("button", { name: "Generate codes" }).click();
  await expect(page.getByText(`Generated ${count === 1 ? "1 code" : `${count} codes`}. They are shown only now.`)).toBeVisible();
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download CSV" }).click();
  const csv = fs.readFileSync((await (await download).path()) ?? "", "utf8");
  const codes = csv
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split(",")[1]?.replaceAll('"', "") ?? "");
  expect(codes).toHaveLength(count);
  return codes;
}

type Participant = { page: Page; passphrase: string };

async function newParticipant(browser: Browser, name: string): Promise<Participant> {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const passphrase = `${name} passphrase for e2e`;
  await page.goto("/participate");
  await page.getByLabel("Passphrase", { exact: true }).fill(passphrase);
  await page.getByLabel("Passphrase again").fill(passphrase);
  await page.getByRole("button", { name: "Create wallet" }).click();
  await expect(page.getByRole("region", { name: "Your trials" })).toContainText("No trials on this device yet.");
  return { page, passphrase };
}

async function unlock({ page, passphrase }: Participant): Promise<void> {
  await page.getByLabel("Passphrase", { exact: true }).fill(passphrase);
  await page.getByRole("button", { name: "Unlock" }).click();
}

async function enrol(participant: Participant, code: string, number: string): Promise<void> {
  const { page } = participant;
  await page.goto(`/participate/enrol#code=${code}`);
  await unlock(participant); // a new page load: the wallet is locked again
  await expect(page.getByLabel("Enrolment code")).toHaveValue(code);
  await page.getByRole("button", { name: "Check code" }).click();
  await expect(page.getByText(`Registration number ${number}`)).toBeVisible();
  await page.getByRole("button", { name: "Enrol in this trial" }).click();
  await page.getByRole("link", { name: "Continue to your consent choices" }).click();
  await expect(page).toHaveURL(new RegExp(`/participate/trials/${number}$`));
  await expect(page.getByText("You are a member of this trial's group on chain.")).toBeVisible({ timeout: 60_000 });
}

async function decide(page: Page, agree: boolean): Promise<void> {
  await page.getByRole("group", { name: ITEM }).getByRole("radio", { name: agree ? "Yes, I agree" : "No" }).check();
  await page.getByRole("button", { name: "Save my choices" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your choices were saved." })).toBeVisible({ timeout: 60_000 });
}

async function expectLatestRecorded(page: Page, sequence: number): Promise<void> {
  await expect(page.getByRole("region", { name: "Your history" }).getByRole("listitem").last()).toContainText(
    new RegExp(`Decision ${sequence} .*Recorded on chain`),
    { timeout: 60_000 },
  );
}

test("codes, two anonymous participants, a withdrawal, the public tally, a refused replay and a restored backup", async ({ browser, page }) => {
  test.setTimeout(360_000);
  const number = await registerTrial(page);
  const [codeA, codeB] = await issueCodes(page, number, 2);
  if (!codeA || !codeB) throw new Error("codes missing");

  const alice = await newParticipant(browser, "alice");
  const bob = await newParticipant(browser, "bob");
  await enrol(alice, codeA, number);
  // Alone in the group, a decision would name her commitment: the page says why it must wait
  // (the run's CONSENT_MIN_GROUP_SIZE is 2).
  await expect(alice.page.getByRole("alert").filter({ hasText: "Decisions open once 2 participants have enrolled in this trial; 1 has so far." })).toBeVisible();
  await expect(alice.page.getByRole("button", { name: "Save my choices" })).toBeDisabled();
  await enrol(bob, codeB, number);
  await expect(alice.page.getByRole("button", { name: "Save my choices" })).toBeEnabled({ timeout: 30_000 });

  // Alice grants; her first proof is kept to replay later.
  const firstRequest = alice.page.waitForRequest((r) => r.url().endsWith(`/api/consent/trials/${number}/decisions`) && r.method() === "POST");
  await decide(alice.page, true);
  const firstProof = (await firstRequest).postDataJSON() as unknown;
  await expectLatestRecorded(alice.page, 1);

  // Bob grants, then withdraws everything.
  await decide(bob.page, true);
  await expectLatestRecorded(bob.page, 1);
  await bob.page.getByRole("button", { name: "Withdraw all consent" }).click();
  await bob.page.getByRole("button", { name: "Confirm: withdraw all consent" }).click();
  await expect(bob.page.getByRole("status").filter({ hasText: "You withdrew your consent to everything." })).toBeVisible({ timeout: 60_000 });
  await expectLatestRecorded(bob.page, 2);

  // The public tally: 1 granted, 1 withdrawn.
  const overview = (await (await page.request.get(`/api/consent/trials/${number}`)).json()) as { tally: { granted: number; withdrawn: number; notAnswered: number }[] };
  expect(overview.tally).toEqual([expect.objectContaining({ granted: 1, withdrawn: 1, notAnswered: 0 })]);
  await page.goto(`/trials/${number}/consent`);
  await expect(page.getByText(/Anonymity set: 2 members\./)).toBeVisible();
  const tally = page.getByRole("table", { name: /Consent tally/ });
  await expect(tally.getByRole("row").nth(1)).toContainText(/1\s*1\s*0/);
  // "Verify all" re-checks every proof and the tally against the chain, in this browser.
  await page.getByRole("button", { name: "Verify all" }).click();
  await expect(page.getByTestId("consent-verification-result")).toContainText("All 3 proofs verify and the tally matches the chain", { timeout: 30_000 });

  // A replayed earlier proof is refused by the portal (and, were it relayed, by the contract).
  await decide(alice.page, true); // Alice confirms again: sequence 2
  await expectLatestRecorded(alice.page, 2);
  const replay = await page.request.post(`/api/consent/trials/${number}/decisions`, { data: firstProof });
  expect(replay.status()).toBe(409);

  // Alice's backup, restored in a fresh context, still acts for her.
  await alice.page.goto("/participate");
  await unlock(alice);
  const download = alice.page.waitForEvent("download");
  await alice.page.getByRole("button", { name: "Download backup file" }).click();
  const backupPath = (await (await download).path()) ?? "";
  const fresh = await (await browser.newContext()).newPage();
  await fresh.goto("/participate");
  await fresh.getByText("I already have a wallet on another device").click();
  await fresh.getByLabel("Backup file", { exact: true }).setInputFiles(backupPath);
  await fresh.getByLabel("The backup's passphrase").fill(alice.passphrase);
  await fresh.getByRole("button", { name: "Restore from backup" }).click();
  await fresh.getByRole("region", { name: "Your trials" }).getByRole("link").first().click();
  await expect(fresh).toHaveURL(new RegExp(`/participate/trials/${number}$`));
  await expect(fresh.getByRole("region", { name: "Your history" })).toContainText("Decision 2");
  await decide(fresh, false);
  await expectLatestRecorded(fresh, 3);
  const after = (await (await page.request.get(`/api/consent/trials/${number}`)).json()) as typeof overview;
  expect(after.tally).toEqual([expect.objectContaining({ granted: 0, withdrawn: 2 })]);

  // Pseudonym handover: the sponsor's challenge, answered by the participant's device, shows the
  // pseudonym the device displays.
  await page.goto(`/orgs/northwind/trials/${number}/pseudonym`);
  await page.getByRole("button", { name: "Issue a challenge" }).click();
  const challenge = ((await page.getByTestId("challenge").textContent()) ?? "").replace(/\s/g, "");
  expect(challenge).toMatch(/^[0-9a-f]{32}$/);
  await expect(page.getByTestId("handover-status")).toContainText("Waiting for the participant's device");
  const pseudonym = ((await fresh.getByLabel("Your pseudonym", { exact: true }).textContent()) ?? "").trim();
  await fresh.getByLabel("Challenge from the trial team").fill(challenge);
  await fresh.getByRole("button", { name: "Prove my pseudonym" }).click();
  await expect(fresh.getByRole("status").filter({ hasText: "Sent." })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("verified-pseudonym")).toHaveText(pseudonym, { timeout: 15_000 });
});

test("the wallet: a wrong passphrase, an unreadable stored wallet, and a restore from the recovery phrase that finds its trial", async ({ browser, page }) => {
  test.setTimeout(180_000);
  const number = await registerTrial(page);
  const [code] = await issueCodes(page, number, 1);
  if (!code) throw new Error("no code");
  const carol = await newParticipant(browser, "carol");
  await enrol(carol, code, number);

  // A wrong passphrase is refused and says so.
  await carol.page.goto("/participate");
  await carol.page.getByLabel("Passphrase", { exact: true }).fill("not carol's passphrase");
  await carol.page.getByRole("button", { name: "Unlock" }).click();
  await expect(carol.page.getByRole("alert").filter({ hasText: /Wrong passphrase/ })).toBeVisible();
  await unlock(carol);
  await carol.page.getByRole("button", { name: "Show recovery phrase" }).click();
  const phrase = ((await carol.page.getByLabel("Recovery phrase").textContent()) ?? "").trim();
  expect(phrase.split(/\s+/)).toHaveLength(24);

  // Another device whose stored wallet is unreadable: it offers the restore, and the phrase finds the trial.
  const other = await (await browser.newContext()).newPage();
  await other.goto("/participate");
  await other.evaluate(() => window.localStorage.setItem("trialledger.wallet.v1", "{not a wallet"));
  await other.reload();
  await expect(other.getByRole("alert").filter({ hasText: "cannot be read" })).toBeVisible();
  await other.getByLabel("Recovery phrase (24 words)").fill(phrase.toUpperCase());
  await other.getByLabel("New passphrase for this device").fill("a new passphrase here");
  await other.getByRole("button", { name: "Restore from phrase" }).click();
  await expect(other.getByRole("region", { name: "Your trials" })).toContainText("No trials on this device yet.");
  await other.getByRole("button", { name: "Find my trials" }).click();
  await expect(other.getByText("Found 1 trial.")).toBeVisible({ timeout: 30_000 });
  await other.getByRole("region", { name: "Your trials" }).getByRole("link").first().click();
  await expect(other).toHaveURL(new RegExp(`/participate/trials/${number}$`));
  await expect(other.getByText("You are a member of this trial's group on chain.")).toBeVisible();
  // The same pseudonym as on Carol's first device.
  await carol.page.goto(`/participate/trials/${number}`);
  await unlock(carol);
  const original = await carol.page.getByLabel("Your pseudonym", { exact: true }).textContent();
  await expect(other.getByLabel("Your pseudonym", { exact: true })).toHaveText(original ?? "");
});
