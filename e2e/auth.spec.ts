import { type Browser, type BrowserContext, expect, test } from "@playwright/test";
import { PASSWORD, alerts, confirmEmail, latestMail, signIn, signOut, signUp, uniqueEmail } from "./support";

test("sign up, sign out, sign in with the password", async ({ page }) => {
  const email = uniqueEmail("e2e-sponsor");
  await signUp(page, { name: "Erin Sponsor", email });
  await expect(page.getByTestId("signed-in-as")).toHaveText(email);
  await signOut(page);

  await signIn(page, email);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome, Erin Sponsor");
});

test("sign-up errors are shown inline and create nothing", async ({ page }) => {
  await page.goto("/sign-up");
  await page.getByLabel("Full name").fill("Shorty");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Use at least 12 characters.")).toBeVisible();
  await expect(page.getByText("Enter a valid email address")).toBeVisible();
  await expect(page).toHaveURL(/\/sign-up$/);
});

test("a refused sign-up keeps what was typed, so a researcher stays a researcher", async ({ page }) => {
  const email = uniqueEmail("e2e-kept");
  await page.goto("/sign-up");
  await page.getByLabel("a researcher who wants to use trial data").check();
  await page.getByLabel("Full name").fill("Kee Pit");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Institution").fill("Kept University");
  await page.getByLabel("Password").fill("too short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Use at least 12 characters.")).toBeVisible();

  await expect(page.getByLabel("a researcher who wants to use trial data")).toBeChecked();
  await expect(page.getByLabel("staff of a trial sponsor or site")).not.toBeChecked();
  await expect(page.getByLabel("Full name")).toHaveValue("Kee Pit");
  await expect(page.getByLabel("Email")).toHaveValue(email);
  await expect(page.getByLabel("Institution")).toHaveValue("Kept University");
  await expect(page.getByLabel("Password")).toHaveValue("");

  // One of the commonest passwords, long enough: refused too, and the fields are still kept.
  await page.getByLabel("Password").fill("password1234");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("This password is too easy to guess")).toBeVisible();
  await expect(page.getByLabel("a researcher who wants to use trial data")).toBeChecked();
  await expect(page.getByLabel("Institution")).toHaveValue("Kept University");
  // React resets the form just after the error renders: wait for that before typing again.
  await expect(page.getByLabel("Password")).toHaveValue("");

  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await confirmEmail(page, email);
  // A researcher's navigation: no sponsor pages.
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Home", "Registry", "Datasets", "Access", "Transparency", "Dashboard", "Access requests", "Account"]);
});

test("sign-up with a taken address answers the same and mails the owner, who keeps the account", async ({ page, request }) => {
  const email = uniqueEmail("e2e-taken");
  await signUp(page, { name: "Own Er", email });
  await signOut(page);

  await page.goto("/sign-up");
  await page.getByLabel("Full name").fill("Inter Loper");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("an intruder's long password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/sign-in\/check-email/);
  await expect(page.getByRole("status")).toContainText("confirm your address");
  expect((await latestMail(request, email)).subject).toBe("Someone tried to create a TrialLedger account with your address");

  await signIn(page, email, "an intruder's long password");
  await expect(alerts(page)).toHaveText("That email and password do not match an account.");
  await signIn(page, email);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome, Own Er");
});

test("an unconfirmed account cannot sign in with its password", async ({ page }) => {
  const email = uniqueEmail("e2e-unconfirmed");
  await page.goto("/sign-up");
  await page.getByLabel("Full name").fill("Not Yet");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/sign-in\/check-email/);
  await signIn(page, email);
  await expect(alerts(page)).toContainText("Confirm your email address first");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  const email = uniqueEmail("e2e-wrong");
  await signUp(page, { name: "Wes Wrong", email });
  await signOut(page);
  await signIn(page, email, "definitely not it");
  await expect(alerts(page)).toHaveText("That email and password do not match an account.");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("sign in with a magic link, which works only once", async ({ page, request, browser }) => {
  const email = uniqueEmail("e2e-magic");
  await signUp(page, { name: "Mag Link", email, type: "RESEARCHER", institution: "Example University" });
  await signOut(page);

  await page.goto("/sign-in");
  const form = page.getByRole("form", { name: "With a link by email" });
  await form.getByLabel("Email").fill(email);
  await form.getByRole("button", { name: "Email me a link" }).click();
  await expect(page.getByRole("status")).toContainText("a sign-in link is on its way");

  const mail = await latestMail(request, email);
  expect(mail.subject).toBe("Your TrialLedger sign-in link");
  expect(mail.link).toBeTruthy();
  await page.goto(mail.link ?? "");
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome, Mag Link");

  const other = await browser.newPage();
  await other.goto(mail.link ?? "");
  await expect(alerts(other)).toContainText("expired or was already used");
  await other.close();
});

test("an unknown address gets the same answer and no mail", async ({ page, request }) => {
  const email = uniqueEmail("e2e-nobody");
  await page.goto("/sign-in");
  const form = page.getByRole("form", { name: "With a link by email" });
  await form.getByLabel("Email").fill(email);
  await form.getByRole("button", { name: "Email me a link" }).click();
  await expect(page.getByRole("status")).toContainText("a sign-in link is on its way");
  const response = await request.get(`/api/dev/mailbox?to=${encodeURIComponent(email)}`);
  expect(((await response.json()) as { mails: unknown[] }).mails).toEqual([]);
});

test("change the password", async ({ page }) => {
  const email = uniqueEmail("e2e-change");
  await signUp(page, { name: "Cha Nge", email });
  await page.goto("/account");
  await page.getByLabel("Current password").fill("not my password");
  await page.getByLabel("New password", { exact: true }).fill("a new long password");
  await page.getByLabel("New password again").fill("a new long password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("The current password is not right.")).toBeVisible();

  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("New password", { exact: true }).fill("a new long password");
  await page.getByLabel("New password again").fill("a new long password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status")).toHaveText("Your password was changed, and you were signed out everywhere else.");

  await signOut(page);
  await signIn(page, email, "a new long password");
  await expect(page).toHaveURL(/\/dashboard$/);
});

test("repeated failures lock the account with a clear 429", async ({ page, request }) => {
  const email = uniqueEmail("e2e-locked");
  await signUp(page, { name: "Lock Ed", email });
  await signOut(page);
  for (let i = 0; i < 5; i++) {
    await signIn(page, email, `wrong password ${i}`);
    await expect(alerts(page)).toHaveText("That email and password do not match an account.");
  }
  await signIn(page, email);
  await expect(alerts(page)).toContainText("Too many attempts. Please wait");

  const csrf = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/credentials", {
    form: { email, password: PASSWORD, csrfToken: csrf.csrfToken },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(429);
  expect(Number(response.headers()["retry-after"])).toBeGreaterThan(0);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe("RATE_LIMITED");
});

/** A second browser signed in as `email` (another device), and whether it still has a session. */
async function elsewhere(browser: Browser, email: string, password = PASSWORD) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email, password);
  await expect(page).toHaveURL(/\/dashboard$/);
  return context;
}

async function stillSignedIn(context: BrowserContext): Promise<boolean> {
  const page = await context.newPage();
  await page.goto("/dashboard");
  const signedIn = !new URL(page.url()).pathname.startsWith("/sign-in");
  await page.close();
  return signedIn;
}

test("a session cookie copied before sign-out no longer signs anyone in", async ({ page, browser }) => {
  const email = uniqueEmail("e2e-replay");
  await signUp(page, { name: "Rep Lay", email });
  const copied = await page.context().cookies();
  expect(copied.some((c) => c.name.includes("session-token"))).toBe(true);
  await signOut(page);

  const thief = await browser.newContext();
  await thief.addCookies(copied);
  expect(await stillSignedIn(thief)).toBe(false);
  const session = await thief.request.get("/api/auth/session");
  expect(await session.json()).toBeNull();
  await thief.close();
});

test("a password change and sign out everywhere end the other sessions, not this one", async ({ page, browser }) => {
  const email = uniqueEmail("e2e-everywhere");
  await signUp(page, { name: "Every Where", email });
  const phone = await elsewhere(browser, email);
  const tablet = await elsewhere(browser, email);

  await page.goto("/account");
  await expect(page.getByTestId("other-sessions")).toHaveText("You are also signed in in 2 other places.");
  await page.getByRole("button", { name: "Sign out everywhere else" }).click();
  await expect(page.getByRole("status")).toHaveText("Signed out everywhere else (2 sessions ended).");
  expect(await stillSignedIn(phone)).toBe(false);
  expect(await stillSignedIn(tablet)).toBe(false);
  expect(await stillSignedIn(page.context())).toBe(true);

  const laptop = await elsewhere(browser, email);
  await page.goto("/account");
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("New password", { exact: true }).fill("another long password");
  await page.getByLabel("New password again").fill("another long password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status")).toContainText("Your password was changed");
  expect(await stillSignedIn(laptop)).toBe(false);
  expect(await stillSignedIn(page.context())).toBe(true);
  await Promise.all([phone.close(), tablet.close(), laptop.close()]);
});

test("a callbackUrl that points elsewhere (or holds a newline) ends on the portal's dashboard", async ({ page }) => {
  const email = uniqueEmail("e2e-redirect");
  await signUp(page, { name: "Red Irect", email });
  await signOut(page);
  const origin = new URL(page.url()).origin;
  for (const trick of [
    "%2F%09%2Fevil.host%2F", "%2F%5Cevil.host%2F", "%2F%2Fevil.host%2F", "https%3A%2F%2Fevil.host%2F", "%2Fa%2F..%2F..%2F%2Fevil.host%2F",
    // A newline made redirect() throw: a 500 instead of a redirect.
    "%2Fdashboard%0D%0ALocation%3A%20https%3A%2F%2Fevil.host%2F",
  ]) {
    await page.goto(`/sign-in?callbackUrl=${trick}`);
    const form = page.getByRole("form", { name: "With your password" });
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Password").fill(PASSWORD);
    await form.getByRole("button", { name: "Sign in" }).click();
    await expect(page, trick).toHaveURL(`${origin}/dashboard`);
    // Signed in already: the sign-in page itself redirects, through the same check.
    await page.goto(`/sign-in?callbackUrl=${trick}`);
    await expect(page, trick).toHaveURL(`${origin}/dashboard`);
    await signOut(page);
  }
});
