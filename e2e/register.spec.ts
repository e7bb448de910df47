import { expect, test } from "@playwright/test";
import { alerts, signIn } from "./support";

const SPONSOR = { email: "sponsor@demo.trialledger.test", password: "sponsor-demo-2026" };

test("register a trial with a protocol, see it anchored, verify the protocol, amend a primary outcome's time frame", async ({ page, request }) => {
  const title = `E2E registered trial ${Date.now()}`;
  await signIn(page, SPONSOR.email, SPONSOR.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/orgs/northwind");
  await page.getByRole("link", { name: "Register a trial" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Register a trial");

  await page.getByRole("button", { name: "Fill with example" }).click();
  await page.getByLabel("Public title", { exact: true }).fill(title);
  const protocol = `protocol-${Date.now()}.pdf`;
  const protocolBytes = Buffer.from(`%PDF-1.4\n% ${title}\n%%EOF\n`);
  await page.getByLabel("Protocol (PDF)").setInputFiles({ name: protocol, mimeType: "application/pdf", buffer: protocolBytes });
  await expect(page.getByText(`Uploaded ${protocol}`)).toContainText(/SHA-256: 0x[0-9a-f]{64}|SHA-256: [0-9a-f]{64}/);
  await page.getByRole("button", { name: "Review" }).click();
  await expect(page.getByRole("region", { name: "Review before registering" })).toContainText(title);
  // A signed act: the meaning is shown, and a wrong password is refused with nothing registered.
  const sign = page.getByRole("group", { name: "Sign" });
  await expect(sign.getByTestId("signature-meaning")).toHaveText(`I submit this registration of “${title}” as sponsor on behalf of Northwind Clinical Research.`);
  await sign.getByLabel("Your password, to sign").fill("not the sponsor's password");
  await page.getByRole("button", { name: "Sign and register the trial" }).click();
  await expect(alerts(page)).toContainText("That is not your password");
  await expect(sign.getByLabel("Your password, to sign")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/orgs\/northwind\/trials\/new$/);
  await sign.getByLabel("Your password, to sign").fill(SPONSOR.password);
  await page.getByRole("button", { name: "Sign and register the trial" }).click();

  await expect(page).toHaveURL(/\/trials\/TLR-\d{4}-\d{5,}$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(page.getByRole("region", { name: "Files" })).toContainText(protocol);
  const number = new URL(page.url()).pathname.split("/").at(-1) ?? "";

  // The embedded worker anchors within seconds: the Files table then shows the block.
  const files = page.getByRole("region", { name: "Files" });
  await expect(async () => {
    await page.reload();
    await expect(files).toContainText("Anchored in block", { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  const digest = (await files.locator("td.font-mono").first().textContent())?.trim() ?? "";
  const receipt = await (await request.get(`/api/trials/${number}/files/${digest}/receipt`)).text();

  // The verifier page checks the protocol against the chain, and refuses a one-byte change.
  await page.goto("/verify");
  await page.getByLabel(/^File/).setInputFiles({ name: protocol, mimeType: "application/pdf", buffer: protocolBytes });
  await page.getByLabel("Receipt (JSON)").setInputFiles({ name: "receipt.json", mimeType: "application/json", buffer: Buffer.from(receipt) });
  await page.getByRole("button", { name: "Verify" }).click();
  const result = page.getByTestId("verification-result");
  await expect(result.getByRole("status")).toContainText("Verified: This file existed no later than");
  const changed = Buffer.from(protocolBytes);
  changed[5] = (changed[5] ?? 0) ^ 1;
  await page.getByLabel(/^File/).setInputFiles({ name: protocol, mimeType: "application/pdf", buffer: changed });
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(result.getByRole("status")).toContainText("Not verified");

  // Amend from the organisation's list of trials.
  await page.goto("/orgs/northwind");
  await page.getByRole("link", { name: `Amend ${number}` }).click();
  await page.getByLabel("Primary outcome 1: time frame", { exact: true }).fill("16 weeks after randomisation");
  await page.getByRole("button", { name: "Review" }).click();
  await expect(page.getByTestId("review-changes")).toHaveText("Changes in this amendment: Primary outcomes.");
  await expect(page.getByTestId("signature-meaning")).toHaveText(
    `I submit this amendment of ${number}, “${title}”, as version 2, as sponsor on behalf of Northwind Clinical Research.`,
  );
  await page.getByLabel("Your password, to sign").fill(SPONSOR.password);
  await page.getByRole("button", { name: "Sign and register the amendment" }).click();

  await expect(page).toHaveURL(new RegExp(`/trials/${number}$`));
  const changes = page.getByRole("region", { name: "Outcome changes" });
  await expect(changes).toContainText("Version 2");
  await expect(changes).toContainText(/time frame/i);
});

test("an emptied required field is shown inline and in the summary, and nothing is registered", async ({ page }) => {
  await signIn(page, SPONSOR.email, SPONSOR.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/orgs/northwind/trials/new");
  await page.getByRole("button", { name: "Fill with example" }).click();
  const measure = page.getByLabel("Primary outcome 1: measure", { exact: true });
  await measure.fill("");
  await page.getByRole("button", { name: "Review" }).click();
  await expect(page.getByRole("region", { name: "Review before registering" })).toBeFocused();
  await page.getByLabel("Your password, to sign").fill(SPONSOR.password);
  await page.getByRole("button", { name: "Sign and register the trial" }).click();

  const summary = alerts(page);
  await expect(summary).toContainText("Say what is measured.");
  await expect(summary).toBeFocused();
  await expect(measure).toHaveAttribute("aria-invalid", "true");
  const errorId = (await measure.getAttribute("aria-describedby")) ?? "";
  await expect(page.locator(`[id="${errorId.split(" ").at(-1)}"]`)).toHaveText("Say what is measured.");
  await expect(page).toHaveURL(/\/orgs\/northwind\/trials\/new$/);

  await summary.getByRole("link", { name: /Primary outcome 1: measure/ }).click();
  await expect(page).toHaveURL(/#trial-primaryOutcomes-0-measure$/);
});
