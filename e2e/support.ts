import { randomBytes } from "node:crypto";
import { type APIRequestContext, type Page, expect } from "@playwright/test";

export const PASSWORD = "e2e password that is long";

export function uniqueEmail(label: string): string {
  return `${label}-${randomBytes(5).toString("hex")}@example.org`;
}

export async function signUp(
  page: Page,
  opts: { name: string; email: string; type?: "SPONSOR" | "RESEARCHER"; institution?: string; password?: string },
): Promise<void> {
  await page.goto("/sign-up");
  if (opts.type === "RESEARCHER") await page.getByLabel("a researcher who wants to use trial data").check();
  await page.getByLabel("Full name").fill(opts.name);
  await page.getByLabel("Email").fill(opts.email);
  if (opts.institution) await page.getByLabel("Institution").fill(opts.institution);
  await page.getByLabel("Password").fill(opts.password ?? PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await confirmEmail(page, opts.email);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Welcome, ${opts.name}`);
}

/**
 * After sign-up: the "check your email" page, then the confirmation link from the development
 * mailbox, which confirms the address and signs the person in.
 */
export async function confirmEmail(page: Page, email: string): Promise<void> {
  await expect(page).toHaveURL(/\/sign-in\/check-email/);
  await expect(page.getByRole("status")).toContainText("confirm your address");
  const mail = await latestMail(page.request, email);
  expect(mail.subject).toBe("Confirm your email address for TrialLedger");
  await page.goto(mail.link ?? "");
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** Alerts on the page, without Next's own (empty) route announcer. */
export function alerts(page: Page) {
  return page.locator('[role="alert"]:not(#__next-route-announcer__)');
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
}

export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto("/sign-in");
  const form = page.getByRole("form", { name: "With your password" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Sign in" }).click();
}

/** The newest mail the portal "sent" to `to`, from the development mailbox. */
export async function latestMail(request: APIRequestContext, to: string): Promise<{ subject: string; link: string | null }> {
  let mail: { subject: string; link: string | null } | undefined;
  await expect
    .poll(async () => {
      const response = await request.get(`/api/dev/mailbox?to=${encodeURIComponent(to)}`);
      const body = (await response.json()) as { mails: Array<{ subject: string; link: string | null }> };
      mail = body.mails[0];
      return mail !== undefined;
    })
    .toBe(true);
  if (!mail) throw new Error("no mail");
  return mail;
}
